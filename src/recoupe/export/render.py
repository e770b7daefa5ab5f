"""Markdown and HTML reports, rendered from the export document (``document.py``).

Both are self-contained and readable offline. HTML goes through Jinja2 with
autoescaping on: article text is data, and a hostile article must not run script in a
reader's browser. In HTML each summary citation links to the cited span, highlighted in
place in the article's clean text.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jinja2

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#|"})


def _md(text: str | None) -> str:
    """Markdown-escaped single line."""
    return " ".join((text or "").split()).translate(_MD_SPECIAL)


def _disputes_md(disputes: list[dict[str, Any]], numbers: dict[str, int]) -> str:
    """" **disputed**: 12 [1] vs quinze [2]" for a claim in conflict, else ""."""
    if not disputes:
        return ""
    shown = "; ".join(f"{_md(d['left'])} [{numbers.get(d['a'], '?')}] vs {_md(d['right'])} "
                      f"[{numbers.get(d['b'], '?')}]" for d in disputes)  # fmt: skip
    return f" **disputed**: {shown}"


def _story_markdown(s: dict[str, Any]) -> list[str]:
    numbers = {a["id"]: a["number"] for a in s["articles"]}
    dates = s["first"] if s["first"] == s["last"] else f"{s['first']} to {s['last']}"
    outlets = _md(", ".join(s["outlets"]))
    lines = [f"## Story {s['id']}: {_md(s['title'])}", "",
             f"{len(s['articles'])} articles · {dates or 'undated'} · "
             f"{', '.join(s['languages'])} · outlets: {outlets}", ""]  # fmt: skip
    if s["entities"]:
        ents = ", ".join(f"{_md(e['name'])} ({e['mentions']})" for e in s["entities"][:20])
        lines += [f"Entities: {ents}", ""]
    lines += ["### Summary", ""]
    for sent in s["summary"]["sentences"]:
        cites = "".join(f"[{numbers[c['article']]}]" for c in sent["citations"])
        lines.append(f"- {_md(sent['text'])} {cites} "
                     f"({sent['independent_origins']} independent origin(s))"
                     f"{_disputes_md(sent['disputes'], numbers)}")  # fmt: skip
    lines += ["", "### Claims carried by several articles, or disputed", "",
              "| claim | articles | independent origins | attributed to | first seen |",
              "|---|---|---|---|---|"]  # fmt: skip
    for c in s["claims"]:
        if c["support"]["articles"] < 2 and not c["disputed"]:
            continue
        who = "; ".join(_md(x["name"]) for x in c["attributed_to"]) or "(outlets)"
        first = c["first_seen"]
        seen = f"{first['published'][:10]} {_md(first['outlet'])}" if first else "undated"
        origins = "disputed" if c["disputed"] else str(c["support"]["origins"])
        lines.append(f"| {_md(c['text'])}{_disputes_md(c['disputes'], numbers)} | "
                     f"{c['support']['articles']} | {origins} | {who} | {seen} |")  # fmt: skip
    if s["disagreements"]:
        lines += ["", "### Disagreements", ""]
        for d in s["disagreements"]:
            when = ""
            if d["status"] == "update":
                when = f" (update: {d['a_day'] or 'undated'} then {d['b_day'] or 'undated'})"
            lines.append(f"- **{d['kind']}, {d['status']}**{when}: {_md(d['left'])} vs "
                         f"{_md(d['right'])} — [{numbers[d['a']['article']]}] "
                         f"{_md(d['a']['text'])} / [{numbers[d['b']['article']]}] "
                         f"{_md(d['b']['text'])}")  # fmt: skip
    lines += ["", "### What each article adds", ""]
    for u in s["unique"]:
        lines.append(
            f"- [{numbers[u['article']]}]: {len(u['mentions'])} claim(s) found nowhere else"
        )
        lines += [f"  - {_md(m['text'])}" for m in u["mentions"]]
    if s["quotes"]:
        lines += ["", "### Quotes", ""]
        for q in s["quotes"]:
            who = q["speaker"]["name"] if q["speaker"] else "?"
            lines.append(f"- {_md(who)}: “{_md(q['text'])}” [{numbers[q['article']]}]")
    lines += ["", "### Articles", ""]
    for a in s["articles"]:
        bits = [a["outlet"], (a["published"] or "")[:10], a["language"], a["url"] or a["origin"]]
        lines.append(f"{numbers[a['id']]}. {_md(a['title'] or a['id'])} — "
                     f"{_md(' · '.join(b for b in bits if b))} (`{a['id']}`)")  # fmt: skip
    return [*lines, ""]


def to_markdown(document: dict[str, Any]) -> str:
    lines = [f"# recoupe export ({document['generator']}, format {document['format']} "
             f"v{document['version']})", ""]  # fmt: skip
    for story in document["stories"]:
        lines += _story_markdown(story)
    return "\n".join(lines)


def segments(text: str, spans: Sequence[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, anchor id or None) with the given spans marked; an
    overlapping span is merged into the one before it (the first id wins)."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, anchor in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append((text[pos:start], None))
        out.append((text[start:end], anchor))
        pos = end
    out.append((text[pos:], None))
    return [(piece, anchor) for piece, anchor in out if piece]


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("recoupe.export", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["segments"] = segments
    return env


def to_html(document: dict[str, Any]) -> str:
    return _environment().get_template("report.html.j2").render(doc=document)
