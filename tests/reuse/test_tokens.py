import csv
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.reuse import tokens
from recoupe.reuse.normalize import fold, words
from recoupe.reuse.tokens import batch_token_hashes, fold_table, token_hashes, word_table


def _reference(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    toks = [words(t) for t in texts]
    flat = token_hashes([w for d in toks for w in d])
    return flat, np.array([len(d) for d in toks], dtype=np.int64)


def _same_as_reference(texts: list[str]) -> None:
    flat, counts = batch_token_hashes(texts)
    ref_flat, ref_counts = _reference(texts)
    assert np.array_equal(counts, ref_counts)
    assert np.array_equal(flat, ref_flat)


# characters the fast path folds by table, characters that send a text to the slow path
SIMPLE = "aAzZ09_éÉèàçÇœŒæøåßﬁ’«»—–-.,;:!?'\"()€$%&/ \n\tΣσςΑάίЖжйЙёאבاآأإةى\u0301\u0308\u064e"
HARD = "한국어ｶﾞナ\u093c\u0928ऩ\u0e38\ufb01İıǅ½²ℌ\U0001d400\ud800\x00"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=SIMPLE + HARD, max_size=60), max_size=8))
def test_equals_words_then_token_hashes(texts: list[str]) -> None:
    _same_as_reference(texts)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=6))
def test_equals_reference_on_any_unicode(texts: list[str]) -> None:
    _same_as_reference(texts)


def test_edge_cases() -> None:
    for texts in (
        [],
        [""],
        ["", "", ""],
        ["a\u0301", ""],  # a dropped mark right before an empty last text
        ["\u0301\u0301", "x"],  # a text that is only dropped marks
        ["x" * 100 + " yy", "z" * 47, "w" * 49],  # tokens cut at MAX_TOKEN_CHARS
        ["Straße ﬁn", "café"],  # one slow text among fast ones
        ["\n\n", "a\nb"],
    ):
        _same_as_reference(texts)


def test_tokens_never_span_two_texts() -> None:
    flat, counts = batch_token_hashes(["abc", "def"])
    assert counts.tolist() == [1, 1]
    assert not np.array_equal(flat, batch_token_hashes(["abcdef"])[0])


def test_word_table_is_re_word() -> None:
    table = word_table()
    word = re.compile(r"\w")
    sample = list(range(0, 0x3000)) + random.Random(0).sample(range(0x3000, 0x110000), 20000)
    for c in sample:
        if 0xD800 <= c <= 0xDFFF:
            continue
        assert bool(table[c]) == bool(word.fullmatch(chr(c))), hex(c)


def test_table_folds_like_fold_on_pairs_of_simple_characters() -> None:
    """The exhaustive check (every pair of the ~8,500 simple characters, ~2 minutes)
    was run once when the blocks were chosen; this re-checks 60,000 random pairs."""
    table = fold_table()
    simple = [c for c in range(0x3100) if table[c] < tokens._DROP]
    simple += [c for c in range(0xFB00, 0x20000) if table[c] < tokens._DROP][::7]
    rnd = random.Random(1)
    for _ in range(60_000):
        a, b = chr(rnd.choice(simple)), chr(rnd.choice(simple))
        expected = chr(table[ord(a)] & tokens._CODE) + chr(table[ord(b)] & tokens._CODE)
        assert fold(a + b) == expected, (hex(ord(a)), hex(ord(b)))


def test_dropped_marks_are_exactly_the_stripped_ones() -> None:
    table = fold_table()
    dropped = {c for c in range(0x3100) if table[c] == tokens._DROP}
    assert 0x0301 in dropped and 0x064E in dropped
    assert all(fold(chr(c)) == "" for c in dropped)
    stripped = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]+")
    assert all(stripped.fullmatch(unicodedata.normalize("NFKD", chr(c))) for c in dropped)


@pytest.mark.slow
def test_equals_reference_on_real_articles(shared_dir: Path, seeds_dir: Path) -> None:
    path = shared_dir / "data/similarity/semeval2022_task8/training_set.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r[k] for r in rows[:1500] for k in ("text1", "text2")]  # 10 languages
    texts += [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    for lo in range(0, len(texts), 500):
        _same_as_reference(texts[lo : lo + 500])


def test_pieces_give_the_same_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Ça va, l’été ?", "", "word " * 30, "Straße", "e\u0301te\u0301", "x"] * 5
    whole = batch_token_hashes(texts)
    monkeypatch.setattr(tokens, "PIECE_CHARS", 16)  # pieces of one or two texts
    joined, lengths = tokens.joined_batch(texts)
    pieces = list(tokens.token_pieces(tokens.code_points(joined), lengths))
    assert len(pieces) > 10
    again = batch_token_hashes(texts)
    assert np.array_equal(whole[0], again[0]) and np.array_equal(whole[1], again[1])
