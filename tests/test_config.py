"""Settings: every value checked (type and range), one clear line per mistake."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from recoupe.config import FetchSettings, IngestSettings, JsonFields, Settings, load_settings
from recoupe.errors import ConfigError


def _load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "recoupe.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_defaults_are_valid(tmp_path: Path) -> None:
    assert _load(tmp_path, "") == Settings()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[ingest]\nbatch_size = 0\n", "ingest.batch_size must be an integer from 1 to"),
        ("[ingest]\nbatch_size = 2.5\n", "ingest.batch_size must be an integer"),
        ("[ingest]\nbatch_size = true\n", "ingest.batch_size must be an integer"),
        ("[ingest]\nmax_bytes = -1\n", "ingest.max_bytes must be an integer from 1"),
        ("[ingest]\nmin_chars = -5\n", "ingest.min_chars must be an integer from 0"),
        ("[ingest]\ndoc_cpu_seconds = -1\n", "ingest.doc_cpu_seconds must be a number"),
        ("[ingest]\ndoc_memory_mb = 'lots'\n", "ingest.doc_memory_mb must be an integer"),
        ("[ingest]\nmax_attributes = 0\n", "ingest.max_attributes must be an integer from 1"),
        ("[ingest]\nfollow_symlinks = 1\n", "ingest.follow_symlinks must be true or false"),
        ("[ingest.json_fields]\ntext = 'body'\n", "ingest.json_fields.text must be a list"),
        ("[ingest.json_fields]\ntext = ['']\n", "non-empty strings"),
        ("[fetch]\ntimeout = -3\n", "fetch.timeout must be a number from"),
        ("[fetch]\ntimeout = 0\n", "fetch.timeout must be a number from"),
        ("[fetch]\ntimeout = nan\n", "fetch.timeout must be a number"),
        ("[fetch]\ntimeout = inf\n", "fetch.timeout must be a number"),
        ("[fetch]\nmax_bytes = 0\n", "fetch.max_bytes must be an integer from 1"),
        ("[fetch]\nmin_interval = -0.5\n", "fetch.min_interval must be a number from 0"),
        ("[fetch]\nmax_feed_items = 0\n", "fetch.max_feed_items must be an integer from 1"),
        ("[fetch]\nuser_agent = ''\n", "fetch.user_agent must be a non-empty string"),
        ('[fetch]\nuser_agent = "a\\nb"\n', "control characters"),
        ("[fetch]\nuser_agent = 3\n", "fetch.user_agent must be a string"),
        ("[fetch]\nrespect_robots = 'no'\n", "fetch.respect_robots must be true or false"),
        ('languages = "fr"\n', "languages must be a list of strings"),
        ("languages = []\n", "languages must not be empty"),
        ('languages = ["French"]\n', "languages must hold ISO 639 codes"),
        ('db = ""\n', "db must be a non-empty path string"),
        ("db = 3\n", "db must be a non-empty path string"),
        ("colour = 'red'\n", "unknown setting colour"),
        ("[ingest]\nspeed = 1\n", "unknown setting ingest.speed"),
        ("ingest = 3\n", "[ingest] must be a table"),
        ("[ingest]\nmeta_from_path = 'date'\n", "placeholders in braces"),
        ("[ingest]\nmeta_from_path = '{lang/{date}'\n", "placeholders in braces"),
        ("[ingest]\nmeta_from_path = '{1st}/{name}'\n", "is not a placeholder name"),
        ("[ingest]\nstdin_format = 'xml'\n", "ingest.stdin_format must be one of"),
        ("[ingest]\nfolders = 'x'\n", "array of tables"),
        ("[[ingest.folders]]\noutlet = 'X'\n", "every entry needs a path"),
        ("[[ingest.folders]]\npath = 'a'\nlanguage = 'French'\n", "ISO 639"),
        ("[[ingest.folders]]\npath = 'a'\ncolour = 'red'\n",
         "unknown setting ingest.folders.colour"),
        ("[[ingest.folders]]\npath = 'a'\noutlet = 3\n", "must be a string"),
    ],
)
def test_bad_values_are_refused_in_one_line(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(tmp_path, text)
    assert expected in message
    assert str(tmp_path / "recoupe.toml") in message  # which file


def _ranged() -> list[tuple[type[Any], str, float, float]]:
    found = []
    for cls in (IngestSettings, FetchSettings):
        for f in dataclasses.fields(cls):
            if "range" in f.metadata:
                found.append((cls, f.name, *f.metadata["range"]))
    return found


@pytest.mark.parametrize(("cls", "name", "low", "high"), _ranged())
def test_every_number_has_a_range_enforced_from_code_too(
    cls: type[Any], name: str, low: float, high: float
) -> None:
    step = 1 if isinstance(getattr(cls(), name), int) else 0.001
    for good in (low, high):
        cls(**{name: type(getattr(cls(), name))(good)})
    for bad in (low - step, high + step):
        with pytest.raises(ConfigError, match=name):
            cls(**{name: type(getattr(cls(), name))(bad)})


def test_every_number_setting_is_ranged() -> None:
    """A new numeric setting without a declared range would go unchecked."""
    for cls in (IngestSettings, FetchSettings):
        for f in dataclasses.fields(cls):
            default = getattr(cls(), f.name)
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                assert "range" in f.metadata, f"{cls.__name__}.{f.name} has no range"


def test_json_fields_and_settings_check_code_values() -> None:
    with pytest.raises(ConfigError, match=r"json_fields\.url"):
        JsonFields(url=("url", ""))
    with pytest.raises(ConfigError, match="languages"):
        Settings(languages=("fr", "EN"))


def test_good_values_are_read(tmp_path: Path) -> None:
    settings = _load(
        tmp_path,
        'languages = ["fr", "en"]\n[ingest]\nbatch_size = 5\ndoc_cpu_seconds = 2\n'
        "follow_symlinks = true\n[fetch]\ntimeout = 3\n",
    )
    assert settings.languages == ("fr", "en")
    assert settings.ingest.batch_size == 5
    assert settings.ingest.doc_cpu_seconds == 2.0
    assert settings.ingest.follow_symlinks is True
    assert settings.fetch.timeout == 3.0 and isinstance(settings.fetch.timeout, float)


def test_a_folder_or_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_settings(tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    (tmp_path / "bad.toml").write_text("[ingest\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid config file"):
        load_settings(tmp_path / "bad.toml")
