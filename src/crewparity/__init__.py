"""crewparity: who works behind the camera, measured from public credits data.

The Python API mirrors the CLI::

    import crewparity
    store = crewparity.open("crewparity.duckdb")
    store.series("Jessica Jones")          # the same rows as `crewparity series "Jessica Jones"`
"""

from __future__ import annotations

from crewparity.errors import ArgumentError, CrewparityError, InputError, StoreError
from crewparity.store import Store, open_store

__version__ = "0.1.0"


def open(path: str | None = None, *, read_only: bool = True) -> Store:  # noqa: A001 - mirrors duckdb/sqlite-utils
    """Open a crewparity store (default ``./crewparity.duckdb`` or ``$CREWPARITY_DB``)."""
    return open_store(path, read_only=read_only)


__all__ = ["ArgumentError", "CrewparityError", "InputError", "Store", "StoreError", "open", "__version__"]
