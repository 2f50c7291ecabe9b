"""Errors a user can act on.

Every failure caused by input (a bad file, a bad argument, a store from another version) is raised as a
:class:`CrewparityError`. The CLI prints its one-line message to stderr and exits 1 with no traceback;
the Python API lets it propagate so programs can catch it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar


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
    """An option or argument has a value outside what is allowed.

    Messages name the CLI's options (``--from``); the Python API raises them with its own argument names
    (:func:`python_names`) and keeps the CLI's text in ``cli_message`` for the CLI and the dashboard."""

    cli_message: str | None = None


#: the CLI options whose Python argument has another name (docs/api.md's table); any other ``--word`` is the
#: argument ``word`` (dashes as underscores)
PYTHON_ARGUMENTS = {"kind": "kinds", "from": "year_from", "to": "year_to"}
_OPTION = re.compile(r"--([a-z][a-z-]*)(\s+(?=['\"\d-]))?")

F = TypeVar("F", bound=Callable[..., Any])


def in_python_names(message: str) -> str:
    """A CLI message with each ``--option`` written as the Python argument: "--from 2020 is after --to 2010" ->
    "year_from=2020 is after year_to=2010", "unknown --unit 'persons'" -> "unknown unit='persons'"."""
    def name(m: re.Match[str]) -> str:
        arg = PYTHON_ARGUMENTS.get(m.group(1), m.group(1).replace("-", "_"))
        return f"{arg}=" if m.group(2) else arg
    return _OPTION.sub(name, message)


def python_names(method: F) -> F:
    """Wrap a Python API method: an :class:`ArgumentError` it raises names the method's arguments, not the CLI's
    options (a notebook user wrote ``unit=``, not ``--unit``); ``cli_message`` keeps the CLI's text."""
    @wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except ArgumentError as exc:
            if exc.cli_message is not None:
                raise
            translated = ArgumentError(in_python_names(str(exc)))
            translated.cli_message = str(exc)
            raise translated from None
    return call  # type: ignore[return-value]


class StoreError(CrewparityError):
    """The store file is missing, locked, or written by an incompatible version."""


#: how much of a header a message shows: the first HEADER_CELLS cells, each cut to HEADER_CELL_WIDTH characters
HEADER_CELLS = 12
HEADER_CELL_WIDTH = 40


def header_cells(names: Sequence[str]) -> str:
    """A CSV header's columns for a message, comma-separated: each by its name, an empty cell as "column N (no
    header)" (N counted from 1, as a spreadsheet shows it). A long header is abbreviated, so the message stays a
    line a person reads: a cell over :data:`HEADER_CELL_WIDTH` characters ends in "...", and past
    :data:`HEADER_CELLS` cells the rest are counted ("... and 30 more").

    Why: an empty header cell was shown as nothing (", ,") or, read by DuckDB, under the name DuckDB makes up for
    it ("column1", "column00"), a name the user's file does not hold."""
    def cell(i: int, name: str) -> str:
        name = " ".join(name.split())
        if len(name) > HEADER_CELL_WIDTH:
            return name[:HEADER_CELL_WIDTH - 3] + "..."
        return name or f"column {i} (no header)"
    shown = [cell(i, name) for i, name in enumerate(names[:HEADER_CELLS], start=1)]
    if len(names) > HEADER_CELLS:
        shown.append(f"... and {len(names) - HEADER_CELLS} more")
    return ", ".join(shown)

