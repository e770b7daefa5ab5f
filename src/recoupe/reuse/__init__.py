"""recoupe.reuse."""
