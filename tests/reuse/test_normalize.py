from recoupe.reuse.normalize import fold, normalize, words


def test_quotes_accents_case_spaces_are_unified() -> None:
    a = "L’armée  «russe» — Téhéran"
    b = 'l\'armee "RUSSE" - teheran'
    assert normalize(a) == normalize(b)


def test_fold_keeps_non_latin_letters() -> None:
    assert fold("Ελλάδα Москва") == "ελλαδα москва"
    assert fold("Ağrı") == "agrı"


def test_words_drop_punctuation() -> None:
    assert words("Mohajer-6, l’Ukraine!") == ["mohajer", "6", "l", "ukraine"]
