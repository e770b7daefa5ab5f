"""recoupe.clean."""
