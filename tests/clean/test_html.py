"""Unit tests of the HTML cleaner on small pages written for these tests."""

from __future__ import annotations

import html as htmllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import trafilatura.core
import trafilatura.metadata
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import recoupe.clean.html
from recoupe.clean.html import clean_html
from recoupe.config import Settings
from recoupe.ingest import iter_inputs
from recoupe.pipeline.documents import build_documents
from recoupe.types import Cleaned, Metadata, RawDocument

BODY_EN = [
    "PORTSMOUTH – The harbour authority said on Tuesday that the night ferry to the islands "
    "would not sail again before the independent inquiry into last week's collision ends, "
    "a decision that leaves hundreds of daily commuters looking for another way to work.",
    "“We will not take any risk with passengers, and we will not be rushed by the timetable,” "
    "the harbour master told reporters gathered on the quay, adding that the vessel had been "
    "moved to a dry dock for a full inspection of its hull and steering gear.",
    "The operating company has fourteen days to answer the authority's questions, according "
    "to a letter seen by this newspaper, and it must explain why the crew had not reported "
    "an earlier fault with the radar during the crossing on the previous Sunday evening.",
    "Local councillors have asked for a temporary bus service between the two terminals, "
    "and a spokesperson for the county said that a replacement timetable would be published "
    "on Friday once the number of available drivers is known.",
]
BODY_FR = [
    "RENNES – Le conseil municipal a voté lundi soir la fermeture provisoire du marché couvert "
    "de la place des Lices, après la découverte de fissures dans la charpente métallique lors "
    "d'une inspection de routine menée par les services techniques de la ville.",
    "« Nous n'avions pas le choix, la sécurité des commerçants et des clients passe avant "
    "tout », a déclaré la maire, qui s'exprimait devant la presse à l'issue d'une séance "
    "particulièrement animée où l'opposition a réclamé un calendrier précis.",
    "Selon la préfecture, les travaux de consolidation dureront au moins six mois, et les "
    "commerçants seront relogés sous des tentes installées sur le parking voisin, avec une "
    "réduction de leurs droits de place pendant toute la durée du chantier.",
]

PAGE_EN = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Night ferry suspended after collision in the bay</title>
<meta property="og:site_name" content="The Harbour Post">
<meta name="author" content="Jane Marlow">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<script>var tracking = "do not show me";</script>
<style>p {{ color: black; }}</style>
</head><body>
<header class="site-header"><div class="logo">The Harbour Post</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">World news</a></li>
<li><a href="/sport">Sport section</a></li></ul></nav></header>
<main><article>
<h1>Night ferry suspended after collision in the bay</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
<p>{BODY_EN[0]}</p>
<figure><img src="ferry.jpg" alt=""><figcaption>The ferry in dry dock on Monday.
</figcaption></figure>
<p>{BODY_EN[1]}</p>
<div class="ad-slot">Advertisement</div>
<p>{BODY_EN[2]}</p>
<p>{BODY_EN[3]}</p>
</article>
<aside class="related-articles"><h3>Read next</h3><ul>
<li><a href="/a">Five things to know about the new port terminal</a></li>
<li><a href="/b">Islanders protest against higher ferry fares</a></li></ul></aside>
<section id="comments" class="comments-area"><h3>2 comments</h3>
<div class="comment-body"><p>Sam K. said: this ferry has been late every single day for a
month, what a surprise that something finally broke down.</p></div>
<div class="comment-body"><p>Ann R. said: the bus replacement will never cope with the
morning rush, I hope the council is listening to commuters.</p></div>
</section></main>
<footer><p>© 2024 The Harbour Post. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a></p></footer>
</body></html>"""

PAGE_FR = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le marché couvert fermé pour six mois - Ouest Matin</title>
<meta property="og:site_name" content="Ouest Matin">
</head><body>
<nav class="menu-principal"><a href="/">Accueil</a> <a href="/bretagne">Bretagne</a>
<a href="/sports">Sports</a></nav>
<div class="article-body">
<h1>Le marché couvert fermé pour six mois</h1>
<p>{BODY_FR[0]}</p>
<div class="wp-caption"><img src="marche.jpg"><p class="wp-caption-text">Le marché des
Lices, lundi matin.</p></div>
<p>{BODY_FR[1]}</p>
<div class="partage social"><a href="#">Partager sur Facebook</a></div>
<p>{BODY_FR[2]}</p>
</div>
<div id="footer">Mentions légales – Ouest Matin 2024</div>
</body></html>"""


def _reasons(cleaned: Cleaned) -> dict[str, str]:
    return {r.text: r.reason for r in cleaned.removed}


