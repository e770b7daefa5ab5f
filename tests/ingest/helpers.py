"""Builders shared by the ingest tests: settings, a collector, sample documents, WARCs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe.clean.html import clean_html
from recoupe.config import FetchSettings, IngestSettings, Settings
from recoupe.ingest import iter_inputs
from recoupe.types import Metadata, RawDocument, Rejection

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<title>Le budget adopté | La Gazette</title>
<meta property="og:site_name" content="La Gazette">
<meta property="og:title" content="Le budget adopté">
<meta name="author" content="Jeanne Martin">
<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">
<link rel="canonical" href="https://gazette.example/politique/budget.html">
</head>
<body><article><h1>Le budget adopté</h1>
<p>Les députés ont adopté le budget mardi soir après un long débat à l'Assemblée.</p>
<p>Le texte prévoit une hausse des dépenses de santé et une baisse des impôts locaux.</p>
</article></body></html>
"""

LATIN1_TEXT = (
    "Le président de la République a déclaré mercredi que la réforme des retraites "
    "serait présentée à l'été. Les syndicats, réunis à Paris, ont dénoncé une décision "
    "prise sans concertation et appelé à une journée de grève générale.\n"
)


def make_settings(max_bytes: int = 20_000_000, fetch: FetchSettings | None = None) -> Settings:
    """Default settings with a chosen input size limit and fetch settings."""
    return Settings(ingest=IngestSettings(max_bytes=max_bytes), fetch=fetch or FetchSettings())


def collect(
    targets: Sequence[str | Path], settings: Settings | None = None
) -> list[RawDocument | Rejection]:
    return list(iter_inputs([str(t) for t in targets], settings or make_settings()))


def only_doc(items: list[RawDocument | Rejection]) -> RawDocument:
    assert len(items) == 1, items
    assert isinstance(items[0], RawDocument), items
    return items[0]


def page_meta(doc: RawDocument) -> Metadata:
    """The metadata once cleaning has read the page: ingest passes on only what the
    transport knew, and ``clean_html`` fills the blanks from the page."""
    assert doc.is_html, doc
    return clean_html(doc.content, doc.meta).meta


def reasons(items: Sequence[RawDocument | Rejection]) -> list[str]:
    """One entry per item: 'doc' for documents, the reason code for rejections."""
    return ["doc" if isinstance(item, RawDocument) else item.reason for item in items]


def http_response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    content_type: str = "text/html",
    status: str = "200 OK",
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(record)


def build_warc(gzip: bool = True) -> bytes:
    """warcinfo, request, HTML 200, PNG, HTML 404, metadata, Latin-1 HTML 200 (7 records)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record("https://news.example/a", "request", http_headers=request)
    )
    http_response(writer, "https://news.example/a", ARTICLE_HTML.encode())
    http_response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    http_response(writer, "https://news.example/gone", b"<html>gone</html>", status="404 Not Found")
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/a", "metadata", payload=io.BytesIO(b"outlinks: none\n")
        )
    )
    latin1 = f"<html><head><title>Réforme</title></head><body><p>{LATIN1_TEXT}</p></body></html>"
    http_response(
        writer,
        "https://news.example/b",
        latin1.encode("latin-1"),
        "text/html; charset=ISO-8859-1",
    )
    return buffer.getvalue()
