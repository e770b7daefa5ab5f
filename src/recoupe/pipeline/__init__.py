"""recoupe.pipeline."""
