"""recoupe.corroborate: who else says it? Claim groups, independent origins,
disagreements and unique content within one story. Pure algorithms (no store, no I/O).

    mentions = [m for doc, analysis in story for m in mentions_of(doc, analysis.claims)]
    groups = group_claims(mentions, encoder=shared_usem3(), cache=cache,
                          origin_groups=story_origin_groups, links=story_links)
    disagreements = find_disagreements(groups, encoder=shared_usem3(), cache=cache)
    unique = unique_content(groups, story_links)

See docs/summaries.md for the thresholds and how they were measured.
"""

from recoupe.corroborate.disagreement import CLOSE_MIN, compare, facts, find_disagreements
from recoupe.corroborate.grouping import average_linkage, build_group, group_claims
from recoupe.corroborate.independence import (
    COPY_KINDS,
    copy_links,
    doc_origins,
    independent_origins,
)
from recoupe.corroborate.mentions import mentions_from, mentions_of
from recoupe.corroborate.records import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    FirstSeen,
    SourceRef,
    Support,
    UniqueContent,
)
from recoupe.corroborate.similarity import SAME_MIN, VectorCache, score_matrix
from recoupe.corroborate.unique import unique_content

__all__ = [
    "CLOSE_MIN",
    "COPY_KINDS",
    "SAME_MIN",
    "ClaimGroup",
    "ClaimMention",
    "Disagreement",
    "DisagreementKind",
    "FirstSeen",
    "SourceRef",
    "Support",
    "UniqueContent",
    "VectorCache",
    "average_linkage",
    "build_group",
    "compare",
    "copy_links",
    "doc_origins",
    "facts",
    "find_disagreements",
    "group_claims",
    "independent_origins",
    "mentions_from",
    "mentions_of",
    "score_matrix",
    "unique_content",
]
