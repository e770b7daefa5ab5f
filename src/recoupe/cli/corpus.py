"""Commands about the corpus: ``ingest``, ``articles``, ``show``, ``restore``,
``rejections``, ``copies``, ``reuse``."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from typing import Annotated

import typer
from rich import box
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from recoupe import app
from recoupe.cli.common import (
    ConfigOption,
    DbOption,
    FollowSymlinksOption,
    FormatOption,
    JsonLinesOption,
    JsonOption,
    MetaFromPathOption,
    WorkersOption,
    check_stdin,
    count,
    err,
    ingest_settings,
    ingest_summary,
    input_record,
    iso_date,
    json_record,
    out,
    print_ingest_outcome,
    raise_if_all_rejected,
    settings_for,
    step_progress,
)
from recoupe.types import Document, DocumentFilter, text_query


def ingest(
    targets: Annotated[
        list[str], typer.Argument(help="Files, folders, URLs, feed URLs, or - (standard input).")
    ],
    db: DbOption = None,
    config: ConfigOption = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching loopback/private addresses.")
    ] = False,
    follow_symlinks: FollowSymlinksOption = False,
    meta_from_path: MetaFromPathOption = None,
    stdin_format: FormatOption = None,
    show_rejections: Annotated[
        int, typer.Option("--show-rejections", help="How many rejections to list.", callback=count)
    ] = 10,
    as_json: JsonLinesOption = False,
    workers: WorkersOption = None,
) -> None:
    """Read, clean and store articles. Re-running on the same inputs adds nothing."""
    check_stdin(targets)
    settings = ingest_settings(settings_for(config, db), allow_private, follow_symlinks,
                               meta_from_path, stdin_format)  # fmt: skip
    total = app.estimate_inputs(targets, settings)
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        app.open_store(settings) as store,
        Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar,
    ):
        task = bar.add_task("ingest", total=total)
        report = app.ingest(store, targets, settings, lambda n: bar.advance(task, n),
                            input_record if as_json else None, workers=workers)  # fmt: skip
    if as_json:
        json_record({"record": "summary", **ingest_summary(report, settings.db)})
        raise_if_all_rejected(report)
        return
    out.print(
        f"{report.accepted} accepted, {report.duplicates} duplicate, {report.rejected} rejected "
        f"({report.total} inputs in {report.seconds:.1f} s) -> {settings.db}",
        highlight=False,
    )
    print_ingest_outcome(report, show_rejections)


def articles(
    db: DbOption = None,
    config: ConfigOption = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language code, e.g. fr.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name (exact, any case).")] = None,
    since: Annotated[
        str | None, typer.Option(help="Published on or after (ISO date).", callback=iso_date)
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Published on or before (ISO date or prefix).", callback=iso_date),
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text query (FTS5 syntax).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.", callback=count)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first."""
    settings = settings_for(config, db)
    flt = DocumentFilter(lang, outlet, since, until, text_query(search), limit)
    with app.open_store(settings) as store:
        rows = app.list_articles(store, flt)
    if as_json:
        out.print_json(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False))
        return
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False)  # fits 80 columns
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("rm", justify="right", no_wrap=True, header_style="bold")
    table.add_column("outlet", ratio=1, min_width=8, max_width=18)
    table.add_column("title", ratio=3, min_width=14)
    for r in rows:
        table.add_row(
            r.id,
            (r.published or "")[:10],
            r.language or "",
            str(r.n_removed),
            Text(r.outlet or ""),
            Text(r.title or r.origin),
        )
    out.print(table)
    out.print(f"{len(rows)} article(s) (rm: removed lines)")


def _render_document(doc: Document, with_removed: bool) -> None:
    meta = doc.meta
    fields = [
        ("id", doc.id),
        ("origin", doc.origin),
        ("kind", doc.kind.value),
        ("title", meta.title),
        ("outlet", meta.outlet),
        ("author", meta.author),
        ("published", meta.published),
        ("fetched", meta.fetched),
        ("url", meta.url),
        ("language", doc.language),
        ("declared language", meta.language),
        ("sentences", str(len(doc.sentences))),
    ]
    for name, value in fields:
        if value:
            out.print(Text.assemble((f"{name:>17}: ", "bold"), value))
    out.rule("text")
    out.print(Text(doc.text))
    if with_removed and doc.removed:
        out.rule(f"removed ({len(doc.removed)}) — restore with: recoupe restore {doc.id} LINE")
        table = Table("line", "reason", "text")
        for r in doc.removed:
            reason = f"{r.reason} (caption)" if r.is_caption and r.reason != "caption" else r.reason
            table.add_row(str(r.line_no), reason, Text(r.text[:120], style="dim"))
        out.print(table)


