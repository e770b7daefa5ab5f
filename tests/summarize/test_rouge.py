from __future__ import annotations

import pytest

from recoupe.summarize.rouge import Score, cut, jackknife, ngrams, rouge_n


def test_tokens_keep_accents_and_ignore_case_and_punctuation() -> None:
    assert ngrams("L'Été, été!", 1) == {("l",): 1, ("été",): 2}
    assert ngrams("a b c", 2) == {("a", "b"): 1, ("b", "c"): 1}


def test_rouge_n_clipped_counts() -> None:
    s = rouge_n("le chat le chat", "le chat dort", 1)
    assert s == Score(
        recall=2 / 3, precision=2 / 4, f1=pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    )
    assert rouge_n("", "le chat", 2) == Score(0.0, 0.0, 0.0)


def test_cut_to_whitespace_words() -> None:
    assert cut("un deux  trois quatre", 2) == "un deux"
    long = " ".join(["mot"] * 150)
    assert rouge_n(long, long, 1).recall == 1.0
    assert rouge_n(long + " autre", "autre", 1).recall == 0.0  # cut before scoring


def test_jackknife_is_the_mean_over_leave_one_out_subsets() -> None:
    refs = ["le chat dort", "le chien dort", "un oiseau chante", "le chat mange"]
    peer = "le chat dort bien"
    per = [rouge_n(peer, r, 1).f1 for r in refs]
    # each reference sits in 3 of the 4 subsets, so the jackknife equals the plain mean
    assert jackknife(peer, refs, 1).f1 == pytest.approx(sum(per) / 4)
    assert jackknife(peer, refs[:1], 1) == rouge_n(peer, refs[0], 1)
