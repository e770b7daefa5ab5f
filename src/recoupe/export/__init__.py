"""recoupe.export: a story (or all) as JSON following the published schema, and as
Markdown or HTML reports and CSV tables (claims, quotes, articles) rendered from that
same JSON (readable offline)."""

from recoupe.export.document import FORMAT, SCHEMA_FILE, VERSION, export_document, story_document
from recoupe.export.render import to_html, to_markdown
from recoupe.export.tables import CsvTable, to_csv

__all__ = [
    "FORMAT",
    "SCHEMA_FILE",
    "VERSION",
    "CsvTable",
    "export_document",
    "story_document",
    "to_csv",
    "to_html",
    "to_markdown",
]
