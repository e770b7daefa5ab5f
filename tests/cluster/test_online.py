"""Online clustering invariants with a cheap deterministic encoder."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.cluster.background import BACKGROUNDS
from recoupe.cluster.features import ArticleFeatures, ArticleInput, build_features
from recoupe.cluster.model import (
    CROSS_FEATURES,
    DEFAULT_WEIGHTS,
    FEATURES,
    Weights,
    fit_logistic,
)
from recoupe.cluster.online import OnlineClusterer, cluster_stream
from recoupe.cluster.stories import average_linkage, background_of, group_topics, story_records
from recoupe.nlp.encoder import HashingEncoder

ENC = HashingEncoder()
FIRE = "Fire at the Valtera battery plant in Dunkirk injures 12 workers, firefighters say"
DROUGHT = "Drought: prefect puts the Tet basin on crisis level, irrigation cut in Perpignan"
VOCAB = ["fire", "plant", "Dunkirk", "drought", "prefect", "Herstal", "paint", "factory",
         "injured", "Valtera", "river", "Perpignan", "water", "smoke"]  # fmt: skip


def art(i: int, text: str, day: str | None = "2025-09-16") -> ArticleInput:
    return ArticleInput(f"a{i}", text, title=text.split(",")[0], language="xx", published=day)


def run(texts: list[str]) -> OnlineClusterer:
    feats = build_features([art(i, t) for i, t in enumerate(texts)], ENC, entities=None)
    return cluster_stream(feats)


def test_same_text_joins_one_story_and_another_event_starts_one() -> None:
    c = run([FIRE, FIRE + ".", DROUGHT])
    assert c.story_of["a0"] == c.story_of["a1"] != c.story_of["a2"]
    records = story_records(c)
    assert sorted(len(r.members) for r in records) == [1, 2]
    assert records[0].first == "2025-09-16"


def test_a_dormant_story_takes_an_article_only_at_the_revive_threshold() -> None:
    """Idle past the window, a story leaves the nearest-centroid scan (retrieval stays
    bounded by the active stories) but the capped postings still reach it: the same
    report months on revives it, and with the revive threshold out of reach it starts
    a story of its own."""
    feats = build_features([art(0, FIRE), art(1, FIRE, "2026-03-01")], ENC)
    assert DEFAULT_WEIGHTS.window_days < 160
    c = OnlineClusterer()
    c.add(feats[0])
    c.observe(feats[1])
    assert c._nearest(feats[1]) == [] and c.candidates(feats[1]) == [0]
    assert [k.dormant for k in c.scored_candidates(feats[1])] == [True]
    assert cluster_stream(feats).story_of["a1"] == 0
    never = replace(DEFAULT_WEIGHTS, revive_threshold=1.01)
    split = cluster_stream(feats, never)
    assert split.story_of["a0"] != split.story_of["a1"]


texts = st.lists(
    st.lists(st.sampled_from(VOCAB), min_size=3, max_size=12).map(" ".join),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None)
@given(texts)
def test_every_article_in_exactly_one_story_and_rebuild_is_deterministic(
    docs: list[str],
) -> None:
    first, second = run(docs), run(docs)
    assert first.story_of == second.story_of
    members = [f.id for group in first.members().values() for f in group]
    assert sorted(members) == sorted(f"a{i}" for i in range(len(docs)))
    assert all(first.story_of[f.id] == sid for sid, g in first.members().items() for f in g)
    topics = group_topics(first)
    assert set(topics) == set(first.members())


def test_average_linkage_cuts_at_threshold() -> None:
    import numpy as np

    sim = np.array([[1, 0.9, 0.1], [0.9, 1, 0.2], [0.1, 0.2, 1.0]])
    assert average_linkage([5, 6, 7], sim, 0.5) == {5: 5, 6: 5, 7: 7}


def test_fit_logistic_separates_separable_data() -> None:
    import numpy as np

    x = np.array([[0.0], [0.1], [0.9], [1.0]])
    coef, bias = fit_logistic(x, np.array([0.0, 0.0, 1.0, 1.0]))
    assert coef[0] > 0 and coef[0] * 0.05 + bias < 0 < coef[0] * 0.95 + bias


def test_fit_logistic_holds_a_sign_constrained_coefficient_at_zero() -> None:
    """A column that would fit positive is held at 0, the others are refitted as if
    it were absent (``log_gap``: days apart are never evidence for one story)."""
    x = np.array([[0.0, 0.0], [0.1, 0.2], [0.9, 0.8], [1.0, 1.0], [0.2, 0.1], [0.8, 0.9]])
    y = np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    free, _ = fit_logistic(x, y)
    assert free[1] > 0
    coef, bias = fit_logistic(x, y, nonpositive=(1,))
    alone = fit_logistic(x[:, :1], y)
    assert coef[1] == 0.0 and (coef[0], bias) == (alone[0][0], alone[1])


def _weights(join_bias: float, cross_bias: float) -> Weights:
    """A same-language model and a cross-language model that ignore every signal: one
    always joins (bias > 0), the other never (bias < 0)."""
    return Weights(
        (0.0,) * len(FEATURES),
        join_bias,
        0.5,
        1.01,
        cross=Weights((0.0,) * len(CROSS_FEATURES), cross_bias, 0.5, 1.01),
    )


def test_a_story_without_the_articles_language_is_scored_by_the_cross_language_model() -> None:
    fr = ArticleInput("fr", FIRE, title="Incendie", language="fr", published="2025-09-16")
    en = ArticleInput("en", FIRE, title="Fire", language="en", published="2025-09-16")
    en2 = ArticleInput("en2", FIRE, title="Fire", language="en", published="2025-09-16")
    feats = build_features([fr, en, en2], ENC)
    c = cluster_stream(feats, _weights(join_bias=10.0, cross_bias=-10.0))
    assert c.story_of["fr"] != c.story_of["en"]  # cross-language: never joins
    assert c.story_of["en"] == c.story_of["en2"]  # same language: always joins
    c = cluster_stream(feats, _weights(join_bias=-10.0, cross_bias=10.0))
    assert c.story_of["fr"] == c.story_of["en"]  # cross-language: always joins
    assert c.story_of["en2"] != c.story_of["en"]  # the story now has English: same-language
    assert "lex_words" in FEATURES and "lex_words" not in CROSS_FEATURES


def test_a_story_holding_two_events_is_split_once_each_has_a_few_articles() -> None:
    fire = [FIRE + f" Update {k}." for k in range(3)]
    drought = [DROUGHT + f" Update {k}." for k in range(3)]
    texts = [t for pair in zip(fire, drought, strict=True) for t in pair]
    feats = build_features([art(i, t) for i, t in enumerate(texts)], ENC)
    # everything joins (threshold 0); pairs split when their vector cosine is under 0.5
    coef = tuple(20.0 if name == "vec_centroid" else 0.0 for name in FEATURES)
    weights = Weights(coef, -10.0, 0.0, 1.01, split_threshold=0.5)
    c = cluster_stream(feats, weights)
    assert c.splits == 1
    assert len({c.story_of[f"a{i}"] for i in range(0, 6, 2)}) == 1
    assert len({c.story_of[f"a{i}"] for i in range(1, 6, 2)}) == 1
    assert c.story_of["a0"] != c.story_of["a1"]
    no_split = cluster_stream(feats, Weights(coef, -10.0, 0.0, 1.01))
    assert len(set(no_split.story_of.values())) == 1 and no_split.splits == 0


def test_topics_subtract_the_encoder_background_only_when_one_is_known() -> None:
    c = run([FIRE, DROUGHT])
    assert background_of(c) is None  # the hashing encoder has none
    assert set(group_topics(c)) == set(c.members())
    known = next(iter(BACKGROUNDS))
    vec = np.zeros(len(BACKGROUNDS[known]), dtype=np.float32)
    vec[0] = 1.0
    f = ArticleFeatures("x", "t", "en", None, None, vec, Counter({"fire": 1}), frozenset(), known)
    c = cluster_stream([f])
    background = background_of(c)
    assert background is not None and background.shape == vec.shape


@settings(max_examples=25, deadline=None)
@given(texts, texts)
def test_a_replay_refreshing_norms_at_each_storys_last_member_is_a_full_replay(
    docs: list[str], more: list[str]
) -> None:
    """The pipeline's replay computes a story's TF-IDF norms only at its last member in
    the stream: the state, and how the next articles are clustered, are the same as with
    norms recomputed at every member."""
    feats = build_features([art(i, t) for i, t in enumerate(docs + more)], ENC, entities=None)
    first = cluster_stream(feats[: len(docs)])
    stream = [(f, first.story_of[f.id]) for f in feats[: len(docs)]]
    last = {sid: k for k, (_, sid) in enumerate(stream)}
    full, lazy = OnlineClusterer(), OnlineClusterer()
    for k, (f, sid) in enumerate(stream):
        full.restore(f, sid)
        lazy.restore(f, sid, last=last[sid] == k)
    for sid, story in full._stories.items():
        assert lazy._stories[sid].word_norm == story.word_norm
        assert lazy._stories[sid].entity_norm == story.entity_norm
    for f in feats[len(docs) :]:
        assert full.add(f) == lazy.add(f)
    assert full.story_of == lazy.story_of
