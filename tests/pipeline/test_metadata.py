"""Metadata normalised before cleaning and completed from the URL after it."""

from __future__ import annotations

from recoupe.pipeline.metadata import complete, normalise
from recoupe.types import InputKind, Metadata, RawDocument


def _raw(**meta: str | None) -> RawDocument:
    return RawDocument("x", InputKind.JSON, "text", False, Metadata(**meta))


def test_given_dates_are_parsed_with_precision_and_source() -> None:
    meta = normalise(_raw(published="2022-03-04 12:34:56", published_source="metadata")).meta
    assert (meta.published, meta.published_precision, meta.published_source) == (
        "2022-03-04T12:34:56", "second", "metadata"
    )
    meta = normalise(_raw(published="20150218230000Z")).meta
    assert meta.published == "2015-02-18T23:00:00+00:00"


def test_a_value_that_is_no_date_is_dropped() -> None:
    meta = normalise(_raw(published="sometime in spring", published_source="sidecar")).meta
    assert (meta.published, meta.published_source) == (None, None)


def test_outlets_given_as_urls_and_unicode() -> None:
    meta = normalise(_raw(outlet="https://www.harbor.example/", title="Cafe\u0301  crash")).meta
    assert (meta.outlet, meta.outlet_source, meta.title) == ("harbor.example", "metadata",
                                                             "Café crash")  # fmt: skip


def test_blanks_filled_from_the_url() -> None:
    meta = complete(Metadata(url="https://www.harbor.example/2013/05/02/ferry"))
    assert (meta.outlet, meta.outlet_source) == ("harbor.example", "host")
    assert (meta.published, meta.published_source) == ("2013-05-02", "url")
    kept = complete(Metadata(url="https://a.example/2013/05/02/x", published="2013-05-01",
                             outlet="A"))  # fmt: skip
    assert (kept.published, kept.outlet) == ("2013-05-01", "A")
