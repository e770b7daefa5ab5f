from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.corroborate import average_linkage, group_claims
from recoupe.corroborate.grouping import PAIR_FLOOR, first_seen, linked_pairs
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import OriginGroup, ReuseKind, SourceKind, SourceRef

from .helpers import link, mention

SHELLS = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord pour sa guerre."
SHELLS_EDIT = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord pour la guerre."
DRONES = "L'Iran a livré des drones Mohajer-6 et Shahed à l'armée russe au mois d'août."
WORKERS = "Pyongyang veut envoyer des ouvriers du bâtiment dans les territoires occupés."
INJURED_12 = "Un incendie dans une usine de batteries à Dunkerque a fait 12 blessés mardi matin."
INJURED_15 = "Un incendie dans une usine de batteries à Dunkerque a fait 15 blessés mardi matin."
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


def test_conflicting_values_never_group() -> None:
    """Same sentence but for the count: two claims (in disagreement), not one."""
    ms = [mention("a", INJURED_12), mention("b", INJURED_15), mention("c", INJURED_12, 7)]
    groups = group_claims(ms, encoder=HashingEncoder())
    assert sorted(g.articles for g in groups) == [("a", "c"), ("b",)]


def test_independent_origins_inside_a_group() -> None:
    a, b, c = mention("a", SHELLS), mention("b", SHELLS_EDIT, 10), mention("c", SHELLS, 99)
    groups = group_claims(
        [a, b, c],
        links=[link(a, b, ReuseKind.NEAR)],
        origin_groups=[OriginGroup("og-x", ("c", "z"), None, "unknown")],
    )
    (g,) = groups
    assert g.origins == (("a", "b"), ("c",)) and g.support.origins == 2


def test_same_outlet_counts_once() -> None:
    a = mention("a", SHELLS, outlet="Sud Horizon")
    b = mention("b", SHELLS_EDIT, outlet="sud  horizon")
    (g,) = group_claims([a, b])
    assert g.support.articles == 2 and g.support.origins == 1


def test_linked_sentences_are_one_claim_whatever_their_wording() -> None:
    a, b = mention("a", SHELLS), mention("b", WORKERS)
    assert linked_pairs([a, b], [link(a, b, ReuseKind.PARAPHRASE)]) == {(0, 1)}
    (g,) = group_claims([a, b], links=[link(a, b, ReuseKind.PARAPHRASE)])
    assert g.articles == ("a", "b")


def test_mentions_of_one_article_never_group() -> None:
    ms = [mention("a", SHELLS), mention("a", SHELLS_EDIT, 200)]
    assert len(group_claims(ms)) == 2


def test_average_linkage_does_not_chain() -> None:
    # A~B and B~C above the threshold, A and C never compared: single link would chain.
    assert average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8}) == [[0, 1], [2]]
    # every cross pair must be alike (>= PAIR_FLOOR), not only the mean
    low = PAIR_FLOOR / 2
    assert average_linkage(3, {(0, 1): 0.99, (1, 2): 0.99, (0, 2): low}) == [[0, 1], [2]]
    assert average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.6}) == [[0, 1, 2]]
    assert average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.6}, cannot=[(0, 2)]) == [
        [0, 1],
        [2],
    ]


def test_first_seen_compares_instants_and_reports_ties() -> None:
    wire = mention("wire", SHELLS, published="2025-09-16T09:42:00+02:00")
    copy = mention("copy", SHELLS, published="2025-09-16")  # same day: not earlier
    later = mention("later", SHELLS, published="2025-09-16T15:05:00+01:00")
    first = first_seen([copy, later, wire], [("copy", "later", "wire")], {"copy": "wire"})
    assert first is not None and first.doc_id == "wire" and first.tied == ()
    # two independent origins the same day, one with a time, one without: a tie
    first = first_seen([copy, wire], [("copy",), ("wire",)])
    assert first is not None and first.doc_id == "wire" and first.tied == ("copy",)
    assert first_seen([mention("x", SHELLS)]) is None


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
        assert len(g.articles) == len(g.mentions)  # one mention per article
        assert sorted(d for o in g.origins for d in o) == list(g.articles)
        assert 1 <= g.support.origins <= g.support.articles


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from("abc"), min_size=2, max_size=9),
    st.dictionaries(
        st.tuples(st.integers(0, 8), st.integers(0, 8)).filter(lambda p: p[0] < p[1]),
        st.floats(0.0, 1.0),
        max_size=30,
    ),
)
def test_unscored_pairs_of_one_article_need_no_block(
    docs: list[str], raw: dict[tuple[int, int], float]
) -> None:
    """Blocking only the scored pairs of one article clusters as blocking all of them:
    an unscored cross pair already keeps two clusters apart."""
    n = len(docs)
    scores = {p: s for p, s in raw.items() if p[1] < n}
    every = {(i, j) for i in range(n) for j in range(i + 1, n) if docs[i] == docs[j]}
    scored = {p for p in scores if docs[p[0]] == docs[p[1]]}
    assert average_linkage(n, scores, every) == average_linkage(n, scores, scored)
