"""Reading a file of names for ``gender guess --input``: one full name per line, or a CSV with a name column.

The first line is a header when one of its cells (as a CSV line, trimmed, in any case) is one of
:data:`NAME_HEADERS` (``name``, ``full_name``, ``fullname``, ``primaryName``, ``person`` ...): that cell's
column holds the names (:func:`name_column`, the one place the rule is kept; ``gender estimate`` uses it too).
Otherwise every line is a name. Every line after the header is a row, in file order: a blank line is a row with
an empty name (which the guess answers unknown, source none), so output row N is the file's Nth name line.

No name is longer than the csv module's field limit (131,072 characters): a longer line of a list, or cell of a CSV,
is an error naming its line (:func:`check_name_lengths`, :func:`csv_records`), not a name nor a traceback.

The names come back as one Arrow string array, which the guess takes as it is. Why not a Python list: for a
million names, splitting the text into lines, stripping each and converting the list to Arrow cost 0.25-0.35 s,
a third of the whole command; cutting the file's bytes at its newlines with NumPy and trimming the lines with an
Arrow kernel costs about a fifth of that.

The fast path must give exactly the names the plain reading gives (``str.splitlines``, each line ``str.strip``-ed,
blank lines kept as empty names). Python splits lines and strips spaces at more characters than ASCII's: the file separators
\\x1c-\\x1f, NEL, no-break and typographic spaces, the line and paragraph separators. A file holding one of them,
or a lone carriage return, is read the plain way; so is every CSV (the ``csv`` module's quoting rules decide
its cells).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crewparity.errors import InputError, header_cells, not_utf8

__all__ = ["NAMES_EXPECTED", "NAME_HEADERS", "SEPARATOR_NAMES", "check_name_lengths", "csv_records", "decode_text",
           "encoding_error", "fields_message", "first_line_cells", "name_column", "name_headers_list", "read_name_array",
           "text_line_of"]

#: the header cells that name a column of full names, compared trimmed and case-insensitively (written as users
#: meet them: IMDb's ``primaryName``); the first of them in this order that the header has is the names' column (so
#: ``name`` wins over ``person``). The one list: the help of ``gender guess`` and ``gender estimate`` is made from it
#: (:func:`name_headers_list`), and docs/gender.md lists it.
NAME_HEADERS = ("name", "full_name", "fullname", "full name", "primaryName", "primary_name", "person",
                "person_name")


def name_column(header: list[str]) -> int | None:
    """The place of the names' column in a file's first line read as CSV cells, or None when that line is no
    header (then it is a name, or, for a .csv of several columns, an error)."""
    cells = [c.strip().lower() for c in header]
    return next((cells.index(h.lower()) for h in NAME_HEADERS if h.lower() in cells), None)


def name_headers_list() -> str:
    """The recognised headers for a help text: "name, full_name, ... person or person_name"."""
    return f"{', '.join(NAME_HEADERS[:-1])} or {NAME_HEADERS[-1]}"


def first_line_cells(line: str) -> list[str]:
    """A file's first line read as CSV cells, to look for a header; a line the csv module cannot read (a cell over
    its field limit) is one cell, no header (the line itself is then refused as too long for a name)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return [line]


def field_limit() -> int:
    """The longest cell the csv module reads (131,072 characters unless a program changed it): no name is longer,
    so a list's line is held to it too."""
    return csv.field_size_limit()


def check_name_lengths(lines: Iterable[str], path: Path, first: int = 1) -> None:
    """Raise for the first of ``lines`` (file lines ``first``, ``first + 1`` ...) that, stripped, is longer than any
    name (:func:`field_limit`): a plain list's line is its name."""
    limit = field_limit()
    for n, line in enumerate(lines, start=first):
        if len(line) > limit and len(line.strip()) > limit:
            raise InputError(f"a line of {len(line.strip()):,} characters, longer than any name (a name is at most "
                             f"{limit:,} characters): is this a file of names?", path=path, line=n)


