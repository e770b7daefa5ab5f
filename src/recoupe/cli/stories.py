"""Commands about stories: ``stories``, ``story``, ``topics``, ``quotes``, ``claims``.

Thin like the rest of the CLI: parse, call ``recoupe.app``, render. ``register`` adds
them to the main command group (``recoupe.cli``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from recoupe import app
from recoupe.app import QuoteOccurrence, SpeakerQuotes, speaker_name
from recoupe.cli.common import (
    ConfigOption,
    DbOption,
    EngineOption,
    FollowSymlinksOption,
    JsonLinesOption,
    JsonOption,
    SchedulerOption,
    WorkersOption,
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
from recoupe.types import Attribution, Document, Source, Story, StoryFilter, text_query

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
    flt = StoryFilter(lang, outlet, since, until, text_query(search), topic, limit)
    with app.open_store(settings) as store:
        if update or rebuild:
            with progress_bar() as bar:
                report = app.build_stories(store, step=step_progress(bar), rebuild=rebuild)
            if not as_json:
                err.print(
                    f"{report.clustered_now} article(s) clustered now, {report.articles} in "
                    f"{report.stories} stories, {report.topics} topics"
                    + (" (rebuilt)" if report.rebuilt else ""),
                    highlight=False,
                )
        rows = app.list_stories(store, flt)
        total = app.count_stories(store, dataclasses.replace(flt, limit=None))
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
    workers: WorkersOption = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    as_json: JsonLinesOption = False,
) -> None:
    """The main job in one command: ingest, find copies, cluster into stories, then the
    findings of every story of 2+ articles (claims, independent origins, summary); list
    the stories. Each step is incremental, so running it again on new inputs adds to the
    same store. With --json: one record per input, a summary record, one per story."""
    settings = ingest_settings(settings_for(config, db), False, follow_symlinks)
    total = app.estimate_inputs(targets, settings)
    with (
        app.executor_for(engine, workers, scheduler) as executor,
        app.open_store(settings) as store,
        progress_bar() as bar,
    ):
        task = bar.add_task("ingest", total=total)
        report = app.run_all(
            store, targets, settings, executor,
            progress=lambda n: bar.advance(task, n), step=step_progress(bar),
            outcome=input_record if as_json else None,
        )  # fmt: skip
        ingested = report.ingest
        summary = (
            f"ingest: {ingested.accepted} accepted, {ingested.duplicates} duplicate, "
            f"{ingested.rejected} rejected (`recoupe rejections`)"
        )
        if report.nothing_stored:
            if as_json:
                json_record({"record": "summary", "ingest": ingest_summary(ingested, settings.db)})
                raise_if_all_rejected(ingested)
            out.print(summary, highlight=False)
            print_ingest_outcome(ingested, 10)  # every input rejected: exit 7, nothing to do
        rows = app.list_stories(store, StoryFilter(limit=limit))
        n_stories = app.count_stories(store)
    assert report.copies is not None and report.stories is not None
    built = report.stories
    if as_json:
        json_record({
            "record": "summary", "ingest": ingest_summary(ingested, settings.db),
            "copies": {"near_duplicates": report.copies.near_duplicates, "links": report.links,
                       "origin_groups": report.origin_groups},
            "stories": {"clustered_now": built.clustered_now, "articles": built.articles,
                        "stories": built.stories, "topics": built.topics, "total": n_stories},
            "findings": {"corroborated_now": report.corroborated},
        })  # fmt: skip
        for story_row in rows:
            json_record({"record": "story", **_story_json(story_row)})
        return
    out.print(
        f"{summary}\n"
        f"copies: {report.copies.near_duplicates} near-duplicate pair(s), "
        f"{report.origin_groups} origin group(s), {report.links} shared passage(s)\n"
        f"stories: {built.clustered_now} article(s) clustered now, {built.articles} in "
        f"{built.stories} stories, {built.topics} topics -> {settings.db}\n"
        f"findings: {report.corroborated} story(ies) corroborated now",
        highlight=False,
    )
    out.print(_stories_table(rows, n_stories))


def story(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
          as_json: JsonOption = False) -> None:  # fmt: skip
    """One story: dates, languages, outlets, entities, its articles in order, the other
    stories of its topic and its origin groups."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        view = app.story_view(store, story_id)
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
    ents = ", ".join(f"{e.surface} ({e.articles}/{e.count})" for e in view.entities[:20])
    out.print(Text("entities: " + (ents or "none")))
    table = Table(title="articles (n: their citation numbers in summaries and exports)",
                  box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False)  # fmt: skip
    table.add_column("n", justify="right", no_wrap=True)
    for name in ("id", "published", "lang"):
        table.add_column(name, no_wrap=True)
    table.add_column("outlet", ratio=1, min_width=8, max_width=18)
    table.add_column("title", ratio=3, min_width=14)
    numbers = view.numbers
    for a in view.timeline:
        table.add_row(str(numbers[a.id]), a.id, (a.published or "")[:10], a.language or "",
                      Text(a.outlet or ""), Text(a.title or a.origin))  # fmt: skip
    out.print(table)
    for g in view.origin_groups:
        out.print(Text(f"origin group {g.id}: {', '.join(g.members)} (root {g.root or '?'})"))
    for t in view.topic_stories:
        out.print(Text(f"same topic: story {t.id} ({len(t.members)} articles) {t.title}"))


