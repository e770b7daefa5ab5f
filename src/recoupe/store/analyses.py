"""JSON form of an article's attribution analysis (``analyses.data``), shared by every
backend that stores an analysis as one document.

An analysis is a tree of frozen records (an attribution's ``via`` is the attribution
that reports it; a claim holds its attributions and sources), so it is stored whole as
one JSON document per article rather than spread over tables nobody queries separately.
The codec is exact: ``decode(encode(x)) == x`` (tested), offsets included.
"""

from __future__ import annotations

import json
from typing import Any

from recoupe.errors import StoreError
from recoupe.types import Analysis, Attribution, Claim, Source, SourceKind, TextSpan

FORMAT = 1


def _span(s: TextSpan | None) -> list[int] | None:
    return None if s is None else [s.start, s.end]


def _unspan(v: Any) -> TextSpan | None:
    return None if v is None else TextSpan(int(v[0]), int(v[1]))


def _source(s: Source | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "span": _span(s.span), "entities": list(s.entities), "kind": s.kind.value,
        "anonymous": s.anonymous, "description": s.description,
    }  # fmt: skip


def _unsource(v: Any) -> Source | None:
    if v is None:
        return None
    span = _unspan(v["span"])
    assert span is not None
    return Source(span, tuple(v["entities"]), SourceKind(v["kind"]), bool(v["anonymous"]),
                  str(v["description"]))  # fmt: skip


def _attribution(a: Attribution) -> dict[str, Any]:
    return {
        "content": _span(a.content), "source": _source(a.source), "cue": _span(a.cue),
        "direct": a.direct, "channel": _source(a.channel),
        "via": None if a.via is None else _attribution(a.via),
        "first_report": a.first_report, "more": [_span(m) for m in a.more],
    }  # fmt: skip


def _unattribution(v: dict[str, Any]) -> Attribution:
    content = _unspan(v["content"])
    assert content is not None
    return Attribution(
        content, _unsource(v["source"]), _unspan(v["cue"]), bool(v["direct"]),
        _unsource(v["channel"]), None if v["via"] is None else _unattribution(v["via"]),
        bool(v["first_report"]), tuple(s for s in map(_unspan, v["more"]) if s is not None),
    )  # fmt: skip


def _claim(c: Claim) -> dict[str, Any]:
    return {
        "span": _span(c.span),
        "attributions": [_attribution(a) for a in c.attributions],
        "sources": [_source(s) for s in c.sources],
    }


def _unclaim(v: dict[str, Any]) -> Claim:
    span = _unspan(v["span"])
    assert span is not None
    sources = tuple(s for s in map(_unsource, v["sources"]) if s is not None)
    return Claim(span, tuple(_unattribution(a) for a in v["attributions"]), sources)


def encode(analysis: Analysis) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "quotes": [_attribution(q) for q in analysis.quotes],
            "attributions": [_attribution(a) for a in analysis.attributions],
            "claims": [_claim(c) for c in analysis.claims],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(data: str) -> Analysis:
    """The parts of a stored analysis; StoreError if it is not one this code wrote."""
    try:
        v = json.loads(data)
        if v.get("format") != FORMAT:
            raise StoreError(f"stored analysis has format {v.get('format')!r}, not {FORMAT}")
        return Analysis(
            tuple(_unattribution(q) for q in v["quotes"]),
            tuple(_unattribution(a) for a in v["attributions"]),
            tuple(_unclaim(c) for c in v["claims"]),
        )
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise StoreError(f"stored analysis is corrupt: {exc}") from exc


def decode_quotes(data: str) -> tuple[Attribution, ...]:
    """Only the quotes of a stored analysis (a page listing quotes rebuilds no claims);
    StoreError like ``decode``."""
    try:
        v = json.loads(data)
    except ValueError as exc:
        raise StoreError(f"stored analysis is corrupt: {exc}") from exc
    if not isinstance(v, dict):
        raise StoreError("stored analysis is corrupt: not an object")
    return decode_quote_list(v.get("format"), v.get("quotes"))


def decode_quote_list(form: object, quotes: object) -> tuple[Attribution, ...]:
    """The quotes of a stored analysis from its ``format`` and its decoded ``quotes``
    value (a list); StoreError like ``decode``."""
    if form != FORMAT:
        raise StoreError(f"stored analysis has format {form!r}, not {FORMAT}")
    try:
        if not isinstance(quotes, list):
            raise TypeError("quotes are not a list")
        return tuple(_unattribution(q) for q in quotes)
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise StoreError(f"stored analysis is corrupt: {exc}") from exc


def decode_quote_json(form: object, quotes: str) -> tuple[Attribution, ...]:
    """``decode_quote_list`` of the JSON text of ``quotes``, for a store that extracts
    it with its own JSON functions (it then reads no attributions nor claims)."""
    try:
        value = json.loads(quotes)
    except ValueError as exc:
        raise StoreError(f"stored analysis is corrupt: {exc}") from exc
    return decode_quote_list(form, value)
