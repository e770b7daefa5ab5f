"""recoupe.store."""
