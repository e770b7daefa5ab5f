"""Speaker strings over real outputs: PolNeAR dev (English, the product path with the span
tagger) and RPM2 (French news): no "&"-joined fragments, no unbalanced parentheses, no
dateline, no punctuation debris. Texts are read from ../shared at run time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recoupe.attribution import analyse
from recoupe.attribution.speakers import speaker_name
from recoupe.clean.text import clean_text

pytestmark = pytest.mark.slow

DATELINE = re.compile(r"\b[A-ZÀ-Ž]{3,}\b.*(?:\(|\s[-–—]\s)|^[A-ZÀ-Ž]{3,}\s*[-–—,(]")
DEBRIS = re.compile(r"^[^\w(]|[\s\-–—(,;:]$|\s[-–—]\s|\s['’]|['’]$")


def problem(name: str) -> str | None:
    """Why ``name`` is not a speaker a journalist could quote (None when it is fine)."""
    if name == "unknown":
        return None
    if name.count("(") != name.count(")"):
        return "unbalanced parentheses"
    if DATELINE.search(name):
        return "dateline"
    for part in name.split(" & ") if " & " in name else [name]:
        letters = sum(c.isalpha() for c in part)
        if letters < 2:
            return f"fragment {part!r}"
        if " & " in name and not part[:1].isupper():
            return f"joined fragment {part!r}"
        if DEBRIS.search(part.replace("(anonymous)", "").strip()):
            return f"debris in {part!r}"
    return None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("VILLACOUBLAY & Yvelines & Reuters ) - Ingrid Betancourt", "unbalanced parentheses"),
        ("Loon - Plage & Didier Vanhove", "dateline"),
        ("Europe & Occident s’", "debris in 'Occident s’'"),
        ("WASHINGTON – Le ministère", "dateline"),
        ("?", "fragment '?'"),
    ],
)
def test_problem_detector_catches_the_reported_cases(name: str, why: str) -> None:
    assert problem(name) is not None, why


@pytest.mark.parametrize(
    "name", ["Pat Ryder", "Vladimir Poutine & Kim Jong Un", "président (chambre d'agriculture)",
             "responsable américain", "unknown", "France's industry ministry"],
)  # fmt: skip
def test_problem_detector_accepts_real_speakers(name: str) -> None:
    assert problem(name) is None


def _speakers(text: str, lang: str) -> list[str]:
    analysis = analyse(text, lang)
    names = []
    for att in (*analysis.quotes, *analysis.attributions):
        names += [speaker_name(s) for s in att.chain()]
        if att.source is None:
            names.append(speaker_name(None))
    return names


def test_polnear_dev_speakers(shared_dir: Path) -> None:
    texts = sorted((shared_dir / "data/attribution/polnear/dev/text").glob("*.txt"))
    assert len(texts) == 84
    bad = []
    for path in texts:
        for name in _speakers(path.read_text(encoding="utf-8"), "en"):
            if (why := problem(name)) is not None:
                bad.append((path.stem, name, why))
    assert not bad, bad[:10]


def test_rpm2_speakers(shared_dir: Path) -> None:
    docs = sorted((shared_dir / "data/summarization/rpm2/Corpus_RPM2_documents").glob("*.txt"))
    assert len(docs) == 400
    bad = []
    for path in docs[::4]:  # 100 of the 400 articles, every topic and both clusters
        text = clean_text(path.read_text(encoding="utf-8-sig")).text
        for name in _speakers(text, "fr"):
            if (why := problem(name)) is not None:
                bad.append((path.stem, name, why))
    assert not bad, bad[:10]
