"""The publication time an HTML page states, as precise as it states it."""

from __future__ import annotations

import pytest

from recoupe.clean.html import clean_html
from recoupe.types import Metadata

BODY = ("<p>Les députés ont adopté le budget mardi soir après un long débat à l'Assemblée "
        "nationale, a annoncé le président de la séance.</p>")  # fmt: skip


def _page(head: str, body: str = BODY) -> str:
    return f"<html lang='fr'><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("head", "body", "published", "precision"),
    [
        ('<meta property="article:published_time" content="2025-09-17T07:15:00+02:00">', BODY,
         "2025-09-17T07:15:00+02:00", "second"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
         '"2025-09-17T07:15+02:00", "dateModified": "2025-09-18T10:00+02:00"}</script>', BODY,
         "2025-09-17T07:15+02:00", "minute"),
        ("", f'<time pubdate datetime="2025-09-17T07:15:00Z">17 sept.</time>{BODY}',
         "2025-09-17T07:15:00+00:00", "second"),
        ('<meta name="date" content="2025-09-17">'
         '<meta itemprop="datePublished" content="2025-09-17T07:15:00+02:00">', BODY,
         "2025-09-17T07:15:00+02:00", "second"),  # the same day, stated more precisely
    ],
)  # fmt: skip
def test_page_statements(head: str, body: str, published: str, precision: str) -> None:
    meta = clean_html(_page(head, body), Metadata()).meta
    assert (meta.published, meta.published_precision, meta.published_source) == (
        published, precision, "page"
    )


def test_a_given_date_is_kept_and_modification_dates_are_not_publication() -> None:
    head = '<meta property="article:modified_time" content="2025-09-18T10:00:00+02:00">'
    meta = clean_html(_page(head), Metadata(published="2025-09-16")).meta
    assert meta.published == "2025-09-16"
    meta = clean_html(_page(head), Metadata()).meta
    assert meta.published != "2025-09-18T10:00:00+02:00"