def topics(db: DbOption = None, config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Topics (stories that belong together), largest first, with their stories."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store:
        found = app.list_topics(store)
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
    del doc  # the phrase as written is not a name: an unresolved "il" is "unknown"
    name = speaker_name(src)
    return f"{name} (anonymous)" if src is not None and src.anonymous else name


def _chain(att: Attribution, doc: Document) -> str:
    names = [_source_name(s, doc) for s in att.chain()]
    if att.channel is not None:
        names.insert(1, f"to {_source_name(att.channel, doc)}")
    if att.first_report:
        names.append("(first report)")
    return " ← ".join(names) or "unknown"


def _att_json(att: Attribution, doc: Document, story_id: int) -> dict[str, Any]:
    data = dataclasses.asdict(att)
    data.update(
        article=doc.id, story=story_id, content_text=att.content.text_of(doc.text),
        cue_text=att.cue.text_of(doc.text) if att.cue else None, chain=_chain(att, doc),
    )  # fmt: skip
    return data


def _speaker_json(g: SpeakerQuotes) -> dict[str, Any]:
    return {
        "speaker": g.speaker, "kind": g.kind, "anonymous": g.anonymous,
        "quotes": [
            {"text": occs[0].text, "occurrences": [
                {"article": o.doc_id, "outlet": o.outlet, "published": o.published,
                 "start": o.start, "end": o.end, "cue": o.cue, "via": list(o.via),
                 "channel": o.channel}
                for o in occs]}
            for occs in g.quotes
        ],
    }  # fmt: skip


def _where(occs: tuple[QuoteOccurrence, ...]) -> str:
    lines = []
    for o in occs:
        via = f" via {' ← '.join(o.via)}" if o.via else ""
        to = f" to {o.channel}" if o.channel else ""
        day = (o.published or "undated")[:10]
        lines.append(f"{o.outlet or '?'}, {day}{to}{via} [{o.doc_id[:8]}]")
    return "\n".join(lines)


def quotes(story_id: StoryArg, db: DbOption = None, config: ConfigOption = None,
           as_json: JsonOption = False) -> None:  # fmt: skip
    """Direct quotes of a story grouped by speaker: each quote once, with the outlet and
    date of every article that carries it (analyses the story's articles now if needed;
    stored for next time)."""
    settings = settings_for(config, db)
    with app.open_store(settings) as store, progress_bar() as bar:
        s, groups = app.story_quotes(store, story_id, step_progress(bar))
    if as_json:
        out.print_json(json.dumps([_speaker_json(g) for g in groups], ensure_ascii=False))
        return
    n = sum(len(g.quotes) for g in groups)
    table = Table(title=f"story {s.id}: {n} quote(s), {len(groups)} speaker(s)", show_lines=True)
    for name in ("speaker", "quote", "where (outlet, date)"):
        table.add_column(name, overflow="fold", ratio=3 if name == "quote" else 1)
    for g in groups:
        who = f"{g.speaker} (anonymous)" if g.anonymous else g.speaker
        for k, occs in enumerate(g.quotes):
            table.add_row(Text(who if k == 0 else ""), Text(occs[0].text), Text(_where(occs)))
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
    with app.open_store(settings) as store, progress_bar() as bar:
        s, found = app.story_analyses(store, story_id, step_progress(bar))
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