def _check_shape(cleaned: Cleaned) -> None:
    """Contract of every result: paragraphs split by one blank line, anchors in range,
    blocks numbered in document order and listed once."""
    text = cleaned.text
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in text.split("\n\n") if text else []:
        assert paragraph == " ".join(paragraph.split())
    numbers = [r.line_no for r in cleaned.removed]
    assert numbers == sorted(numbers) and all(n >= 1 for n in numbers)
    assert len({r.text for r in cleaned.removed}) == len(cleaned.removed)
    for removed in cleaned.removed:
        assert 0 <= removed.anchor <= len(text)
        assert removed.text and removed.text == " ".join(removed.text.split())
        assert removed.is_caption == (removed.reason == "caption")


def test_english_article_kept_and_junk_listed_with_reasons() -> None:
    cleaned = clean_html(PAGE_EN, Metadata())
    _check_shape(cleaned)
    paragraphs = cleaned.text.split("\n\n")
    for body in BODY_EN:
        assert body in paragraphs
    assert paragraphs.index(BODY_EN[0]) < paragraphs.index(BODY_EN[3])
    for junk in ("tracking", "color: black", "Sam K.", "Privacy policy", "Advertisement"):
        assert junk not in cleaned.text
    reasons = _reasons(cleaned)
    assert reasons["Home"] == "navigation"
    assert reasons["Sport section"] == "navigation"
    assert reasons["© 2024 The Harbour Post. All rights reserved."] == "footer"
    assert reasons["Advertisement"] == "advertisement"
    assert reasons["The ferry in dry dock on Monday."] == "caption"
    assert reasons["Five things to know about the new port terminal"] == "related-links"
    assert reasons["Share on Facebook Tweet this"] == "share-buttons"
    assert reasons["Night ferry suspended after collision in the bay"] == "title"
    comments = [text for text, reason in reasons.items() if reason == "comment"]
    assert any(text.startswith("Sam K. said") for text in comments)
    assert any(text.startswith("Ann R. said") for text in comments)
    captions = [r for r in cleaned.removed if r.is_caption]
    assert [r.text for r in captions] == ["The ferry in dry dock on Monday."]


def test_anchor_points_at_the_next_kept_paragraph() -> None:
    cleaned = clean_html(PAGE_EN, Metadata())
    by_text = {r.text: r for r in cleaned.removed}
    text = cleaned.text
    caption = by_text["The ferry in dry dock on Monday."]
    assert text[caption.anchor :].startswith(BODY_EN[1])
    assert by_text["Home"].anchor == 0
    assert by_text["© 2024 The Harbour Post. All rights reserved."].anchor == len(text)


def test_english_metadata_filled() -> None:
    meta = clean_html(PAGE_EN, Metadata()).meta
    assert meta.title == "Night ferry suspended after collision in the bay"
    assert meta.outlet == "The Harbour Post"
    assert meta.author == "Jane Marlow"
    assert meta.published is not None and meta.published.startswith("2024-03-05")
    assert meta.language == "en"


def test_given_metadata_is_never_overwritten() -> None:
    given_meta = Metadata(
        url="https://example.org/ferry",
        outlet="Harbour Post (print)",
        title="Ferry stopped",
        language="cy",
        fetched="2024-03-06T10:00:00Z",
    )
    meta = clean_html(PAGE_EN, given_meta).meta
    assert meta.url == "https://example.org/ferry"
    assert meta.outlet == "Harbour Post (print)"
    assert meta.title == "Ferry stopped"
    assert meta.language == "cy"
    assert meta.fetched == "2024-03-06T10:00:00Z"
    assert meta.author == "Jane Marlow"  # blanks are still filled


def test_page_metadata_is_read_once_per_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest passes on only what the transport knows; cleaning reads the page's metadata,
    running trafilatura's extractor exactly once (not again inside the text extraction)."""
    calls: list[str] = []
    real = trafilatura.metadata.extract_metadata

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append("extract_metadata")
        return real(*args, **kwargs)

    for module in (recoupe.clean.html, trafilatura.core, trafilatura.metadata):
        monkeypatch.setattr(module, "extract_metadata", counting)
    path = tmp_path / "ferry.html"
    path.write_text(PAGE_EN, encoding="utf-8")
    raws = list(iter_inputs([str(path)], Settings()))
    assert len(raws) == 1 and isinstance(raws[0], RawDocument)
    assert raws[0].meta == Metadata()  # nothing read from the page at ingest
    assert calls == []

    def no_counts(_outlet: str, _keys: Sequence[str]) -> Mapping[str, int]:
        return {}

    result = build_documents(raws, Settings(), lambda _digest: False, no_counts)
    assert len(result.documents) == 1, result.rejections
    meta = result.documents[0].meta
    assert calls == ["extract_metadata"]
    assert meta.title == "Night ferry suspended after collision in the bay"
    assert meta.outlet == "The Harbour Post"
    assert meta.author == "Jane Marlow"
    assert meta.published is not None and meta.published.startswith("2024-03-05")
    assert meta.language == "en"


