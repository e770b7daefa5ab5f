"""How an article's text is cut for its page: paragraphs, removed lines in place, copied
passages with their anchors and their other copies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.types import RemovedLine, ReuseKind, ReuseLink, Span
from recoupe.web.text import (
    HIGHLIGHT_ID,
    Block,
    article_blocks,
    paragraph_spans,
    shared_words,
    word_runs,
)

TEXT = "First para one. First para two.\n\nSecond para.\n\n\nThird para here."
#       0               16              33            47


def _link(a0: int, a1: int, other: str, b0: int, kind: ReuseKind = ReuseKind.VERBATIM) -> ReuseLink:
    return ReuseLink(Span("me", a0, a1), Span(other, b0, b0 + (a1 - a0)), kind, 0.9)


def _removed(line_no: int, anchor: int, text: str = "junk") -> RemovedLine:
    return RemovedLine(line_no, text, "navigation", anchor)


def _texts(blocks: list[Block]) -> list[str]:
    return ["".join(p.text for p in b.pieces) if b.pieces else "-" for b in blocks]


def test_paragraph_spans_skip_blank_lines() -> None:
    assert [TEXT[a:b] for a, b in paragraph_spans(TEXT)] == [
        "First para one. First para two.",
        "Second para.",
        "Third para here.",
    ]
    assert paragraph_spans("") == []
    assert paragraph_spans("  \n\n  one\nline  \n\n") == [(6, 14)]  # "one\nline"


def test_removed_lines_stand_where_they_were() -> None:
    removed = (_removed(1, 0), _removed(2, 0), _removed(5, 33), _removed(9, len(TEXT)))
    blocks = article_blocks(TEXT, removed, [])
    assert _texts(blocks) == ["-", "First para one. First para two.", "-", "Second para.",
                              "Third para here.", "-"]  # fmt: skip
    assert [r.line_no for r in blocks[0].removed] == [1, 2]
    assert [r.line_no for r in blocks[2].removed] == [5]
    assert [r.line_no for r in blocks[-1].removed] == [9]


def test_a_removed_line_inside_a_paragraph_splits_it() -> None:
    blocks = article_blocks(TEXT, (_removed(3, 16),), [])
    assert _texts(blocks)[:3] == ["First para one. ", "-", "First para two."]


def test_passages_are_marked_with_anchor_and_other_copies() -> None:
    links = [_link(16, 31, "b", 100), _link(16, 31, "c", 7, ReuseKind.TRANSLATION)]
    blocks = article_blocks(TEXT, (), links)
    pieces = blocks[0].pieces
    assert [p.text for p in pieces] == ["First para one. ", "First para two."]
    plain, copied = pieces
    assert (plain.kind, plain.anchors, plain.copies) == (None, (), ())
    assert copied.kind == "verbatim"  # the strongest kind covering it
    assert copied.anchors == ("at16",)
    assert [(c.doc_id, c.anchor, c.kind) for c in copied.copies] == [
        ("b", "at100", "verbatim"),
        ("c", "at7", "translation"),
    ]


def test_a_passage_across_paragraphs_ends_once() -> None:
    link = _link(5, 40, "b", 0, ReuseKind.NEAR)
    blocks = article_blocks(TEXT, (), [link])
    pieces = [p for b in blocks for p in b.pieces]
    marked = [p for p in pieces if p.kind == "near"]
    assert "".join(p.text for p in marked) == TEXT[5:31] + TEXT[33:40]
    assert marked[0].anchors == ("at5",) and not marked[-1].anchors
    assert [p for p in pieces if p.copies] == [marked[-1]]


def test_overlapping_passages() -> None:
    links = [_link(0, 20, "b", 0), _link(10, 31, "c", 50, ReuseKind.PARAPHRASE)]
    pieces = article_blocks(TEXT, (), links)[0].pieces
    assert [(p.text, p.kind) for p in pieces] == [
        (TEXT[0:10], "verbatim"),
        (TEXT[10:20], "verbatim"),
        (TEXT[20:31], "paraphrase"),
    ]
    assert [p.anchors for p in pieces] == [("at0",), ("at10",), ()]
    assert [[c.doc_id for c in p.copies] for p in pieces] == [[], ["b"], ["c"]]


def test_a_cited_span_is_highlighted_across_passages_and_paragraphs() -> None:
    link = _link(10, 31, "b", 0)
    blocks = article_blocks(TEXT, (), [link], highlight=(5, 40))
    pieces = [p for b in blocks for p in b.pieces]
    lit = [p for p in pieces if p.highlight]
    assert "".join(p.text for p in lit) == TEXT[5:31] + TEXT[33:40]
    assert lit[0].anchors == (HIGHLIGHT_ID,)  # the link's anchor is on a later piece
    assert [p.anchors for p in lit[1:]] == [("at10",), ()]
    assert [p.kind for p in lit] == [None, "verbatim", None]
    assert not any(p.highlight for p in pieces if p not in lit)
    assert article_blocks(TEXT, (), [link]) == article_blocks(TEXT, (), [link], None)


@given(
    st.text(alphabet="ab \n.", max_size=80),
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=4),
    st.lists(st.integers(0, 80), max_size=4),
)
def test_no_text_is_lost_or_repeated(text: str, spans: list[tuple[int, int]],
                                     anchors: list[int]) -> None:  # fmt: skip
    links = [_link(min(a, b), max(a, b) + 1, "o", 0) for a, b in spans]
    removed = tuple(_removed(i, min(a, len(text))) for i, a in enumerate(anchors))
    highlight = (min(spans[0]), max(spans[0]) + 1) if spans else None
    blocks = article_blocks(text, removed, links, highlight)
    shown = "".join(p.text for b in blocks for p in b.pieces)
    assert shown == "".join(text[a:b] for a, b in paragraph_spans(text))
    if highlight is not None:
        lit = "".join(p.text for b in blocks for p in b.pieces if p.highlight)
        kept = "".join(text[max(a, highlight[0]) : min(b, highlight[1])]
                       for a, b in paragraph_spans(text))  # fmt: skip
        assert lit == kept
    assert sorted(r.line_no for b in blocks for r in b.removed) == list(range(len(anchors)))


def test_word_runs_mark_what_differs() -> None:
    a, b = "The blaze broke out at 4.30am.", "The blaze broke out at 4:30 a.m."
    shared = shared_words(a, b)
    assert word_runs(a, shared) == [("The blaze broke out at 4.", False), ("30am", True),
                                    (".", False)]  # fmt: skip
    assert "".join(t for t, _ in word_runs(b, shared)) == b
    assert word_runs("Same words.", shared_words("Same words.", "same WORDS")) == [
        ("Same words.", False)
    ]
