"""Hand-made articles for summarizer tests (no model, no shared data)."""

from __future__ import annotations

from recoupe.nlp.sentences import split_sentences
from recoupe.summarize import Article

SHELLS = "La Russie achète des millions d'obus d'artillerie à la Corée du Nord pour sa guerre."
DRONES = "L'Iran a livré des drones Mohajer-6 et Shahed à l'armée russe au mois d'août."
WORKERS = "Pyongyang veut envoyer des ouvriers du bâtiment dans les territoires occupés."
RYDER = "Le général Pat Ryder a commenté mardi la situation logistique de l'armée russe."
SANCTIONS = "Les sanctions de l'ONU interdisent à la Corée du Nord d'exporter des armes."
MISSILES = "La Corée du Nord a testé plus de trente missiles balistiques cette année."


def article(doc_id: str, *sentences: str, language: str = "fr", title: str = "") -> Article:
    """Sentences as separate paragraphs, after an optional headline line."""
    paras = ([title] if title else []) + list(sentences)
    text = "\n\n".join(paras)
    return Article(doc_id, text, split_sentences(text, language), language)
