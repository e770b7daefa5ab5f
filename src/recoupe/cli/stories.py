"""Commands about stories: ``stories``, ``story``, ``topics``, ``quotes``, ``claims``.

Thin like the rest of the CLI: parse, call ``recoupe.app``, render. ``register`` adds
them to the main command group (``recoupe.cli``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from recoupe import app
from recoupe.cli.common import (
    ConfigOption,
    DbOption,
    FollowSymlinksOption,
    JsonLinesOption,
    JsonOption,
    count,
    err,
    identifier,
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
from recoupe.store.base import StoryFilter
from recoupe.types import Attribution, Document, Source, Story

StoryArg = Annotated[str, typer.Argument(metavar="STORY", help="Story id (see `recoupe stories`).")]


def progress_bar() -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def _days(story: Story) -> str:
    if story.first is None or story.last is None:
        return "undated"
    return story.first if story.first == story.last else f"{story.first}→{story.last[5:]}"


def _story_json(story: Story) -> dict[str, Any]:
    data = dataclasses.asdict(story)
    data["n_articles"] = len(story.members)
    return data


def stories(
    db: DbOption = None,
    config: ConfigOption = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Stories with this language.")] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Stories with an article of this outlet.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Last article on or after (ISO).", callback=iso_date)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="First article on or before (ISO).", callback=iso_date)
    ] = None,
    search: Annotated[str | None, typer.Option(help="Full-text query over the articles.")] = None,
    topic: Annotated[
        int | None, typer.Option(help="Stories of this topic.", callback=identifier)
    ] = None,
    limit: Annotated[int, typer.Option(help="How many stories to list.", callback=count)] = 50,
    update: Annotated[
        bool, typer.Option("--update/--no-update", help="Cluster new articles first.")
    ] = True,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Re-cluster every article from scratch.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Cluster new articles into stories (incremental), then list stories, most recent
    first: articles, languages, dates, title."""
    settings = settings_for(config, db)
    flt = StoryFilter(lang, outlet, since, until, search, topic, limit)
    with app.open_repository(settings) as repo:
        if update or rebuild:
            with progress_bar() as bar:
                report = app.build_stories(repo, step=step_progress(bar), rebuild=rebuild)
            if not as_json:
                err.print(
                    f"{report.clustered_now} article(s) clustered now, {report.articles} in "
                    f"{report.stories} stories, {report.topics} topics"
                    + (" (rebuilt)" if report.rebuilt else ""),
                    highlight=False,
                )
        rows = app.list_stories(repo, flt)
        total = app.count_stories(repo, dataclasses.replace(flt, limit=None))
    if as_json:
        out.print_json(json.dumps([_story_json(s) for s in rows], ensure_ascii=False))
        return
    out.print(_stories_table(rows, total))


def _stories_table(rows: list[Story], total: int) -> Table:
    table = Table(title=f"{len(rows)} of {total} stories")
    for name in ("id", "art.", "lang", "dates", "outl."):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1, min_width=24)
    for s in rows:
        table.add_row(str(s.id), str(len(s.members)), ",".join(s.languages), _days(s),
                      str(len(s.outlets)), Text(s.title))  # fmt: skip
    return table


