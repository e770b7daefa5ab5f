"""Commands about what a story establishes: ``summary``, ``corroborate``, ``unique``.

Each one corroborates the story first if needed (``app.story_report``: aligns the
story's article pairs, analyses attribution, groups claims - stored for next time).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from recoupe import app
from recoupe.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    count,
    err,
    out,
    settings_for,
    step_progress,
)
from recoupe.cli.stories import StoryArg, progress_bar
from recoupe.errors import UsageError
from recoupe.export import CsvTable, to_csv, to_html, to_markdown
from recoupe.types.plain import to_plain

WordsOption = Annotated[
    int, typer.Option("--words", help="Summary length in words.", callback=count)
]
LangOption = Annotated[
    str | None, typer.Option("--lang", help="Prefer summary sentences in this language.")
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Recompute even if stored findings are current.")
]


def _report(story_id: str, db: Any, config: Any, words: int = 100, lang: str | None = None,
            refresh: bool = False) -> app.StoryReport:  # fmt: skip
    settings = settings_for(config, db)
    with app.open_store(settings) as store, progress_bar() as bar:
        return app.story_report(store, story_id, words, lang, step=step_progress(bar),
                                refresh=refresh)  # fmt: skip


def _article_label(report: app.StoryReport, doc_id: str) -> str:
    doc = report.documents.get(doc_id)
    if doc is None:
        return doc_id
    bits = [doc.meta.outlet or doc.origin, (doc.meta.published or "")[:10]]
    return f"{doc_id} · " + " · ".join(b for b in bits if b)


SHORT_SUMMARY = 0.9  # a summary under this share of the words asked says why


def _words_note(got: int, asked: int) -> None:
    """Say why a summary is shorter than ``--words`` asked (the selection adds a
    sentence only while it brings content the chosen ones do not: the rest repeats)."""
    if got < SHORT_SUMMARY * asked:
        err.print(
            f"summary of {got} words, not {asked}: every other sentence of the story's "
            "articles repeats what these say, brings no content another article "
            "confirms, or is too short or too long to quote (summaries never pad)",
            highlight=False,
        )


def summary(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
            words: WordsOption = 100, lang: LangOption = None, refresh: RefreshOption = False,
            as_json: JsonOption = False) -> None:  # fmt: skip
    """Extractive summary of a story: every sentence verbatim from an article, citing
    every article that carries it with the exact character span."""
    report = _report(story_id, db, config, words, lang, refresh)
    s = report.findings.summary
    if as_json:
        data = {"story": report.view.story.id, "summary": to_plain(s)}
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    numbers = report.view.numbers  # the story's citation numbers, as on its web page
    cited: dict[str, None] = {}
    _words_note(s.words, words)
    out.rule(Text(f"story {report.view.story.id}: {report.view.story.title}"))

    def ref(doc_id: str) -> int:
        cited[doc_id] = None
        return numbers.setdefault(doc_id, len(numbers) + 1)  # an article no longer in it

    for sent in s.sentences:
        marks = [f"[{ref(c.doc_id)}]" for c in sent.citations]
        origins = f" ({sent.origins} independent origin{'s' if sent.origins != 1 else ''})"

        shown = [f"{x.left} [{ref(x.a)}] vs {x.right} [{ref(x.b)}]" for x in sent.disputes]
        dispute = " disputed: " + "; ".join(shown) if shown else ""
        out.print(Text.assemble(sent.text, " ", ("".join(marks), "bold cyan"),
                                (origins, "dim"), (dispute, "bold red")))  # fmt: skip
    out.print(f"\n{s.words} words", highlight=False)
    for doc_id in sorted(cited, key=numbers.__getitem__):
        out.print(Text(f"[{numbers[doc_id]}] {_article_label(report, doc_id)}"))
        for sent in s.sentences:
            for c in sent.citations:
                if c.doc_id == doc_id:
                    out.print(Text(f"    {c.kind.value} chars {c.start}-{c.end}", style="dim"))


def _group_row(c: app.ClaimRow) -> tuple[str, ...]:
    first = c.first_seen
    seen = f"{first.published[:10]} {first.outlet or first.doc_id}" if first else "undated"
    if first and first.tied:
        seen += f" (tie with {len(first.tied)})"
    sources = "; ".join(s.name + (" (anonymous)" if s.anonymous else "") for s in c.sources)
    text, origins = c.mention.text, str(c.support.origins)
    if c.disputes:
        text += " [disputed: " + "; ".join(f"{d.left} vs {d.right}" for d in c.disputes) + "]"
        origins = "disputed"
    return (text, str(c.support.articles), origins, sources or "(outlets)", seen)


def corroborate(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
                refresh: RefreshOption = False, singletons: Annotated[
                    bool, typer.Option("--all", help="Also claims carried by one article.")
                ] = False, as_json: JsonOption = False) -> None:  # fmt: skip
    """Claims of a story grouped across articles and languages: how many articles carry
    each, how many INDEPENDENT origins (copies of one wire count once), who it is
    attributed to, first seen; then the disagreements found."""
    report = _report(story_id, db, config, refresh=refresh)
    f = report.findings
    rows = app.claim_rows(f, singletons)  # what recoupe.open(db).claims(story) returns
    if as_json:
        by_id = {g.id: g for g in f.groups}
        data = {"story": f.story_id, "claim_groups": to_plain([by_id[r.id] for r in rows]),
                "disagreements": to_plain(f.disagreements)}  # fmt: skip
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"story {f.story_id}: {len(rows)} claim group(s)", show_lines=True,
                  box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False,
                  caption="art.: articles carrying it; orig.: independent origins (copies "
                          "of one source count once)")  # fmt: skip
    table.add_column("claim", ratio=3, min_width=24)
    for name in ("art.", "orig."):
        table.add_column(name, no_wrap=True, justify="right")
    table.add_column("attributed to", ratio=1, min_width=10, max_width=18)
    table.add_column("first seen", ratio=1, min_width=10, max_width=16)
    for row in rows:
        table.add_row(*(Text(cell) for cell in _group_row(row)))
    out.print(table)
    for d in f.disagreements:
        if d.conflict:
            head = (f"disagreement ({d.kind.value}): ", "bold red")
        else:
            head = (f"update ({d.kind.value}, {d.a_day or 'undated'} then "
                    f"{d.b_day or 'undated'}): ", "bold yellow")  # fmt: skip
        out.print(Text.assemble(head, f"{d.left} vs {d.right}"))
        out.print(Text(f"  {_article_label(report, d.a.doc_id)}: {d.a.text}", style="dim"))
        out.print(Text(f"  {_article_label(report, d.b.doc_id)}: {d.b.text}", style="dim"))


def unique(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
           refresh: RefreshOption = False, as_json: JsonOption = False) -> None:  # fmt: skip
    """What each article of a story adds: its claims found in no other article."""
    report = _report(story_id, db, config, refresh=refresh)
    f = report.findings
    if as_json:
        out.print_json(json.dumps({"story": f.story_id, "unique": to_plain(f.unique)},
                                  ensure_ascii=False))  # fmt: skip
        return
    for u in f.unique:
        out.rule(Text(_article_label(report, u.doc_id)))
        for m in u.mentions:
            who = ", ".join(s.name for s in m.sources)
            out.print(Text.assemble("• ", m.text, (f"  ({who})" if who else "", "dim")))


class Format(StrEnum):
    JSON = "json"
    MD = "md"
    HTML = "html"
    CSV = "csv"


def export(
    stories: Annotated[
        list[str] | None, typer.Argument(metavar="[STORY]...", help="Story ids (default: all).")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="json, md, html or csv.")] = Format.JSON,
    table: Annotated[CsvTable, typer.Option(
        "--table", help="With --format csv: claims, quotes or articles.")] = CsvTable.CLAIMS,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    words: WordsOption = 100,
    lang: LangOption = None,
) -> None:
    """Export stories (summary with citations, claims with independent origins,
    disagreements, unique content, quotes, articles with their clean text) as JSON
    following docs/schema/export-v1.schema.json, as a Markdown / HTML report, or one CSV
    table (--table claims, quotes or articles) with the same citation numbers."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store, progress_bar() as bar:
        document = app.export_stories(store, stories or [], words, lang, step=step_progress(bar))
    if fmt is Format.JSON:
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    elif fmt is Format.CSV:
        text = to_csv(document, table)
    else:
        text = to_markdown(document) if fmt is Format.MD else to_html(document)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    err.print(f"{len(document['stories'])} story(ies) -> {output}", highlight=False)


def register(group: typer.Typer) -> None:
    for command in (summary, corroborate, unique, export):
        group.command()(command)
