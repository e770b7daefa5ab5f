"""One loaded pipeline per language, viewed with only the components a caller asks for:
the same analyses as a pipeline loaded with only those components."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from recoupe.errors import ConfigError
from recoupe.nlp.pipelines import PACKAGES, load_pipeline

TEXT = {
    "fr": (
        "Le maire de Dunkerque, Didier Vanhove, a déclaré lundi que l'usine rouvrirait. "
        "« Nous ne savons rien », a-t-il ajouté devant la préfecture du Nord."
    ),
    "en": (
        "The mayor of Dunkirk, Didier Vanhove, said on Monday the plant would reopen. "
        '"We know nothing," he told reporters outside the Nord prefecture.'
    ),
}


def _alone(language: str, components: set[str]) -> Any:
    """The pipeline as loaded before views: everything but ``components`` removed."""
    nlp = importlib.import_module(PACKAGES[language]).load()
    for name in list(nlp.pipe_names):
        if name not in components and name != "tok2vec":
            nlp.remove_pipe(name)
    return nlp


def _analysis(doc: Any) -> list[tuple[Any, ...]]:
    return [(t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_,
             t.is_sent_start, str(t.morph)) for t in doc]  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("components", [{"ner"}, {"parser", "ner"}])
def test_a_view_analyses_as_a_pipeline_of_only_its_components(
    language: str, components: set[str]
) -> None:
    view = load_pipeline(language, components)
    alone = _alone(language, components)
    assert _analysis(view(TEXT[language])) == _analysis(alone(TEXT[language]))
    assert [_analysis(d) for d in view.pipe([TEXT[language]] * 2)] == [
        _analysis(alone(TEXT[language]))
    ] * 2
    shared = {"tok2vec"} if components & {"parser"} else set()  # NER has its own
    assert set(view.nlp.pipe_names) - set(view.disabled) == components | shared


def test_views_share_one_loaded_pipeline() -> None:
    ner, parser = load_pipeline("fr", ["ner"]), load_pipeline("fr", ["parser"])
    assert ner.nlp is parser.nlp and ner is load_pipeline("fr", ("ner",))
    assert not ner(TEXT["fr"])[2].dep_ and parser(TEXT["fr"])[2].dep_


def test_unknown_components_and_languages_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        load_pipeline("fr", ["no-such-component"])
    with pytest.raises(ConfigError):
        load_pipeline("xx", ["ner"])
