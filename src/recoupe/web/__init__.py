"""Web UI: server-rendered pages over a store (``recoupe serve``). Only calls
``recoupe.app``; see ``server.py``."""

from recoupe.web.server import create_app

__all__ = ["create_app"]
