"""Exact duplicates: the same article text once normalised.

Re-publications often differ only in quotes, spacing, case or lost accents; hashing the
normalised text (``normalize.normalize``) catches those in O(n) before any MinHash work,
and gives a key a store can index. This is not ``Document.content_hash`` (a hash of the
raw input used to skip re-ingesting one file): two outlets' HTML differ, their article
text may not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from recoupe.reuse.normalize import normalize
from recoupe.types import NearDuplicate


def content_key(text: str) -> str:
    """SHA-256 (hex) of the normalised text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def exact_groups(items: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Groups (ids sorted, groups sorted) of 2+ documents with equal normalised text,
    from ``(doc_id, text)`` pairs. An empty text is no evidence: never grouped."""
    by_key: dict[str, list[str]] = {}
    for doc_id, text in items:
        if normalize(text):
            by_key.setdefault(content_key(text), []).append(doc_id)
    return sorted(tuple(sorted(set(ids))) for ids in by_key.values() if len(set(ids)) > 1)


def exact_duplicates(items: Iterable[tuple[str, str]]) -> list[NearDuplicate]:
    """One ``NearDuplicate(exact=True)`` per member of a group besides its first (smallest
    id): a star, not all pairs, so 1,000 identical copies give 999 records, not 499,500;
    clustering the pairs gives the groups back."""
    return [
        NearDuplicate(a=group[0], b=other, jaccard=1.0, exact=True)
        for group in exact_groups(items)
        for other in group[1:]
    ]
