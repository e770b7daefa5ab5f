"""Block, consent and error pages are not articles; articles about cookies or data are."""

from __future__ import annotations

import pytest

from recoupe.clean.walls import is_notice_line, judge, kind_of

ARTICLE = (
    "The harbour authority said on Tuesday that the night ferry would not sail again before "
    "the inquiry ends. The company has 14 days to answer, according to a letter seen by the "
    "newspaper. Passengers booked on the route will be offered seats on the morning crossing, "
    "the operator said, and refunds for any journey they can no longer make. "
) * 3


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("We noticed a large number of connections from your IP address. "
         "Tick \"I am not a robot\" to continue.\nYour IP address: 203.0.113.7", "block"),
        ("Nous avons détecté un usage inhabituel depuis votre adresse IP, bloquée pour abus.",
         "block"),
        ("Please turn off your ad blocker to keep reading our journalism.", "block"),
        ("Bitte deaktivieren Sie Ihren Werbeblocker, um weiterzulesen.", "block"),
        ("To use this website, cookies must be enabled in your browser.", "block"),
        ("404 - Page not found. The page you requested does not exist.", "error"),
        ("Warning: mysql_connect(): Access denied for user in /var/www/index.php on line 12",
         "error"),
        ("Wir verwenden auf unserer Webseite Cookies und Analysetechniken. Durch die weitere "
         "Nutzung erklären Sie sich mit dem Einsatz von Cookies einverstanden. Weitere "
         "Informationen finden Sie in unserer Datenschutzerklärung.", "consent"),
        ("Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa "
         "navegando, consideramos que acepta su uso.", "consent"),
        ("Sitemizde çerezlerden faydalanıyoruz. Sitemizi kullanmaya devam ederek çerezleri "
         "kullanmamıza izin vermiş oluyorsunuz.", "consent"),
    ],
)  # fmt: skip
def test_walls(page: str, kind: str) -> None:
    verdict = judge(page)
    assert verdict is not None and verdict.kind == kind
    assert "not an article" in verdict.detail


def test_articles_about_cookies_privacy_and_blocking_stay() -> None:
    for page in (
        ARTICLE,
        "The regulator fined the company over its cookie banners and its privacy policy, "
        "which did not let users refuse tracking, the authority said on Monday. " * 4,
        "Die Zahl der DSGVO-Bußgelder ist 2019 deutlich gestiegen, zeigt eine Umfrage unter "
        "den Datenschutzbeauftragten der Länder. " * 4,
        "A federal judge blocked the new voter ID law on Friday, citing its history. " * 4,
    ):
        assert judge(page) is None, page[:60]


def test_an_article_with_a_banner_is_an_article() -> None:
    banner = "We use cookies to give you the best experience on our website. Accept all"
    assert is_notice_line(banner)
    assert judge(ARTICLE + "\n" + banner) is None
    assert judge(banner) is not None
    assert judge("A short teaser.", notices=[banner * 3]) is not None


def test_sentence_kinds() -> None:
    assert kind_of("Your IP address has been blocked after suspicious activity.") == "block"
    assert kind_of("The company said its IP address range was reassigned.") is None
    assert kind_of("Sie stimmen der Verwendung von Cookies zu.") == "consent"
    assert kind_of("Sie sagte, die Cookies seien lecker.") is None
