"""crewparity: who works behind the camera, measured from public credits data.

The Python API mirrors the CLI::

    import crewparity
    store = crewparity.open("crewparity.duckdb")
    store.series("Jessica Jones")          # the same rows as `crewparity series "Jessica Jones"`
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from crewparity.errors import ArgumentError, CrewparityError, InputError, StoreError
from crewparity.store import Store, open_store

if TYPE_CHECKING:
    from crewparity.client import AbsentRoleWarning, Crewparity, ShortSampleWarning, UnlistedTitlesWarning
    from crewparity.metrics.empty import EmptyResultWarning

__version__ = "0.1.0"


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = True) -> Crewparity:  # noqa: A001
    """Open a crewparity store (default ``./crewparity.duckdb`` or ``$CREWPARITY_DB``).

    Returns a :class:`crewparity.client.Crewparity` whose methods (``share``, ``series``, ``distribution``,
    ``compare``, ``chart``) mirror the CLI's commands and return pyarrow Tables. Its ``.store`` is the underlying Store.
    """
    from crewparity.client import Crewparity

    return Crewparity(open_store(path, read_only=read_only))


#: names importable from here but loaded on first use (the metrics import pyarrow): the object ``open`` returns
#: and the warnings its methods give, which a notebook filters as ``crewparity.EmptyResultWarning``
_LAZY = {"Crewparity": "crewparity.client", "UnlistedTitlesWarning": "crewparity.client",
         "ShortSampleWarning": "crewparity.client", "AbsentRoleWarning": "crewparity.client",
         "EmptyResultWarning": "crewparity.metrics.empty"}


def __getattr__(name: str) -> object:
    """The :data:`_LAZY` names, imported when first asked for."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'crewparity' has no attribute {name!r}")


__all__ = ["AbsentRoleWarning", "ArgumentError", "Crewparity", "CrewparityError", "EmptyResultWarning", "InputError",
           "ShortSampleWarning", "Store", "StoreError", "UnlistedTitlesWarning", "open", "__version__"]
