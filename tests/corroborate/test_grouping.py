from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.corroborate import SAME_MIN, average_linkage, group_claims
from recoupe.corroborate.records import SourceRef
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import OriginGroup, ReuseKind, SourceKind

from .helpers import link, mention

SHELLS = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord pour sa guerre."
SHELLS_EDIT = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord pour la guerre."
DRONES = "L'Iran a livré des drones Mohajer-6 et Shahed à l'armée russe au mois d'août."
WORKERS = "Pyongyang veut envoyer des ouvriers du bâtiment dans les territoires occupés."
ANON = SourceRef("~responsable américain", "responsable américain", True, SourceKind.ANONYMOUS)


def test_copies_group_without_an_encoder() -> None:
    ms = [
        mention("a", SHELLS, published="2022-09-06", outlet="AP", sources=(ANON,)),
        mention("b", SHELLS_EDIT, 10, published="2022-09-05", outlet="Le Monde"),
        mention("c", SHELLS, 99, published="2022-09-07"),
        mention("a", DRONES, 200),
        mention("b", WORKERS, 300),
    ]
    groups = group_claims(ms)
    assert sorted(len(g.mentions) for g in groups) == [1, 1, 3]
    shells = groups[0]  # most support first
    assert shells.articles == ("a", "b", "c")
    assert shells.support.articles == 3 and shells.support.origins == 3
    assert shells.support.outlets == 2 and shells.support.sources == 1
    assert shells.sources == (ANON,)
    assert shells.first_seen is not None
    assert (shells.first_seen.doc_id, shells.first_seen.outlet) == ("b", "Le Monde")
    assert shells.id.startswith("cg-") and len({g.id for g in groups}) == 3


def test_independent_origins_inside_a_group() -> None:
    a, b, c = mention("a", SHELLS), mention("b", SHELLS_EDIT, 10), mention("c", SHELLS, 99)
    groups = group_claims(
        [a, b, c],
        links=[link(a, b, ReuseKind.NEAR)],
        origin_groups=[OriginGroup("og-x", ("c", "z"), None, "unknown")],
    )
    (g,) = groups
    assert g.origins == (("a", "b"), ("c",)) and g.support.origins == 2


def test_hashing_encoder_groups_light_rewrites() -> None:
    rewrite = "Des millions d'obus d'artillerie sont achetés par la Russie à la Corée du Nord."
    ms = [mention("a", SHELLS), mention("b", rewrite), mention("c", WORKERS)]
    enc = HashingEncoder()
    cache: dict[tuple[str, int, int], np.ndarray] = {}
    vec = enc.encode([SHELLS, rewrite])
    assert float(vec[0] @ vec[1]) >= SAME_MIN  # the premise of the test
    groups = group_claims(ms, encoder=enc, cache=cache)
    assert [g.articles for g in groups] == [("a", "b"), ("c",)]
    assert set(cache) == {m.key for m in ms}


def test_average_linkage_does_not_chain() -> None:
    # A~B and B~C above the threshold, A and C far apart: single link would chain them.
    s = np.array([[1.0, 0.7, 0.1], [0.7, 1.0, 0.65], [0.1, 0.65, 1.0]], dtype=np.float32)
    assert average_linkage(s, 0.6) == [[0, 1], [2]]
    s2 = np.array([[1.0, 0.7, 0.62], [0.7, 1.0, 0.65], [0.62, 0.65, 1.0]], dtype=np.float32)
    assert average_linkage(s2, 0.6) == [[0, 1, 2]]


def test_no_mentions() -> None:
    assert group_claims([]) == ()


WORDS = ["obus", "Russie", "drones", "Corée", "ouvriers", "sanctions", "2019", "ONU", "Kim"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcd"), st.lists(st.sampled_from(WORDS), min_size=3, max_size=9)
        ),
        min_size=1,
        max_size=12,
    )
)
def test_groups_partition_the_mentions(raw: list[tuple[str, list[str]]]) -> None:
    ms = [
        mention(doc, " ".join(words) + " et la suite.", 100 * k)
        for k, (doc, words) in enumerate(raw)
    ]
    groups = group_claims(ms, encoder=HashingEncoder(dim=64))
    flat = [m for g in groups for m in g.mentions]
    assert sorted(m.key for m in flat) == sorted(m.key for m in ms)
    for g in groups:
        assert g.articles == tuple(sorted({m.doc_id for m in g.mentions}))
        assert sorted(d for o in g.origins for d in o) == list(g.articles)
        assert 1 <= g.support.origins <= g.support.articles