def run(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs or feed URLs.")],
    db: DbOption = None,
    config: ConfigOption = None,
    limit: Annotated[int, typer.Option(help="How many stories to list.", callback=count)] = 20,
    follow_symlinks: FollowSymlinksOption = False,
    as_json: JsonLinesOption = False,
) -> None:
    """The main job in one command: ingest, find copies, cluster into stories, list the
    stories. Each step is incremental, so running it again on new inputs adds to the
    same store. With --json: one record per input, a summary record, one per story."""
    settings = ingest_settings(settings_for(config, db), False, follow_symlinks)
    total = app.estimate_inputs(targets, settings)
    with app.open_repository(settings) as repo, progress_bar() as bar:
        task = bar.add_task("ingest", total=total)
        ingested = app.ingest(repo, targets, settings, lambda n: bar.advance(task, n),
                              input_record if as_json else None)  # fmt: skip
        summary = (
            f"ingest: {ingested.accepted} accepted, {ingested.duplicates} duplicate, "
            f"{ingested.rejected} rejected (`recoupe rejections`)"
        )
        if ingested.rejected and not ingested.accepted and not ingested.duplicates:
            if as_json:
                json_record({"record": "summary", "ingest": ingest_summary(ingested, settings.db)})
                raise_if_all_rejected(ingested)
            out.print(summary, highlight=False)
            print_ingest_outcome(ingested, 10)  # every input rejected: exit 7, nothing to do
        copies = app.find_copies(repo, step=step_progress(bar))
        built = app.build_stories(repo, step=step_progress(bar))
        rows = app.list_stories(repo, StoryFilter(limit=limit))
        n_stories = app.count_stories(repo)
    if as_json:
        json_record({
            "record": "summary", "ingest": ingest_summary(ingested, settings.db),
            "copies": {"near_duplicates": copies.near_duplicates, "links": copies.links,
                       "origin_groups": len(copies.origin_groups)},
            "stories": {"clustered_now": built.clustered_now, "articles": built.articles,
                        "stories": built.stories, "topics": built.topics, "total": n_stories},
        })  # fmt: skip
        for story_row in rows:
            json_record({"record": "story", **_story_json(story_row)})
        return
    out.print(
        f"{summary}\n"
        f"copies: {copies.near_duplicates} near-duplicate pair(s), "
        f"{len(copies.origin_groups)} origin group(s), {copies.links} shared passage(s)\n"
        f"stories: {built.clustered_now} article(s) clustered now, {built.articles} in "
        f"{built.stories} stories, {built.topics} topics -> {settings.db}",
        highlight=False,
    )
    out.print(_stories_table(rows, n_stories))