def test_french_article() -> None:
    cleaned = clean_html(PAGE_FR, Metadata())
    _check_shape(cleaned)
    paragraphs = cleaned.text.split("\n\n")
    for body in BODY_FR:
        assert body in paragraphs
    reasons = _reasons(cleaned)
    assert reasons["Accueil Bretagne Sports"] == "navigation"
    assert reasons["Le marché des Lices, lundi matin."] == "caption"
    assert reasons["Partager sur Facebook"] == "share-buttons"
    assert reasons["Mentions légales – Ouest Matin 2024"] == "footer"
    assert reasons["Le marché couvert fermé pour six mois"] == "title"  # title minus site
    assert cleaned.meta.language == "fr"
    assert cleaned.meta.outlet == "Ouest Matin"


def test_body_split_into_chunks_is_restored() -> None:
    chunk = '<div class="story-body">{}</div>'
    page = (
        "<html><body><article>"
        + chunk.format("".join(f"<p>{p}</p>" for p in BODY_EN[:2]))
        + '<div class="ad-row"><div class="ad">Advertisement</div></div>'
        + chunk.format("".join(f"<p>{p}</p>" for p in BODY_EN[2:]))
        + "</article><footer>Contact us</footer></body></html>"
    )
    cleaned = clean_html(page, Metadata())
    _check_shape(cleaned)
    assert cleaned.text.split("\n\n") == BODY_EN
    assert _reasons(cleaned)["Advertisement"] == "advertisement"


def test_chunks_dropped_by_the_extractor_are_put_back_in_order() -> None:
    """The extractor kept only the first chunk (as it does on some real pages): the
    chunks with the same class next to it are restored, the ad row between them is not."""
    from recoupe.clean import html as module

    page = (
        "<html><body><article><div class='grid'><div class='story-body'>"
        + "".join(f"<p>{p}</p>" for p in BODY_EN[:2])
        + "</div></div><div class='ad-row'><p>Advertisement: buy a boat today, the best "
        "boats of the year are on sale for a very short time only, hurry up now.</p></div>"
        + "<div class='grid'><div class='story-body'>"
        + "".join(f"<p>{p}</p>" for p in BODY_EN[2:])
        + "</div></div></article></body></html>"
    )
    tree = module._parse(page)
    blocks = [module._Block(e, t) for e, t in module._runs(tree, module._PAGE_BLOCKS, frozenset())]
    module._match("\n\n".join(BODY_EN[:2]), blocks)
    assert module._restore_split_body(BODY_EN[:2], blocks) == BODY_EN


def test_fragment_without_html_element() -> None:
    cleaned = clean_html("".join(f"<p>{p}</p>" for p in BODY_FR), Metadata())
    _check_shape(cleaned)
    assert all(p in cleaned.text for p in BODY_FR)


def test_empty_and_malformed_pages_do_not_crash() -> None:
    pages = [
        "",
        "   \n ",
        "<html></html>",
        "<<<>>>&&&",
        "\x00\x01\x02 binary junk \ufffd",
        "<html><body><p>Unclosed <div><b>bold <i>text</p></span></table>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>xml declared</p></body></html>",
        "<div>" * 3000 + "deep text " * 50 + "</div>" * 10,
        "<html><body><!-- only a comment --><script>x()</script></body></html>",
        "<p>" + "x" * 100_000 + "</p>",
    ]
    for page in pages:
        cleaned = clean_html(page, Metadata(title="kept"))
        _check_shape(cleaned)
        assert cleaned.meta.title == "kept"
    assert clean_html("", Metadata()).text == ""
    assert clean_html("<html><body><script>x()</script></body></html>", Metadata()).text == ""


_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=200,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, min_size=0, max_size=8), st.booleans())
def test_any_paragraphs_never_raise_and_anchors_stay_in_range(
    paragraphs: list[str], escape: bool
) -> None:
    body = "".join(f"<p>{htmllib.escape(p) if escape else p}</p>" for p in paragraphs)
    page = f"<html><head><title>t</title></head><body><nav>Menu</nav>{body}</body></html>"
    cleaned = clean_html(page, Metadata())
    _check_shape(cleaned)
