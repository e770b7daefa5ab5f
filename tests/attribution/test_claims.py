"""Claims keep their sources; uncovered sentences are the outlet's own claims."""

from __future__ import annotations

import pytest

from recoupe.attribution import analyse

pytestmark = pytest.mark.slow


def test_claims_keep_sources_and_own_voice() -> None:
    text = (
        "Le pont a été fermé dans la nuit par précaution, selon la préfecture du Rhône.\n\n"
        "La circulation est déviée par le centre-ville depuis lundi matin."
    )
    claims = analyse(text, "fr").claims
    attributed = [c for c in claims if "pont" in c.span.text_of(text)]
    assert attributed and attributed[0].sources
    assert "préfecture" in attributed[0].sources[0].span.text_of(text)
    own = [c for c in claims if "circulation" in c.span.text_of(text)]
    assert own and own[0].own_voice and not own[0].sources
