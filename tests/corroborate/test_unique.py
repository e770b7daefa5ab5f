from __future__ import annotations

from recoupe.corroborate import group_claims, unique_content
from recoupe.types import ReuseKind

from .helpers import link, mention

SHARED = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord."
ONLY_A = "Le général Pat Ryder a commenté la situation logistique de l'armée russe."
ONLY_B = "Un responsable a déclaré à Reuters que les drones iraniens avaient échoué."
PARA_B = "Ryder a parlé des problèmes de logistique de l'armée russe en Ukraine."


def test_unique_content_per_article() -> None:
    ms = [
        mention("a", SHARED),
        mention("a", ONLY_A, 100),
        mention("b", SHARED, 5),
        mention("b", ONLY_B, 200),
        mention("b", PARA_B, 400),
    ]
    groups = group_claims(ms)  # lexical only: ONLY_A and PARA_B are not grouped...
    linked = [link(ms[1], ms[4], ReuseKind.PARAPHRASE)]  # ...but the aligner linked them
    found = unique_content(groups, linked)
    assert [(u.doc_id, [m.text for m in u.mentions]) for u in found] == [("b", [ONLY_B])]
    assert [u.doc_id for u in unique_content(groups)] == ["a", "b"]
