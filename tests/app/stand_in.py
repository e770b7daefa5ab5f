"""``python -m tests.app.stand_in ARGS...``: the recoupe CLI with the cheap stand-ins the
unit tests use (``HashingEncoder`` for the multilingual encoder, the rule-based mention
finder for spaCy NER), so a subprocess test of ``copies``, ``stories`` or ``run`` loads no
model. Not a test module."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import recoupe.app.corpus as corpus
import recoupe.pipeline.stories as stories
from recoupe.cli import main
from recoupe.nlp.encoder import HashingEncoder
from recoupe.nlp.entities import Mention, fallback_mentions


def _mentions(
    texts: Sequence[str], language: str | None, batch_size: int = 0
) -> Iterator[tuple[Mention, ...]]:
    for text in texts:
        yield fallback_mentions(text, language)


corpus.shared_usem3 = HashingEncoder  # type: ignore[assignment]
stories.extract_entities_batch = _mentions  # type: ignore[assignment]

if __name__ == "__main__":
    main()
