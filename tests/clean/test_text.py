"""Unit tests of the line-level cleaner on articles written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.clean.text import clean_text, line_key, line_keys, normalize_line
from recoupe.types import Metadata

BODY_EN = [
    "LONDON – The harbour authority said on Tuesday that the night ferry would not sail again "
    "before the inquiry ends.",
    "“We will not take any risk with passengers,” the harbour master told reporters.",
    "The company has 14 days to answer, according to a letter seen by the newspaper.",
]
BODY_FR = [
    "RENNES – Le conseil municipal a voté lundi soir la fermeture provisoire du marché couvert.",
    "« Nous n'avions pas le choix », a déclaré la maire, qui s'exprimait devant la presse.",
    "Selon la préfecture, les travaux dureront au moins six mois.",
]


def _page(*lines: str) -> str:
    return "\n\n".join(lines)


def _reasons(text: str, **kw: object) -> dict[str, str]:
    cleaned = clean_text(text, **kw)  # type: ignore[arg-type]
    return {r.text: r.reason for r in cleaned.removed}


def test_english_widgets_removed_and_body_kept() -> None:
    text = _page(
        "The Harbor Post",
        "Night ferry suspended after collision in the bay",
        BODY_EN[0],
        "Read more: Five things to know about the new port",
        BODY_EN[1],
        "Advertisement",
        BODY_EN[2],
        "Share",
        "Facebook\nTwitter\nWhatsApp",
        "Subscribe to our daily newsletter and get the news first.",
        "Leave a reply",
        "Your email address will not be published. Required fields are marked *",
        "We use cookies to improve your experience. Accept all cookies",
    )
    cleaned = clean_text(text)
    assert cleaned.text.split("\n\n") == BODY_EN
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["The Harbor Post"] == "site-name"
    assert reasons["Night ferry suspended after collision in the bay"] == "title"
    assert reasons["Read more: Five things to know about the new port"] == "teaser"
    assert reasons["Advertisement"] == "advertisement"
    assert reasons["Twitter"] == "share-buttons"
    assert reasons["Subscribe to our daily newsletter and get the news first."] == "form"
    assert reasons["Leave a reply"] == "comment-widget"
    assert reasons["We use cookies to improve your experience. Accept all cookies"] == (
        "cookie-banner"
    )
    assert cleaned.meta.title == "Night ferry suspended after collision in the bay"
    assert cleaned.meta.outlet == "The Harbor Post"


def test_french_widgets_removed() -> None:
    text = _page(
        BODY_FR[0],
        "À lire aussi : Le budget de la ville en cinq chiffres",
        BODY_FR[1],
        "PUBLICITÉ",
        "Votre navigateur ne permet pas de lire cette vidéo.",
        "1:42",
        "La maire face aux commerçants",
        BODY_FR[2],
        "Mot de passe oublié ?",
        "12 commentaires",
    )
    cleaned = clean_text(text)
    assert cleaned.text.split("\n\n") == BODY_FR
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["1:42"] == "media-timestamp"
    assert reasons["La maire face aux commerçants"] == "video-player"
    assert reasons["12 commentaires"] == "comment-widget"


def test_reported_sentences_with_cue_words_stay() -> None:
    body = [
        "The hackers stole the password of more than two million accounts, the company said.",
        "Police released a video showing the suspects entering the building at night.",
        "Les pirates ont publié le mot de passe de deux millions de comptes, selon la société.",
        "The agency said it would share more details with Facebook and Twitter investigators "
        "next week.",
    ]
    cleaned = clean_text(_page(*body))
    assert cleaned.text.split("\n\n") == body
    assert cleaned.removed == ()


def test_caption_is_flagged_not_body() -> None:
    caption = "Firefighters at the scene on Tuesday. Photo: Jane Doe / Harbor Post"
    cleaned = clean_text(_page(BODY_EN[0], caption, BODY_EN[1]))
    assert [r.text for r in cleaned.removed if r.is_caption] == [caption]
    assert caption not in cleaned.text


def test_tag_line_removed_but_not_sentences() -> None:
    cleaned = clean_text(_page(BODY_EN[0], "Politics Economy Harbor Ferries", BODY_EN[1]))
    assert {r.text: r.reason for r in cleaned.removed} == {
        "Politics Economy Harbor Ferries": "tag-line"
    }


def test_lines_repeated_in_outlet_removed_only_with_evidence() -> None:
    footer = "Our journalists work for you every day"
    text = _page(BODY_EN[0], BODY_EN[1], footer)
    assert footer in clean_text(text).text
    reasons = _reasons(text, repeated={line_key(footer): 3})
    assert reasons == {footer: "repeated-in-outlet"}


def test_long_repeated_sentence_is_kept() -> None:
    """A wire paragraph republished by one outlet twice is body, not a footer."""
    text = _page(BODY_EN[0], BODY_EN[1])
    assert _reasons(text, repeated={line_key(BODY_EN[0]): 5}) == {}


def test_duplicate_line_and_given_title() -> None:
    title = "Ferry collision: the inquiry begins"
    text = _page(title, BODY_EN[0], BODY_EN[1], BODY_EN[1])
    cleaned = clean_text(text, Metadata(title=title))
    assert [r.reason for r in cleaned.removed] == ["duplicate-title", "duplicate-line"]


def test_restored_line_is_kept() -> None:
    text = _page(BODY_EN[0], "Advertisement", BODY_EN[1])
    cleaned = clean_text(text, keep=frozenset({3}))
    assert "Advertisement" in cleaned.text
    assert cleaned.removed == ()


def test_anchor_points_at_the_next_kept_line() -> None:
    cleaned = clean_text(_page(BODY_EN[0], "Advertisement", BODY_EN[1]))
    (ad,) = cleaned.removed
    assert cleaned.text[ad.anchor :].startswith(BODY_EN[1])


def test_hard_wrapped_lines_stay_in_one_paragraph() -> None:
    text = "The inquiry will hear the captain,\nthe crew and two passengers next month.\n"
    assert clean_text(text).text == text.strip()


def test_line_keys_normalise_case_and_decoration() -> None:
    assert line_key("« Précédent »") == line_key("précédent")
    assert normalize_line("  Leave   a Comment ") == "leave a comment"
    assert line_keys("a\n\nb\na\n") == [line_key("a"), line_key("b")]


_lines = st.lists(
    st.one_of(
        st.sampled_from(
            ["Advertisement", "Facebook", "Lire aussi : autre chose", "0:53", "", "Home", *BODY_FR]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(_lines)
def test_cleaning_is_idempotent_and_offsets_in_range(lines: list[str]) -> None:
    first = clean_text("\n".join(lines))
    for r in first.removed:
        assert 0 <= r.anchor <= len(first.text)
    again = clean_text(first.text, first.meta)
    assert again.text == first.text
    assert again.removed == ()
    assert again.meta == first.meta


# ----- titles, dates and outlets in the header (issue 18) ---------------------------------


def test_title_case_headline_is_the_title_not_a_tag_line() -> None:
    headline = "Harbour Master Orders Night Ferry To Stay In Port"
    cleaned = clean_text(_page(headline, *BODY_EN))
    assert cleaned.meta.title == headline
    assert {r.text: r.reason for r in cleaned.removed} == {headline: "title"}


def test_headline_before_its_standfirst() -> None:
    headline = "Night ferry halted after collision"
    deck = "The operator will not sail again before the inquiry ends, its director said"
    cleaned = clean_text("\n".join([headline, deck, *BODY_EN]))
    assert cleaned.meta.title == headline


def test_text_without_headline_has_no_title_and_loses_no_sentence() -> None:
    cleaned = clean_text("\n".join(BODY_EN))
    assert cleaned.meta.title is None
    assert cleaned.text.split("\n") == BODY_EN


def test_short_opening_sentence_is_not_taken_as_title() -> None:
    lines = ["It's about time, right?", *BODY_EN]
    cleaned = clean_text("\n".join(lines))
    assert cleaned.meta.title is None
    assert cleaned.text.startswith("It's about time, right?")


def test_headline_ending_like_a_sentence_framed_by_a_date_line() -> None:
    cleaned = clean_text("\n".join(["The mayor of Dover resigns.", "March 4, 2009", *BODY_EN]))
    assert cleaned.meta.title == "The mayor of Dover resigns."
    assert cleaned.meta.published == "2009-03-04"
    cleaned = clean_text("\n".join(["MONDAY, MAY 23, 2005", "FIRED IN THE PORT!!", *BODY_EN]))
    assert cleaned.meta.title == "FIRED IN THE PORT!!"


@pytest.mark.parametrize("above", [True, False])
def test_date_line_above_or_below_the_headline(above: bool) -> None:
    head = ["Night ferry suspended after collision", "Posted on 16 September 2025, 11:58 am"]
    cleaned = clean_text("\n".join([*(head[::-1] if above else head), *BODY_EN]))
    assert cleaned.meta.title == head[0]
    assert cleaned.meta.published == "2025-09-16T11:58"
    assert (cleaned.meta.published_precision, cleaned.meta.published_source) == (
        "minute", "dateline"
    )
    assert cleaned.text.split("\n") == BODY_EN


def test_site_clock_above_the_headline_loses_to_the_publication_line() -> None:
    lines = ["Giovedì 10 Settembre 2015", "Night ferry suspended after collision",
             "Pubblicato il 21 agosto 2013 alle 09:06", *BODY_EN]  # fmt: skip
    assert clean_text("\n".join(lines), language="it").meta.published == "2013-08-21T09:06"


def test_unreadable_date_line_is_furniture_not_a_title() -> None:
    cleaned = clean_text("\n".join(["Updated 4 / 9 / 2007 6: 04 PM", *BODY_EN]))
    assert cleaned.meta.title is None and cleaned.meta.published is None
    assert [r.reason for r in cleaned.removed] == ["date"]


def test_numeric_date_of_a_french_page_is_day_first() -> None:
    lines = ["Fermeture du marché couvert", "Publié le 05/03/2025", *BODY_FR]
    cleaned = clean_text("\n".join(lines), language="fr")
    assert cleaned.meta.published == "2025-03-05"
    assert clean_text("\n".join(lines)).meta.published is None  # unknown language: unread


def test_given_date_is_never_replaced() -> None:
    meta = Metadata(published="2025-01-01", published_source="metadata")
    lines = ["Night ferry suspended after collision", "16 September 2025", *BODY_EN]
    assert clean_text("\n".join(lines), meta).meta.published == "2025-01-01"


@pytest.mark.parametrize(
    "line",
    [
        ".alogo{display: block;text-indent: -1000px;width: 330px;height: 80px;}",
        "Ali Abdulá Saleh",
        "En varias ciudades del país, Según fuentes hospitalarias",
        "Revolución en el mundo árabe",
        "Jump to navigation",
        "31 jul 2020",
    ],
)
def test_header_line_that_is_not_an_outlet(line: str) -> None:
    cleaned = clean_text("\n".join([line, "Night ferry suspended after collision", *BODY_EN]))
    assert cleaned.meta.outlet is None


def test_code_is_not_a_title() -> None:
    css = ".alogo{display: block;text-indent: -1000px;width: 330px;height: 80px;}"
    cleaned = clean_text("\n".join([css, "Night ferry suspended after collision", *BODY_EN]))
    assert cleaned.meta.title == "Night ferry suspended after collision"


def test_outlet_from_a_masthead_a_known_outlet_or_the_page_naming_itself() -> None:
    page = ["NORTHGATE DAILY", "Night ferry suspended after collision", *BODY_EN]
    assert clean_text("\n".join(page)).meta.outlet == "Northgate Daily"
    page = ["Sud Horizon", "Night ferry suspended after collision", *BODY_EN]
    assert clean_text("\n".join(page)).meta.outlet is None
    known = clean_text("\n".join(page), known_outlets=["SUD HORIZON"]).meta
    assert (known.outlet, known.outlet_source) == ("SUD HORIZON", "masthead")
    credit = "The harbour at dawn. Photo: Jane Doe / Sud Horizon"
    named = clean_text("\n".join([*page, credit, "© Sud Horizon 2025"])).meta
    assert named.outlet == "Sud Horizon"


def test_soft_hyphens_and_zero_width_characters_are_removed() -> None:
    body = "The har\u00adbour author\u200bity said on Tues\u2060day that the ferry stays."
    cafe = "Cafe\u0301 owners agreed, the mayor said."
    cleaned = clean_text(_page("Adver\u00adtisement", body, cafe))
    assert "\u00ad" not in cleaned.text and "\u200b" not in cleaned.text
    assert "harbour authority said on Tuesday" in cleaned.text
    assert "Café owners" in cleaned.text  # composed (NFC)
    assert [r.reason for r in cleaned.removed] == ["advertisement"]
    for r in cleaned.removed:
        assert 0 <= r.anchor <= len(cleaned.text)
