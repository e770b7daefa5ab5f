"""``python -m recoupe`` runs the CLI."""

from recoupe.cli import main

main()
