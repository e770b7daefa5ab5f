"""The main job (``recoupe run``): ingest, copies, stories, then alignment inside stories,
attribution and the findings of every story of 2+ articles - so the web UI and the
exports are never empty after it. Every step is incremental: a second run on new inputs
costs what they add, and a run killed at any point resumes where it stopped.

The executor decides where kernels run (this process, worker processes, a Dask
cluster); the steps and what they store do not depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recoupe.app.corpus import IngestReport, Outcomes, Progress, default_encoder, ingest
from recoupe.config import Settings
from recoupe.errors import UsageError
from recoupe.nlp.encoder import Encoder
from recoupe.pipeline.copies import CopiesReport, run_copies
from recoupe.pipeline.corroboration import corroborate_stories
from recoupe.pipeline.stage import Executor, LocalExecutor, Step, no_progress
from recoupe.pipeline.stories import StoriesReport
from recoupe.store.base import Store

ENGINES = ("local", "dask")


def executor_for(engine: str = "local", workers: int | None = None,
                 scheduler: str | None = None) -> Executor:  # fmt: skip
    """The executor a command runs its kernels on: ``local`` worker processes (``workers``,
    default one per core), or ``dask`` tasks on the cluster at ``scheduler`` (a local
    cluster of ``workers`` processes when no address is given)."""
    if engine == "local":
        if scheduler:
            raise UsageError("--scheduler needs --engine dask")
        return LocalExecutor(workers)
    if engine == "dask":
        from recoupe.pipeline.dask_executor import DaskExecutor  # dask loads only if used

        return DaskExecutor(scheduler, workers)
    raise UsageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


@dataclass(frozen=True, slots=True)
class RunReport:
    ingest: IngestReport
    copies: CopiesReport | None
    stories: StoriesReport | None
    corroborated: int  # stories whose findings were computed in this run
    origin_groups: int = 0  # in the store at the end of the run
    links: int = 0

    @property
    def nothing_stored(self) -> bool:
        """Every input was rejected and nothing was stored before."""
        ing = self.ingest
        return bool(ing.rejected) and not ing.accepted and not ing.duplicates


def run_all(
    store: Store,
    targets: Sequence[str],
    settings: Settings,
    executor: Executor | None = None,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
    step: Step = no_progress,
    outcome: Outcomes | None = None,
) -> RunReport:
    """Ingest ``targets`` and bring every later step up to date. Stops after the ingest
    when every input was rejected and nothing was stored before (nothing to do).
    ``outcome`` hears what became of each input (as in ``ingest``)."""
    own = executor is None
    executor = executor or LocalExecutor()
    try:
        ingested = ingest(store, targets, settings, progress, outcome,
                          workers=executor.workers)  # fmt: skip
        if ingested.rejected and not ingested.accepted and not ingested.duplicates:
            return RunReport(ingested, None, None, 0)
        enc = default_encoder(encoder)
        copies = run_copies(store, enc, executor, step)  # stories on the way
        stories = copies.stories
        everything = store.stories.list_stories()
        corroborated = corroborate_stories(store, everything, enc, executor, step,
                                           aligned=True)  # fmt: skip
        groups, links = store.copies.origin_groups(), store.copies.reuse_links()
        return RunReport(ingested, copies, stories, corroborated, len(groups), len(links))
    finally:
        if own:
            executor.close()
