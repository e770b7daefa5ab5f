from recoupe.reuse.exact import content_key, exact_duplicates, exact_groups


def test_normalised_copies_share_a_key() -> None:
    assert content_key("L’armée russe  a dit") == content_key("l'armee RUSSE a dit")
    assert content_key("a b") != content_key("a c")


def test_groups_and_star_pairs() -> None:
    items = [("c", "Texte"), ("a", "texte"), ("b", "TEXTE "), ("d", "autre"), ("e", ""), ("f", " ")]
    assert exact_groups(items) == [("a", "b", "c")]
    dups = exact_duplicates(items)
    assert [(d.a, d.b, d.exact, d.jaccard) for d in dups] == [
        ("a", "b", True, 1.0),
        ("a", "c", True, 1.0),
    ]
