"""Online clustering invariants with a cheap deterministic encoder."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.cluster.features import ArticleInput, build_features
from recoupe.cluster.model import DEFAULT_WEIGHTS, fit_logistic
from recoupe.cluster.online import OnlineClusterer, cluster_stream
from recoupe.cluster.stories import average_linkage, group_topics, story_records
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


def test_a_story_idle_past_the_window_takes_no_article() -> None:
    feats = build_features([art(0, FIRE), art(1, FIRE, "2026-03-01")], ENC)
    c = cluster_stream(feats)
    assert c.story_of["a0"] != c.story_of["a1"]
    assert DEFAULT_WEIGHTS.window_days < 160


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
