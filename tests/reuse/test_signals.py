from recoupe.reuse.signals import compare, sentence_signals


def test_names_numbers_and_content() -> None:
    s = sentence_signals(
        "En juillet, la Corée du Nord a reconnu Donetsk et l’Ukraine, 1 200 morts en 2019."
    )
    assert {"coree", "donet", "ukrai"} <= s.names
    assert "juill" not in s.names  # sentence-initial "En" skipped, lower-case words ignored
    assert s.numbers == {"1200", "2019"}
    assert "juillet" in s.content and "la" not in s.content


def test_cross_language_names_meet_by_prefix() -> None:
    fr = sentence_signals("Selon Moscou, la Russie a acheté des drones iraniens Shahed.")
    en = sentence_signals("According to Moscow, Russia bought Iranian Shahed drones.")
    pair = compare(fr, en)
    assert pair.shared_names >= 3  # mosco, russi, shahe (+ irani)


def test_number_conflict() -> None:
    a = sentence_signals("The toll rose to 30 dead on Monday.")
    b = sentence_signals("The toll rose to 45 dead on Monday.")
    assert compare(a, b).number_conflict
    assert not compare(a, a).number_conflict
    assert compare(a, a).char_jaccard == 1.0
