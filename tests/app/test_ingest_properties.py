"""Whatever comes in, nothing is lost: arbitrary text (surrogates, control and private-use
characters included) in every JSON field, in text file contents and in file names goes
through ``recoupe.app.ingest`` into a real store without stopping the run, and every input
is counted exactly once (accepted + duplicate + rejected == inputs)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoupe import app
from recoupe.config import JsonFields, Settings
from recoupe.ingest.common import Reject, check_binary
from recoupe.ingest.filemeta import is_sidecar
from recoupe.types import DocumentFilter

CHARS = st.one_of(st.characters(), st.characters(categories=["Cs", "Co", "Cc"]))
TEXT = st.text(alphabet=CHARS, max_size=200)
# Some texts long enough to pass cleaning, so documents (not only rejections) are stored.
BODY = st.one_of(TEXT, st.builds(lambda a, b: f"{a} The port reopened on Monday. " * 3 + b,
                                 TEXT, TEXT))  # fmt: skip
FIELD_NAMES = sorted({name for names in (getattr(JsonFields(), f) for f in JsonFields.__slots__)
                      for name in names})  # fmt: skip
VALUE = st.one_of(
    BODY, st.lists(TEXT, max_size=3), st.integers(), st.none(), st.booleans(),
    st.builds(lambda name: {"name": name}, TEXT),
)  # fmt: skip
RECORD = st.dictionaries(st.sampled_from(FIELD_NAMES), VALUE, max_size=len(FIELD_NAMES))
# File names the OS accepts: any bytes but "/" and NUL, not hidden (the walker skips those).
NAME = st.one_of(
    st.binary(min_size=1, max_size=40),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")[:40]),
).filter(lambda b: b and b"/" not in b and b"\x00" not in b and not b.startswith(b"."))
SUFFIX = st.sampled_from([b".txt", b".md", b".html", b".jsonl", b".json", b"", b".pdf"])


def _dumps(record: dict[str, Any], ascii_only: bool) -> bytes:
    """One JSON line: escaped (surrogates stay JSON escapes, the file stays ASCII) or raw
    (surrogates written as the bytes UTF-8 forbids)."""
    return json.dumps(record, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@st.composite
def corpora(draw: st.DrawFn) -> list[tuple[bytes, bytes, int]]:
    """Files as (name, bytes, number of inputs they make)."""
    files: dict[bytes, tuple[bytes, int]] = {}
    for _ in range(draw(st.integers(1, 5))):
        name = draw(NAME) + draw(SUFFIX)
        if len(name) > 250 or name in files or name in (b".", b".."):
            continue
        if name.endswith(b".jsonl"):
            records = draw(st.lists(RECORD, max_size=4))
            ascii_only = draw(st.booleans())
            lines = [_dumps(r, ascii_only) for r in records]
            lines.insert(draw(st.integers(0, len(lines))), b"{not json")
            data = b"\n".join(lines) + b"\n"
            files[name] = (data, _container_inputs(data, len(lines)))
        elif name.endswith(b".json"):
            records = draw(st.lists(RECORD, max_size=4))
            data = json.dumps(records).encode("ascii")
            files[name] = (data, _container_inputs(data, max(len(records), 1)))
        else:
            text = draw(BODY)
            if name.endswith(b".html"):
                text = f"<html><head><title>{text[:30]}</title></head><body><p>{text}</p>"
            raw = draw(st.one_of(st.just(text.encode("utf-8", "surrogatepass")),
                                 st.binary(max_size=100)))  # fmt: skip
            files[name] = (raw, 1)
    return [(name, data, n) for name, (data, n) in files.items()]


def _container_inputs(data: bytes, records: int) -> int:
    """A container file makes one input per record, or one rejection for the whole file
    when its first bytes are not text."""
    try:
        check_binary(data)
    except Reject:
        return 1
    return records


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_every_input_is_counted_once_and_the_run_never_stops(
    files: list[tuple[bytes, bytes, int]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(os.fsencode(tmp), b"in")
        os.mkdir(folder)
        for name, data, _ in files:
            with open(os.path.join(folder, name), "wb") as out:
                out.write(data)
        # A NAME.json beside NAME.txt is that file's metadata (its sidecar), not an input.
        paths = [Path(os.fsdecode(name)) for name, _, _ in files]
        expected = sum(n for (_, _, n), path in zip(files, paths, strict=True)
                       if not is_sidecar(path, paths))  # fmt: skip
        config = Settings(db=Path(tmp) / "s.db", languages=("en", "fr"))
        with app.open_store(config) as repo:
            report = app.ingest(repo, [os.fsdecode(folder)], config)
            assert report.total == expected, report.rejections
            assert repo.documents.count_documents() == report.accepted
            assert repo.documents.count_rejections() <= report.rejected
            for row in repo.documents.list_documents(DocumentFilter()):
                doc = repo.documents.get_document(row.id)
                for value in (doc.origin, doc.raw, doc.text, *(vars_of(doc.meta))):
                    value.encode("utf-8")  # everything stored is valid text
            again = app.ingest(repo, [os.fsdecode(folder)], config)
            assert again.total == expected and again.accepted == 0
            assert again.duplicates == report.accepted + report.duplicates


def vars_of(meta: object) -> list[str]:
    return [v for v in (getattr(meta, f) for f in meta.__slots__) if isinstance(v, str)]  # type: ignore[attr-defined]
