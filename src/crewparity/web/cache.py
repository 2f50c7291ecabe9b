"""Results remembered per store version, computed once even when many requests ask at the same moment.

Why: at full IMDb scale one share query takes seconds (it counts distinct people over tens of millions of
credits), while the same question asked again must answer in milliseconds. The store only changes when an
ingest swaps the file, so every key starts with the store's generation: a swapped store is never answered
from the old one's results. Concurrent requests for the same key wait for the one computation in flight
("single flight") instead of each running the query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Flight:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = None
        self.error: BaseException | None = None


class Memo(Generic[T]):
    """A bounded LRU of computed values with single-flight computation; errors are not remembered."""

    def __init__(self, size: int = 512):
        self._data: OrderedDict[Hashable, T] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            flight = self._flights.get(key)
            owner = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not owner:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[return-value]
        try:
            value = make()
        except BaseException as exc:
            flight.error = exc
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()
            raise
        flight.value = value
        with self._lock:
            self._data[key] = value
            self._flights.pop(key, None)
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        flight.done.set()
        return value

    def drop_older(self, generation: int) -> None:
        """Forget values of earlier store generations (keys are tuples starting with the generation)."""
        with self._lock:
            for key in [k for k in self._data if isinstance(k, tuple) and k and k[0] != generation]:
                del self._data[key]

    def __len__(self) -> int:
        return len(self._data)
