"""Outlet names: shaped like names, from metadata, hosts, mastheads; never a sentence."""

from __future__ import annotations

import pytest

from recoupe.clean.outlets import host_outlet, outlet_from_value, outlet_of_line, plausible_name


@pytest.mark.parametrize(
    "name", ["Le Monde", "The Humber Ledger", "lemonde.fr", "20 Minutes", "L'Écho des Quais"]
)
def test_plausible_names(name: str) -> None:
    assert plausible_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "x" * 61,
        "The fire is out. Residents may go home",
        "En varias ciudades del país, Según fuentes hospitalarias",
        ".alogo{display: block;}",
        "16 September 2025",
        "one two three four five six seven eight nine",
        "",
    ],
)
def test_implausible_names(name: str) -> None:
    assert not plausible_name(name)


def test_values_that_are_urls_name_their_host() -> None:
    assert outlet_from_value("https://www.example.org/news/") == "example.org"
    assert outlet_from_value("www.example.org") == "example.org"
    assert outlet_from_value("  Le   Monde ") == "Le Monde"
    assert outlet_from_value("   ") is None
    assert host_outlet("not a url") is None


def test_header_lines() -> None:
    assert outlet_of_line("THE HARBOUR TIMES", []) == "The Harbour Times"
    assert outlet_of_line("Corriere della Sera", []) == "Corriere della Sera"
    assert outlet_of_line("Boutique le Point", []) is None  # no newspaper word
    assert outlet_of_line("BBC News Mundo Navegación", []) is None  # a menu
    assert outlet_of_line("Ali Abdulá Saleh", ["Ali Abdulá Saleh said on Monday..."]) is None
    assert outlet_of_line("Sud Horizon", ["Le barrage. Photo : A. Puig / Sud Horizon"]) == (
        "Sud Horizon"
    )
    assert outlet_of_line("Sud Horizon", ["Sud Horizon uses cookies to measure visits"])
    assert outlet_of_line("sud horizon", [], known=["Sud Horizon"]) == "Sud Horizon"
