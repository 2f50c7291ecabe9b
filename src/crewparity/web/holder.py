"""The dashboard's view of the store: opened read-only, reopened when an ingest swaps the file.

Why this is more than ``open_store`` once: an ingest never writes the live file; it builds a new one and
renames it over the old (see :func:`crewparity.store.writing`). An open connection keeps reading the old
inode, so the dashboard would serve yesterday's numbers forever. Each request therefore compares the
path's (inode, mtime, size) with the open one and reopens when they differ.

Two DuckDB facts shape the reopening:

* ``duckdb.connect(path)`` returns the *cached* database instance while one is open for that path, even if
  the path now names another file; the old connection must be closed before the new one is opened.
* Closing a connection kills its cursors. Requests run on worker threads, each with its own cursor, so a
  swap waits until in-flight requests finish (they take milliseconds) and holds new ones back meanwhile.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from crewparity.client import Crewparity
from crewparity.errors import StoreError
from crewparity.store import Store, open_store


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class StoreHolder:
    """One read-only store shared by all requests; a thread-local cursor per request."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._cond = threading.Condition()
        self._active = 0
        self._swapping = False
        self._store: Store | None = None
        self._cursors: set[object] = set()
        self._closing = False
        self._identity: tuple[int, int, int, int] | None = None
        #: Bumped on every (re)open; caches key on it so a swapped store never serves old results.
        self.generation = 0
        #: Called (on the requesting thread, outside the lock) after the store was reopened.
        self.on_reopen: Callable[[int], None] | None = None
        # Open once now so a missing or foreign file is reported at start-up, not at the first page.
        self._reopen_if_changed()

    @property
    def closing(self) -> bool:
        return self._closing

    def current(self) -> int:
        """Reopen the store if an ingest swapped it, and return the generation now being served."""
        self._reopen_if_changed()
        return self.generation

    def _reopen_if_changed(self) -> None:
        before = self.generation
        self._reopen_locked()
        if self.generation != before and before and self.on_reopen is not None:
            self.on_reopen(self.generation)

    def _reopen_locked(self) -> None:
        ident = _identity(self.path)
        with self._cond:
            if self._store is not None and ident == self._identity:
                return
            # Hold new requests back and wait for the running ones: closing kills their cursors.
            while self._swapping:
                self._cond.wait()
            if self._store is not None and _identity(self.path) == self._identity:
                return
            self._swapping = True
            try:
                while self._active:
                    self._cond.wait()
                if self._store is not None:
                    self._store.close()
                    self._store = None
                ident = _identity(self.path)
                self._store = open_store(self.path, read_only=True)
                self._identity = ident
                self.generation += 1
            finally:
                self._swapping = False
                self._cond.notify_all()

    @contextmanager
    def client(self) -> Iterator[Crewparity]:
        """A :class:`Crewparity` on a fresh cursor of the current store, for one request."""
        if self._closing:
            raise StoreError("the dashboard is shutting down", path=self.path)
        self._reopen_if_changed()
        with self._cond:
            while self._swapping:
                self._cond.wait()
            if self._closing or self._store is None:
                raise StoreError("the dashboard is shutting down", path=self.path)
            self._active += 1
            store = self._store
        cursor = store.con.cursor()
        with self._cond:
            self._cursors.add(cursor)
        try:
            yield Crewparity(Store(path=store.path, con=cursor, read_only=True))
        finally:
            try:
                cursor.close()
            finally:
                with self._cond:
                    self._cursors.discard(cursor)
                    self._active -= 1
                    self._cond.notify_all()

    def shutdown(self) -> None:
        """Stop: interrupt the queries still running (a warm-up may take a minute at full scale), then close.

        Interrupting the parent connection does not reach its cursors; each cursor is interrupted itself.
        """
        with self._cond:
            self._closing = True
            cursors = list(self._cursors)
        for cursor in cursors:
            try:
                cursor.interrupt()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a cursor that just finished may already be closed
                pass
        self.close()

    def close(self) -> None:
        with self._cond:
            while self._active:
                self._cond.wait()
            if self._store is not None:
                self._store.close()
                self._store = None