def story(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
          as_json: JsonOption = False) -> None:  # fmt: skip
    """One story: dates, languages, outlets, entities, its articles in order, the other
    stories of its topic and its origin groups."""
    settings = settings_for(config, db)
    with app.open_repository(settings) as repo:
        view = app.story_view(repo, story_id)
    s = view.story
    if as_json:
        data = {
            "story": _story_json(s),
            "articles": [dataclasses.asdict(a) for a in view.articles],
            "entities": [dataclasses.asdict(e) for e in view.entities],
            "topic_stories": [_story_json(t) for t in view.topic_stories],
            "origin_groups": [dataclasses.asdict(g) for g in view.origin_groups],
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    out.rule(Text(f"story {s.id}: {s.title}"))
    out.print(f"{len(s.members)} articles · {_days(s)} · {', '.join(s.languages)} · "
              f"topic {s.topic}", highlight=False)  # fmt: skip
    out.print(Text("outlets: " + (", ".join(s.outlets) or "unknown")))
    ents = ", ".join(f"{e.surface} ({e.count})" for e in view.entities[:20])
    out.print(Text("entities: " + (ents or "none")))
    table = Table(title="articles (stream order)")
    for name in ("id", "published", "lang", "outlet", "title"):
        table.add_column(name, overflow="fold", no_wrap=name == "id")
    for a in view.articles:
        table.add_row(a.id, a.published or "", a.language or "", Text(a.outlet or ""),
                      Text(a.title or a.origin))  # fmt: skip
    out.print(table)
    for g in view.origin_groups:
        out.print(Text(f"origin group {g.id}: {', '.join(g.members)} (root {g.root or '?'})"))
    for t in view.topic_stories:
        out.print(Text(f"same topic: story {t.id} ({len(t.members)} articles) {t.title}"))


def topics(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Topics (stories that belong together), largest first, with their stories."""
    settings = settings_for(config, db)
    with app.open_repository(settings) as repo:
        found = app.list_topics(repo)
    if as_json:
        data = [{"id": t.id, "title": t.title, "n_articles": t.n_articles,
                 "stories": [_story_json(s) for s in t.stories]} for t in found]  # fmt: skip
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    for t in found:
        out.print(Text.assemble((f"topic {t.id}", "bold"),
                                f"  {len(t.stories)} stories, {t.n_articles} articles  ",
                                (t.title, "italic")))  # fmt: skip
        for s in t.stories:
            out.print(Text(f"  story {s.id:>4}  {len(s.members):>3} art.  {_days(s)}  {s.title}"))


def _source_name(src: Source | None, doc: Document) -> str:
    if src is None:
        return "?"
    name = src.name or src.span.text_of(doc.text)
    return f"{name} (anonymous)" if src.anonymous else name


def _chain(att: Attribution, doc: Document) -> str:
    names = [_source_name(s, doc) for s in att.chain()]
    if att.channel is not None:
        names.insert(1, f"to {_source_name(att.channel, doc)}")
    if att.first_report:
        names.append("(first report)")
    return " ← ".join(names) or "?"


def _att_json(att: Attribution, doc: Document, story_id: int) -> dict[str, Any]:
    data = dataclasses.asdict(att)
    data.update(
        article=doc.id, story=story_id, content_text=att.content.text_of(doc.text),
        cue_text=att.cue.text_of(doc.text) if att.cue else None, chain=_chain(att, doc),
    )  # fmt: skip
    return data


def quotes(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
           as_json: JsonOption = False) -> None:  # fmt: skip
    """Direct quotes of a story: speaker, quote, cue, article (analyses the story's
    articles now if needed; stored for next time)."""
    settings = settings_for(config, db)
    with app.open_repository(settings) as repo, progress_bar() as bar:
        s, found = app.story_analyses(repo, story_id, step_progress(bar))
    rows = [(a.doc, q) for a in found for q in a.analysis.quotes]
    if as_json:
        out.print_json(json.dumps([_att_json(q, d, s.id) for d, q in rows], ensure_ascii=False))
        return
    table = Table(title=f"story {s.id}: {len(rows)} quote(s)", show_lines=True)
    for name in ("speaker", "quote", "cue", "article"):
        table.add_column(name, overflow="fold", ratio=3 if name == "quote" else 1)
    for doc, q in rows:
        cue = q.cue.text_of(doc.text) if q.cue else ""
        table.add_row(Text(_chain(q, doc)), Text(q.content.text_of(doc.text)), Text(cue),
                      doc.id)  # fmt: skip
    out.print(table)


def claims(
    story_id: StoryArg,
    db: DbOption = None,
    config: ConfigOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Also the outlets' own-voice sentences.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Claims of a story: attributed contents with their source chain and cue (and with
    --all the sentences the outlets state in their own voice)."""
    settings = settings_for(config, db)
    with app.open_repository(settings) as repo, progress_bar() as bar:
        s, found = app.story_analyses(repo, story_id, step_progress(bar))
    rows = [(a.doc, c) for a in found for c in a.analysis.claims if everything or not c.own_voice]
    if as_json:
        data = []
        for doc, c in rows:
            item = dataclasses.asdict(c)
            item.update(article=doc.id, story=s.id, text=c.span.text_of(doc.text),
                        attributed_to=[_chain(a, doc) for a in c.attributions])  # fmt: skip
            data.append(item)
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"story {s.id}: {len(rows)} claim(s)", show_lines=True)
    for name in ("attributed to", "claim", "article"):
        table.add_column(name, overflow="fold", ratio=3 if name == "claim" else 1)
    for doc, c in rows:
        who = "; ".join(_chain(a, doc) for a in c.attributions) or "(outlet)"
        table.add_row(Text(who), Text(c.span.text_of(doc.text)), doc.id)
    out.print(table)


def register(group: typer.Typer) -> None:
    for command in (run, stories, story, topics, quotes, claims):
        group.command()(command)
