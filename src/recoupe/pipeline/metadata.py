"""Metadata made reliable around cleaning: before it, what the input gave is normalised;
after it, what is still blank is filled from the URL.

Before cleaning (``normalise``): a date given by the input (a JSON/CSV field, a sidecar, a
path) is parsed into ISO 8601 with its precision (``recoupe.clean.dates.parse_date``): a
value that is not a date is dropped rather than stored as text nobody can compare; an
outlet given as a URL is its host; title and outlet are Unicode-normalised.

After cleaning (``complete``): a document still without outlet gets its URL's host, one
without date the day its URL gives (``/2013/05/02/``), each with its source.
"""

from __future__ import annotations

from dataclasses import replace

from recoupe.clean.chars import normalize_text
from recoupe.clean.dates import date_in_url, parse_date
from recoupe.clean.outlets import host_outlet, outlet_from_value
from recoupe.types import Metadata, RawDocument


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(normalize_text(value).split())
    return text or None


def normalise(raw: RawDocument) -> RawDocument:
    """``raw`` with the metadata its input gave normalised (see the module docstring)."""
    meta = raw.meta
    changes: dict[str, str | None] = {}
    if meta.published is not None and meta.published_precision is None:
        found = parse_date(meta.published, meta.language)
        source = meta.published_source
        if found is None:
            changes.update(published=None, published_source=None)
        else:
            changes.update(published=found.value, published_precision=found.precision,
                           published_source=source or "metadata")  # fmt: skip
    if meta.outlet is not None:
        outlet = outlet_from_value(normalize_text(meta.outlet))
        changes.update(outlet=outlet, outlet_source=(meta.outlet_source or "metadata")
                       if outlet else None)  # fmt: skip
    for name in ("title", "author"):
        value = getattr(meta, name)
        if value is not None and _text(value) != value:
            changes[name] = _text(value)
    if not changes:
        return raw
    return replace(raw, meta=replace(meta, **changes))


def complete(meta: Metadata) -> Metadata:
    """``meta`` with a blank outlet filled by the URL's host and a blank date by the
    URL's day."""
    if not meta.outlet and (host := host_outlet(meta.url)):
        meta = replace(meta, outlet=host, outlet_source="host")
    if not meta.published and (day := date_in_url(meta.url)):
        meta = replace(meta, published=day.value, published_precision=day.precision,
                       published_source="url")  # fmt: skip
    return meta


__all__ = ["complete", "normalise"]
