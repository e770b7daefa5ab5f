"""Per-story stage: attribution analysis (quotes, attributed contents, claims).

A full dependency parse is the expensive, sentence-level work the design keeps inside
stories: it runs on demand for the articles of the stories a user looks at (or for all
with ``recoupe analyse``), and each article's result is stored, keyed by ``ANALYSER`` -
changing the rules changes the tag and re-analyses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from recoupe.attribution import Analysis, analyse
from recoupe.store import analyses as codec
from recoupe.store.base import Repository, StoriesRepository
from recoupe.types import Document

__all__ = ["ANALYSER", "Analysis", "AttributionStage", "analysis_language"]

ANALYSER = "rules-fr-en-v1"
SUPPORTED = ("fr", "en")

Step = Callable[[str, int, int], None]


def _decode(data: str) -> Analysis:
    quotes, attributions, claims = codec.decode(data)
    return Analysis(quotes, attributions, claims)


def analysis_language(doc: Document) -> str | None:
    """The rules exist for French and English; other languages get no analysis rather
    than English rules applied to them."""
    return doc.language if doc.language in SUPPORTED else None


class AttributionStage:
    def __init__(
        self, repo: Repository, stories: StoriesRepository, step: Step | None = None
    ) -> None:
        self.repo, self.stories = repo, stories
        self.step = step or (lambda name, done, total: None)

    def analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        """Analysis of each article of ``ids`` (computed now for those without a stored
        one by this analyser). Articles in unsupported languages get an empty analysis."""
        done = self.stories.analysed(ANALYSER, ids)
        todo = [i for i in ids if i not in done]
        for n, doc_id in enumerate(todo, start=1):
            doc = self.repo.get_document(doc_id)
            lang = analysis_language(doc)
            result = analyse(doc.text, lang) if lang else Analysis((), (), ())
            data = codec.encode(result.quotes, result.attributions, result.claims)
            self.stories.put_analyses(ANALYSER, {doc_id: data})
            self.step("attribution", n, len(todo))
        return self.stored(ids)

    def stored(self, ids: Sequence[str]) -> dict[str, Analysis]:
        """The stored analyses of ``ids`` (none computed)."""
        stored = self.stories.get_analyses(ids)
        return {i: _decode(stored[i]) for i in ids if i in stored}
