from __future__ import annotations

from recoupe.corroborate.parts import counted_key, parts_of
from recoupe.corroborate.sameclaim import claim_text


def test_counted_key_skips_linking_words() -> None:
    t = claim_text("Deux des blessés sont dans un état grave.", "fr")
    assert counted_key(t.text, t.values[0]) == "bless"


def test_parts_of_a_whole_in_its_clause_or_naming_its_noun() -> None:
    whole = claim_text("L'incendie a fait 12 blessés, selon la préfecture.", "fr")
    part = claim_text("Deux des blessés sont dans un état grave.", "fr")
    other = claim_text("Deux des pompiers ont été soignés.", "fr")
    texts = [whole, part, other]
    (got,) = parts_of(whole.values[0], 0, [0, 1, 2], texts)
    assert got[0] == 1 and got[1].written == "Deux"
    own = claim_text("Quinze personnes ont été blessées, dont trois grièvement.", "fr")
    ((k, v),) = parts_of(own.values[0], 0, [0], [own])
    assert (k, v.written) == (0, "trois")
