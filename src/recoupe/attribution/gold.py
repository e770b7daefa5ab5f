"""Scoring speakers against a hand-written gold file (``examples/gold/speakers.tsv``).

A gold row names an article (its input file), a quote (how it starts) or an attribution
(a phrase of its content) and the speaker a reader should see, and optionally who
reported that speaker (``via``). Names compare case- and accent-insensitively. Quotes
the analysis finds that no row lists are reported too: the gold lists every quote, so
an extra one is a label or a fragment taken for a quote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.attribution.speakers import speaker_name
from recoupe.types import Attribution
from recoupe.types.folding import folded


@dataclass(frozen=True, slots=True)
class GoldRow:
    file: str
    kind: str  # "quote" or "attribution"
    text: str
    speaker: str
    via: str


@dataclass(frozen=True, slots=True)
class GoldCheck:
    row: GoldRow
    found: bool
    speaker: str  # what the analysis says ("" when the quote/attribution is not found)
    via: str

    @property
    def right(self) -> bool:
        return (
            self.found
            and fold(self.speaker) == fold(self.row.speaker)
            and (not self.row.via or fold(self.via) == fold(self.row.via))
        )


def fold(text: str) -> str:
    return " ".join(folded(text.replace("’", "'")).split())


def read_gold(path: Path) -> list[GoldRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("file\t"):
            continue
        cells = [*line.split("\t"), "", ""]
        rows.append(GoldRow(cells[0], cells[1], cells[2], cells[3], cells[4]))
    return rows


def _content(att: Attribution, text: str) -> str:
    parts = [att.content, *att.more]
    return fold(" ".join(p.text_of(text) for p in parts))


def _find(row: GoldRow, text: str, quotes: Sequence[Attribution],
          attributions: Sequence[Attribution]) -> Attribution | None:  # fmt: skip
    want = fold(row.text)
    if row.kind == "quote":
        return next((q for q in quotes if _content(q, text).startswith(want)), None)
    return next((a for a in attributions if want in _content(a, text)), None)


def check(
    rows: Sequence[GoldRow],
    analyses: Mapping[str, tuple[str, Sequence[Attribution], Sequence[Attribution]]],
) -> tuple[list[GoldCheck], list[tuple[str, str]]]:
    """Each row checked against ``analyses`` (file -> (text, quotes, attributions)),
    and the quotes no row lists as (file, quote text)."""
    out = []
    for row in rows:
        text, quotes, atts = analyses.get(row.file, ("", (), ()))
        att = _find(row, text, quotes, atts)
        if att is None:
            out.append(GoldCheck(row, False, "", ""))
            continue
        chain = att.chain()
        via = speaker_name(chain[1]) if len(chain) > 1 else ""
        out.append(GoldCheck(row, True, speaker_name(att.source), via))
    extra = []
    listed = {(r.file, fold(r.text)) for r in rows if r.kind == "quote"}
    for file, (text, quotes, _) in sorted(analyses.items()):
        for q in quotes:
            said = _content(q, text)
            if not any(f == file and said.startswith(t) for f, t in listed):
                extra.append((file, q.content.text_of(text)))
    return out, extra