def csv_records(reader: Iterable[list[str]], path: Path, offset: int = 0) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each record of a csv ``reader`` whose first line is the file's line ``offset + 1``:
    ``line`` is the one the record starts on (a quoted cell may run over several). A csv error is one line naming
    the record's line: a cell over the field limit (no name is that long; a quote never closed reads on to it) or
    what else the reader says."""
    done = 0  # the reader's last line of the last record read: a record that fails starts on the next
    try:
        for row in reader:
            yield offset + done + 1, row
            done = reader.line_num  # type: ignore[attr-defined]
    except csv.Error as exc:
        start, stopped = offset + done + 1, offset + reader.line_num  # type: ignore[attr-defined]
        raise InputError(_csv_error_text(exc, start, stopped), path=path, line=start) from None


#: a separator other than a comma, by its name in messages
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def fields_message(found: int, header: list[str], delimiter: str = ",") -> str:
    """What is wrong with a row of ``found`` fields under ``header``: too few or too many, and the header."""
    read_as = "" if delimiter == "," else f"; {SEPARATOR_NAMES.get(delimiter, repr(delimiter))}-separated"
    text = f"{found} where the header has {len(header)} ({header_cells(header)}{read_as})"
    if found < len(header):
        return f"too few fields: {text}"
    return (f"too many fields: {text}; a value holding a {SEPARATOR_NAMES.get(delimiter, repr(delimiter))} is "
            'written in quotes ("Lynch, Jennifer")')


def _csv_error_text(exc: csv.Error, start: int, stopped: int) -> str:
    limit = field_limit()
    if "field larger than field limit" in str(exc):
        if stopped > start:
            return (f"a quoted field opened on this line is still open after {limit:,} characters (at line "
                    f"{stopped}); expected a closing \" (a quote inside a quoted field is written twice: \"\")")
        return f"a field of more than {limit:,} characters, longer than any name: is this a file of names?"
    from crewparity.sources.overrides import csv_error_message  # the ingest readers' words for the rest

    return csv_error_message(exc, stopped)


def name_headers_text() -> str:
    """The recognised headers, for messages: "'name' column (or full_name, ...; any case)"."""
    return f"'{NAME_HEADERS[0]}' column (or {', '.join(NAME_HEADERS[1:])}; any case)"


#: ASCII line and file separators Python splits at or strips (\v \f \x1c-\x1f)
_ASCII_SEPARATORS = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
#: the UTF-8 lead bytes of the other characters Python splits at or strips (NEL, no-break and typographic spaces)
_NON_ASCII_LEADS = (b"\xc2", b"\xe1", b"\xe2", b"\xe3")
#: every character str.splitlines splits at or str.strip strips, other than \t \n \r and the space
_PYTHON_ONLY_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def read_name_array(path: str | os.PathLike[str]) -> pa.Array:
    """The names in FILE as an Arrow string array, in file order (see the module docstring for the rules).

    A CSV is recognised by a names column in its header (:func:`name_column`); a ``.csv`` file with several
    columns and none of them is an error, anything else is one name a line (so "Lynch, Jennifer" stays one
    name). A blank line is an empty name. Errors name the file and, where there is one, the line.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=p)
    if p.is_dir():
        raise InputError("is a directory, not a file of names", path=p)
    data = p.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data:
        return pa.array([], pa.string())
    lines = _lines(data)
    try:
        lines.validate(full=True)  # UTF-8 checked in C, 2x faster than decoding
    except pa.ArrowInvalid:
        raise encoding_error(data, p) from None
    python_lines = decode_text(data, p).splitlines() if _needs_python_rules(data) else None
    first = python_lines[0] if python_lines else lines[0].as_py().removesuffix("\n").removesuffix("\r")
    header = first_line_cells(first)
    column = name_column(header)
    if column is None and p.suffix.lower() == ".csv" and len(header) > 1:
        raise InputError(f"a CSV needs a {name_headers_text()}; the header has: "
                         f"{header_cells(header)}", path=p, line=1)
    if column is not None:
        every = decode_text(data, p).splitlines() if python_lines is None else python_lines
        return pa.array(_csv_names(every, header, column, p), pa.string())
    if python_lines is not None:
        check_name_lengths(python_lines, p)
        return pa.array([ln.strip() for ln in python_lines], pa.string())
    long = pc.greater(pc.binary_length(lines), field_limit())  # bytes: at least the characters
    if pc.any(long).as_py():
        at = np.flatnonzero(long.to_numpy(zero_copy_only=False))
        for i in at.tolist():
            check_name_lengths([lines[i].as_py()], p, first=i + 1)
    return pc.ascii_trim_whitespace(lines).cast(pa.string())


def _lines(data: bytes) -> pa.Array:
    """The file's lines, each with its newline, as a large string array over the file's own bytes (no copy)."""
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    ends = newlines + 1 if len(newlines) and newlines[-1] == len(data) - 1 else \
        np.append(newlines + 1, len(data))
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), ends.astype(np.int64)])
    return pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(data))


def _needs_python_rules(data: bytes) -> bool:
    """Whether cutting at \\n and trimming ASCII spaces could give other names than splitlines + strip."""
    if any(data.find(b) >= 0 for b in _ASCII_SEPARATORS):  # one memchr per byte: ~1.5 ms per 15 MB
        return True
    if data.find(b"\r") >= 0 and data.count(b"\r") != data.count(b"\r\n"):
        return True  # a lone carriage return ends a line for Python
    if any(data.find(b) >= 0 for b in _NON_ASCII_LEADS):
        return _PYTHON_ONLY_SPACE.search(data.decode("utf-8")) is not None
    return False


def _csv_names(lines: list[str], header: list[str], i: int, p: Path) -> list[str]:
    out: list[str] = []
    for n, row in csv_records(csv.reader(lines[1:]), p, offset=1):
        if not row:  # a blank line: a row with no name, so the rows keep the file's order
            out.append("")
            continue
        if len(row) != len(header):  # a field too many took the name from the wrong cell ("Lynch, Jennifer")
            raise InputError(fields_message(len(row), header), path=p, line=n)
        out.append(row[i])
    return out


#: what a file of names must be, for an error about its encoding
NAMES_EXPECTED = "expected one full name a line, or a CSV with a name column, saved as UTF-8"
#: the byte order marks of the UTF-16 and UTF-32 encodings, UTF-32's first (FF FE 00 00 starts with UTF-16's)
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
         (b"\xfe\xff", "UTF-16"))


def decode_text(data: bytes, p: Path, expected: str = NAMES_EXPECTED) -> str:
    """A file's bytes as text (a UTF-8 BOM dropped); other bytes are :func:`encoding_error`."""
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise encoding_error(data, p, expected) from None


def encoding_error(data: bytes, p: Path, expected: str = NAMES_EXPECTED) -> InputError:
    """The error for a file that is not UTF-8: a UTF-16 or UTF-32 file (known by its byte order mark, as Excel's
    "Unicode text" and Windows' editors write it) is named as such; anything else in the words of the ingest
    commands (:func:`crewparity.errors.not_utf8`: the line and the first byte that is not UTF-8, and ``expected``)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return InputError(f"is {name} text (byte order mark {bom.hex(' ').upper()}), not UTF-8; {expected} "
                              f"(iconv -f {name} -t UTF-8 converts it)", path=p, line=1)
    return not_utf8(p, expected, data.removeprefix(b"\xef\xbb\xbf"))


def text_line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset (for an error message)."""
    return data[:offset].count(b"\n") + 1
