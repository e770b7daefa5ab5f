"""Unit tests of the line-level cleaner on articles written for these tests."""

from __future__ import annotations

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
