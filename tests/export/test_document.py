"""The export document: validated against the published JSON Schema, stable against
golden files (JSON and Markdown), and HTML that escapes hostile article text.

The story is built by hand (no model), so the golden files change only when the export
format does. Regenerate them with ``RECOUPE_UPDATE_GOLDEN=1 python -m pytest tests/export``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from recoupe.corroborate import ClaimGroup, ClaimMention, FirstSeen, SourceRef, Support
from recoupe.export import SCHEMA_FILE, export_document, story_document, to_html, to_markdown
from recoupe.pipeline.attribution import Analysis
from recoupe.pipeline.corroboration import StoryFindings
from recoupe.summarize import Citation, CitationKind, Summary, SummarySentence
from recoupe.types import (
    Attribution,
    Disagreement,
    DisagreementKind,
    Document,
    Entity,
    InputKind,
    Metadata,
    OriginGroup,
    Source,
    SourceKind,
    Story,
    TextSpan,
    UniqueContent,
)

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
WIRE = "Eleven people were hurt in the fire, the mayor said. Firefighters worked all night."
LOCAL = "Eleven people were hurt in the fire, the mayor said. <script>alert(1)</script> ok."


def _doc(n: int, text: str, outlet: str, published: str) -> Document:
    digest = f"{n:016x}" + "0" * 48
    meta = Metadata(url=f"https://news.example/{n}", outlet=outlet, title=f"Fire <b>{n}</b>",
                    published=published)  # fmt: skip
    return Document(id=digest[:16], content_hash=digest, origin=f"in/{n}.txt",
                    kind=InputKind.TEXT, meta=meta, raw=text, is_html=False, text=text,
                    removed=(), language="en", sentences=())  # fmt: skip


def _story() -> dict[str, object]:
    a, b = _doc(1, WIRE, "Wire", "2025-09-01"), _doc(2, LOCAL, "Local", "2025-09-02")
    span = TextSpan(0, 36)
    mayor = SourceRef("mayor", "the mayor", False, SourceKind.PERSON)
    m_a = ClaimMention(a.id, span, WIRE[:36], "en", (mayor,), "2025-09-01", "Wire", True)
    m_b = ClaimMention(b.id, span, LOCAL[:36], "en", (mayor,), "2025-09-02", "Local", True)
    group = ClaimGroup("g1", (m_a, m_b), (a.id, b.id), ((a.id, b.id),), (mayor,),
                       FirstSeen(a.id, "2025-09-01", "Wire"), Support(2, 1, 2, 1, 1))  # fmt: skip
    night = ClaimMention(a.id, TextSpan(52, 83), WIRE[52:83], "en", (), "2025-09-01", "Wire")
    lone = ClaimGroup("g2", (night,), (a.id,), ((a.id,),), (), FirstSeen(a.id, "2025-09-01",
                      "Wire"), Support(1, 1, 1, 1, 0))  # fmt: skip
    dis = Disagreement(DisagreementKind.NUMBER, m_a, m_b, "11", "12", "g1", "g1")
    sentence = SummarySentence(
        WIRE[:52], a.id, TextSpan(0, 52), "en",
        (Citation(a.id, 0, 52, CitationKind.SOURCE), Citation(b.id, 0, 52, CitationKind.EXACT)),
        1, 1.0,
    )  # fmt: skip
    findings = StoryFindings(
        0, (group, lone), (dis,), (UniqueContent(a.id, (night,)),),
        Summary((sentence,), 10, "en"), 100, None,
    )  # fmt: skip
    speaker = Source(TextSpan(37, 46), (), SourceKind.PERSON, False, "mayor")
    quote = Attribution(TextSpan(0, 35), speaker, TextSpan(47, 51), direct=True)
    story = Story(0, "Fire <b>1</b>", (a.id, b.id), "2025-09-01", "2025-09-02", ("en",),
                  ("Local", "Wire"), ("name:mayor",), 0)  # fmt: skip
    origin = OriginGroup("o1", (a.id, b.id), a.id, "earliest published")
    return story_document(
        story, [Entity("name:mayor", "PER", "mayor", 2)], [origin], findings,
        {a.id: a, b.id: b}, {a.id: Analysis((quote,), (quote,), ()), b.id: Analysis((), (), ())},
    )  # fmt: skip


@pytest.fixture
def document() -> dict[str, object]:
    doc = export_document([_story()])
    doc["generator"] = "recoupe (test)"  # the golden file must not change with the version
    return doc


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("RECOUPE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: review, then regenerate"


def test_export_follows_the_published_schema(document: dict[str, object]) -> None:
    schema = json.loads((REPO / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    broken = json.loads(json.dumps(document))
    broken["stories"][0]["claims"][0]["support"]["origins"] = "one"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_every_span_indexes_its_article(document: dict[str, object]) -> None:
    (story,) = document["stories"]  # type: ignore[misc]
    texts = {a["id"]: a["text"] for a in story["articles"]}
    for sent in story["summary"]["sentences"]:
        assert texts[sent["article"]][sent["start"] : sent["end"]] == sent["text"]
    for claim in story["claims"]:
        for m in claim["mentions"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]


def test_json_and_markdown_golden(document: dict[str, object]) -> None:
    _golden("export_story.json", json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    _golden("export_story.md", to_markdown(document))


def test_html_escapes_article_text(document: dict[str, object]) -> None:
    html = to_html(document)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>1</b>" not in html  # titles are text too
    assert 'id="s0-c1-1"' in html and 'href="#s0-c1-1"' in html  # citation -> marked span
    assert "default-src 'none'" in html
