"""Finding a story's units by the span they overlap."""

from hypothesis import given
from hypothesis import strategies as st

from recoupe.summarize.cite import Unit, UnitIndex


def _unit(index: int, doc: str, start: int, end: int) -> Unit:
    return Unit(index, 0, doc, start, end, "x" * (end - start), "fr", 1, False)


@st.composite
def _units(draw: st.DrawFn) -> list[Unit]:
    """Sentences of two articles: in text order (the bisected case) or any order and
    overlapping (the scanned one)."""
    out: list[Unit] = []
    for doc in ("a", "b"):
        pos = 0
        for _ in range(draw(st.integers(0, 8))):
            start = pos + draw(st.integers(0, 5))
            end = start + draw(st.integers(1, 20))
            out.append(_unit(len(out), doc, start, end))
            pos = end if draw(st.booleans()) else start
    return out if draw(st.booleans()) else list(reversed(out))


@given(_units(), st.sampled_from(["a", "b", "c"]), st.integers(0, 120), st.integers(1, 40))
def test_overlapping_matches_a_scan(units: list[Unit], doc: str, start: int, length: int) -> None:
    end = start + length
    expected = [u for u in units if u.doc_id == doc and min(end, u.end) > max(start, u.start)]
    got = UnitIndex(units).overlapping(doc, start, end)
    assert sorted(u.index for u in got) == sorted(u.index for u in expected)
