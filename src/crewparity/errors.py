"""Errors a user can act on.

Every failure caused by input (a bad file, a bad argument, a store from another version) is raised as a
:class:`CrewparityError`. The CLI prints its one-line message to stderr and exits 1 with no traceback;
the Python API lets it propagate so programs can catch it.
"""

from __future__ import annotations

import inspect
import numbers
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


class ArgumentError(CrewparityError, ValueError):
    """An option or argument has a value outside what is allowed (a ValueError too, as Python code expects of a
    bad argument: ``except ValueError`` catches it).

    Messages name the CLI's options (``--from``); the Python API raises them with its own argument names
    (:func:`python_names`) and keeps the CLI's text in ``cli_message`` for the CLI and the dashboard."""

    cli_message: str | None = None


#: the CLI options whose Python argument has another name (docs/api.md's table); any other ``--word`` is the
#: argument ``word`` (dashes as underscores)
PYTHON_ARGUMENTS = {"kind": "kinds", "from": "year_from", "to": "year_to", "format": "fmt"}
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
    options (a notebook user wrote ``unit=``, not ``--unit``); ``cli_message`` keeps the CLI's text.

    It also checks the arguments the CLI's parser types: a whole number where the signature says ``int`` (a
    NumPy integer, or a float such as 2017.0 from a pandas column, is taken as that number) and text where it
    says ``str`` (None only where the argument has a default). Why: ``season="2"`` from a notebook widget gave
    "has no season 2; seasons: 1, 2", ``query=None`` an AttributeError from deep inside."""
    signature = inspect.signature(method)
    whole = {n for n, p in signature.parameters.items() if p.annotation in ("int", "int | None")}
    text = {n: p.default is inspect.Parameter.empty for n, p in signature.parameters.items()
            if p.annotation == "str"}

    @wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            if whole or text:
                bound = signature.bind(*args, **kwargs)
                for name, value in bound.arguments.items():
                    if name in whole:
                        bound.arguments[name] = _whole_number(name, value)
                    elif name in text and not isinstance(value, str) and (value is not None or text[name]):
                        raise ArgumentError(f"{name}={value!r} is not text; give a str")
                args, kwargs = bound.args, bound.kwargs
            return method(*args, **kwargs)
        except ArgumentError as exc:
            if exc.cli_message is not None:
                raise
            translated = ArgumentError(in_python_names(str(exc)))
            translated.cli_message = str(exc)
            raise translated from None
    return call  # type: ignore[return-value]


def _whole_number(name: str, value: Any) -> Any:
    """``value`` as an int for an argument the CLI types as one (None stays None), else an ArgumentError."""
    if value is None:
        return None
    if not isinstance(value, bool):
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(float(value))
    raise ArgumentError(f"{name}={value!r} is not a whole number")


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



def line_ends(data: bytes) -> int:
    """How many lines ``data`` ends: each ``\\n``, ``\\r\\n`` and lone ``\\r`` (a CSV reader's and an editor's line
    ends)."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def first_non_utf8(data: bytes) -> tuple[int, int] | None:
    """``(line, byte)`` of the first byte of ``data`` that is not UTF-8 (line counted from 1); None if it decodes."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return line_ends(data[:exc.start]) + 1, data[exc.start]
    return None


def first_non_utf8_in_file(path: str | Path, block: int = 1 << 20) -> tuple[int, int] | None:
    """:func:`first_non_utf8` of a file, read in blocks (the error path of a reader that decodes as it goes: its
    exception's offset is within a buffer, so it cannot say the line itself). None if the file decodes, or can no
    longer be read."""
    line, carry, cr_before = 1, b"", False
    try:
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(block)
                buf = carry + chunk
                if not buf:
                    return None
                try:
                    buf.decode("utf-8")
                    good = len(buf)
                except UnicodeDecodeError as exc:
                    if chunk and exc.end == len(buf) and exc.reason == "unexpected end of data":
                        good = exc.start  # a character cut by the block's end: decode it with the next block
                    else:
                        head = buf[:exc.start]
                        return line + line_ends(head) - (cr_before and head[:1] == b"\n"), buf[exc.start]
                head = buf[:good]
                line += line_ends(head) - (cr_before and head[:1] == b"\n")
                if head:
                    cr_before = head.endswith(b"\r")
                carry = buf[good:]
    except OSError:
        return None


def not_utf8(path: str | Path, expected: str, data: bytes | None = None) -> InputError:
    """The error for a file that is not UTF-8 text: it names the line holding the first bad byte, and the byte (a
    Latin-1 or Windows-1252 "é" is 0xE9). ``data``: the file's bytes when the caller has read them (a pipe cannot
    be read twice); else the file is read again."""
    found = first_non_utf8(data) if data is not None else first_non_utf8_in_file(path)
    if found is None:
        return InputError(f"is not valid UTF-8 text; {expected}", path=path)
    line, byte = found
    return InputError(f"is not valid UTF-8 text (byte 0x{byte:02X}); {expected}", path=path, line=line)
