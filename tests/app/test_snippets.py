"""Search snippets: the passage around the first match, matches marked (stems,
prefixes, phrase words), the start of the text when nothing matches."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.app.snippets import _WORD, _candidates, snippet
from recoupe.types import TextQuery
from recoupe.types.folding import folded

TEXT = ("Le conseil municipal s'est réuni lundi. " * 8
        + "Les incendies ont ravagé la forêt près de la zone portuaire. "
        + "Les pompiers sont restés sur place toute la nuit. " * 6)  # fmt: skip


def _marked(runs: list[tuple[str, bool]]) -> list[str]:
    return [piece for piece, hit in runs if hit]


def test_a_word_is_found_by_its_stem_and_marked_in_context() -> None:
    runs = snippet(TEXT, "fr", TextQuery.parse("incendie"))
    assert _marked(runs) == ["incendies"]
    shown = "".join(p for p, _ in runs)
    assert shown.startswith("… ") and shown.endswith(" …") and len(shown) <= 230
    assert "ravagé la forêt" in shown


def test_prefix_phrase_accents_and_alternatives() -> None:
    assert _marked(snippet(TEXT, "fr", TextQuery.parse("pomp*")))[:1] == ["pompiers"]
    phrase = TextQuery.parse('"zone portuaire"')
    assert _marked(snippet(TEXT, "fr", phrase)) == ["zone", "portuaire"]
    assert _marked(snippet(TEXT, "fr", TextQuery.parse("foret")))[:1] == ["forêt"]
    assert "incendies" in _marked(snippet(TEXT, "fr", TextQuery.parse("usine OR incendie")))


def test_no_match_shows_the_start_unmarked() -> None:
    runs = snippet(TEXT, "fr", TextQuery.parse("tramway"))
    assert not _marked(runs) and runs[0][0].startswith("Le conseil")


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["fr", "en", None]),
       st.from_regex(r"[a-zé]{2,8}\*?", fullmatch=True))  # fmt: skip
def test_runs_are_pieces_of_the_text(text: str, language: str | None, word: str) -> None:
    runs = snippet(text, language, TextQuery.parse(word))
    flat = " ".join(text.split("\n"))
    for piece, _ in runs:
        assert piece in ("… ", " …") or piece in flat


@settings(max_examples=300)
@given(
    st.text(alphabet="abcAB _-'.\n0éÉßﬁ²ªİ\u0301ŀ’—…\u2002€", max_size=80),
    st.sets(st.text(alphabet="abc0é'·ﾞ", min_size=1, max_size=3), max_size=4),
)
def test_latin_search_finds_the_words_folding_word_by_word_finds(
    text: str, heads: set[str]
) -> None:
    """The at-once search of Latin text and the word-by-word folding (any text) pick
    the same words (heads are folded, as the search's are)."""
    heads = {folded(h) for h in heads}
    expected = [m.span() for m in _WORD.finditer(text) if folded(m.group()[:3]) in heads]
    assert [m.span() for m in _candidates(text, len(text), frozenset(heads))] == expected
