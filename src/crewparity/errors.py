"""Errors a user can act on.

Every failure caused by input (a bad file, a bad argument, a store from another version) is raised as a
:class:`CrewparityError`. The CLI prints its one-line message to stderr and exits 1 with no traceback;
the Python API lets it propagate so programs can catch it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class CrewparityError(Exception):
    """An error whose message is meant for the user, on one line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}:{line}"
            where += ": "
        super().__init__(" ".join(f"{where}{message}".split()))


class InputError(CrewparityError):
    """A file could not be read as the format it claims to be."""


class ArgumentError(CrewparityError):
    """An option or argument has a value outside what is allowed."""


class StoreError(CrewparityError):
    """The store file is missing, locked, or written by an incompatible version."""


def header_cells(names: Sequence[str]) -> str:
    """A CSV header's columns for a message, comma-separated: each by its name, an empty cell as "column N (no
    header)" (N counted from 1, as a spreadsheet shows it).

    Why: an empty header cell was shown as nothing (", ,") or, read by DuckDB, under the name DuckDB makes up for
    it ("column1", "column00"), a name the user's file does not hold."""
    return ", ".join(name.strip() or f"column {i} (no header)" for i, name in enumerate(names, start=1))


def unnamed_columns(names: Sequence[str]) -> list[int]:
    """The 1-based positions of a header's empty cells."""
    return [i for i, name in enumerate(names, start=1) if not name.strip()]
