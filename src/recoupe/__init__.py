"""recoupe: cross-check the news.

``recoupe.open(db)`` opens a store for the Python API (docs/api.md). It is imported on
first use, so ``import recoupe`` stays cheap (no NLP stack, no store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from recoupe.app.api import Recoupe
    from recoupe.app.api import open_recoupe as open

_LAZY = {"open": "open_recoupe", "Recoupe": "Recoupe"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from recoupe.app import api

        return getattr(api, _LAZY[name])
    raise AttributeError(f"module 'recoupe' has no attribute {name!r}")


__all__ = ["Recoupe", "__version__", "open"]
