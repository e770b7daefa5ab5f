"""recoupe.nlp."""