def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or unique prefix.")],
    db: DbOption = None,
    config: ConfigOption = None,
    removed: Annotated[bool, typer.Option("--removed/--no-removed")] = True,
    raw: Annotated[bool, typer.Option("--raw", help="Print the raw input instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show an article: metadata, clean text, and the removed lines with reasons."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        doc = app.get_article(store, doc_id)
    if raw:
        sys.stdout.write(doc.raw)
    elif as_json:
        data = dataclasses.asdict(doc)
        data.pop("raw")
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        _render_document(doc, removed)


def restore(
    doc_id: Annotated[str, typer.Argument(metavar="ID")],
    line: Annotated[int, typer.Argument(help="Input line number shown by `recoupe show`.")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Put a removed line back into an article's text."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        doc = app.restore(store, doc_id, line)
    out.print(f"restored line {line} of {doc.id}; {len(doc.removed)} line(s) still removed")


def rejections(
    db: DbOption = None,
    config: ConfigOption = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.", callback=count)] = 100,
    as_json: JsonOption = False,
) -> None:
    """List inputs that could not become articles, with the reason."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        rows = app.list_rejections(store, limit)
    if as_json:
        out.print_json(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False))
        return
    table = Table("recorded", "reason", "input", "detail")
    for r in rows:
        table.add_row(r.recorded, Text(r.reason), Text(r.origin), Text(r.detail))
    out.print(table)


def _member_line(doc_id: str, view: app.CopiesView, root: str | None) -> Text:
    row = view.articles.get(doc_id)
    mark = "★ " if doc_id == root else "  "
    if row is None:
        return Text(f"{mark}{doc_id}")
    date = (row.published or "undated")[:10]
    return Text.assemble(
        mark, (doc_id, "bold"), f"  {date}  {row.language or '--'}  ",
        (f"{row.outlet or '?'}", "cyan"), f"  {row.title or row.origin}",
    )  # fmt: skip


def copies(
    db: DbOption = None,
    config: ConfigOption = None,
    update: Annotated[
        bool, typer.Option("--update/--no-update", help="Run the copies stage first.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Find copies: near-duplicate articles, shared passages, origin groups (a claim in
    the articles of one origin group counts once)."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        if update:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(
                *columns, console=err, transient=True, disable=not err.is_terminal
            ) as bar:
                report = app.find_copies(store, step=step_progress(bar))
            out.print(
                f"{report.documents} articles: {report.near_duplicates} near-duplicate pair(s), "
                f"{report.candidates} candidate pair(s) ({report.aligned_now} aligned now), "
                f"{report.links} shared passage(s), {len(report.origin_groups)} origin group(s)"
            )
        view = app.copies_view(store)
    if as_json:
        data = {
            "near_duplicates": [dataclasses.asdict(d) for d in view.near_duplicates],
            "near_duplicate_groups": view.near_duplicate_groups,
            "origin_groups": [dataclasses.asdict(g) for g in view.origin_groups],
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    out.rule(f"near-duplicate groups ({len(view.near_duplicate_groups)})")
    for members in view.near_duplicate_groups:
        inside = [d for d in view.near_duplicates if d.a in members]
        pairs = ", ".join(
            f"{d.a[:8]}~{d.b[:8]} " + ("exact" if d.exact else f"{d.jaccard:.2f}") for d in inside
        )
        out.print(Text(f"{len(members)} articles ({pairs})", style="bold"))
        for member in members:
            out.print(_member_line(member, view, None))
    out.rule(f"origin groups ({len(view.origin_groups)})")
    for group in view.origin_groups:
        root = group.root or "unknown"
        out.print(Text.assemble((group.id, "bold"), f"  root: {root}  ({group.direction})"))
        for member in group.members:
            out.print(_member_line(member, view, group.root))


def _highlighted(text: str, shared: set[str]) -> Text:
    """``text`` with the words it shares with the other side in bold."""
    rendered = Text()
    for token in re.split(r"(\W+)", text):
        style = "bold yellow" if token.casefold() in shared and len(token) > 2 else ""
        rendered.append(token, style=style)
    return rendered


def reuse(
    first: Annotated[str, typer.Argument(metavar="ID1")],
    second: Annotated[str, typer.Argument(metavar="ID2")],
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Side by side: the passages two articles share (verbatim, near, paraphrase,
    translation), shared words highlighted."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        doc_a, doc_b, links = app.reuse_between(store, first, second)
    if as_json:
        out.print_json(json.dumps([dataclasses.asdict(link) for link in links], ensure_ascii=False))
        return
    table = Table(title=f"{len(links)} shared passage(s)", show_lines=True, expand=True)
    table.add_column("kind", no_wrap=True)
    table.add_column(f"{doc_a.id} · {doc_a.meta.outlet or doc_a.origin}", ratio=1)
    table.add_column(f"{doc_b.id} · {doc_b.meta.outlet or doc_b.origin}", ratio=1)
    for link in links:
        text_a = doc_a.text[link.a.start : link.a.end]
        text_b = doc_b.text[link.b.start : link.b.end]
        words_a = {w.casefold() for w in re.findall(r"\w+", text_a)}
        words_b = {w.casefold() for w in re.findall(r"\w+", text_b)}
        shared = words_a & words_b
        table.add_row(
            f"{link.kind.value}\n{link.score:.2f}",
            _highlighted(text_a, shared),
            _highlighted(text_b, shared),
        )
    out.print(table)
    covered_a = sum(link.a.end - link.a.start for link in links)
    covered_b = sum(link.b.end - link.b.start for link in links)
    out.print(
        f"shared: {covered_a / max(len(doc_a.text), 1):.0%} of {doc_a.id}, "
        f"{covered_b / max(len(doc_b.text), 1):.0%} of {doc_b.id}"
    )


def register(group: typer.Typer) -> None:
    for command in (ingest, articles, show, restore, rejections, copies, reuse):
        group.command()(command)
