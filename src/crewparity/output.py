"""Rendering result tables for people and programs: table, csv, json, parquet.

Every command returns a :class:`pyarrow.Table`; this module is the only place that turns one into text or
a file, so the CLI, the report and the dashboard export the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crewparity.errors import ArgumentError

FORMATS = ("table", "csv", "json", "parquet")
#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


#: the formats an --output suffix chooses when --format is not given (any other suffix: table)
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet"}


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise ArgumentError(f"unknown --format {fmt!r}; allowed: {', '.join(allowed)}")
    return fmt


def format_for(fmt: str | None, output: str | Path | None, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format to write: ``fmt`` when given, else the one ``output``'s suffix names (.csv, .json, .parquet;
    any other suffix, or no file: table), as ``report -o`` and ``chart -o`` choose by the suffix.

    Why: ``-o t.parquet`` without ``-f`` wrote a box-drawn text table into a file named .parquet."""
    if fmt is not None:
        return check_format(fmt, allowed)
    if output is None:
        return "table"
    chosen = SUFFIX_FORMATS.get(Path(output).suffix.lower(), "table")
    return chosen if chosen in allowed else "table"


def check_output(path: str | Path, what: str = "--output", example: str = "out.csv") -> Path:
    """Refuse a path a file cannot be written at (a folder, or a file in a missing folder) before any work is
    done, with one line naming the path; ``what`` names the option in the message. Tables, the report and charts
    all check their output here."""
    p = Path(path)
    if p.is_dir():
        raise ArgumentError(f"{what} is a folder; give a file name, like {example}", path=p)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise ArgumentError(f"{what}'s folder does not exist; create it first or give another file", path=p)
    if not parent.is_dir():
        raise ArgumentError(f"{what}'s folder {str(parent)!r} is a file, not a folder", path=p)
    return p


def write_file(path: str | Path, data: str | pa.Table) -> None:
    """Write text (UTF-8) or a table as Parquet to ``path`` atomically: a temporary file beside it, then a
    rename, so a failed write leaves nothing (and never half a file where a good one was). An OS error (no
    permission, a full disk) becomes one line naming the path."""
    p = check_output(path)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            pq.write_table(data, str(tmp))
        os.replace(tmp, p)
    except OSError as exc:
        raise ArgumentError(f"cannot write --output ({exc.strerror or exc})", path=p) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    return v


def to_records(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: _json_value(v) for k, v in row.items()} for row in table.to_pylist()]


def to_json(table: pa.Table) -> str:
    """A JSON list of objects with the table's column names (stable field names for programs)."""
    return json.dumps(to_records(table), ensure_ascii=False, indent=2, default=str)


def neutralise_cell(value: str) -> str:
    """Prefix a quote to a text cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if value and value.startswith(FORMULA_PREFIXES):
        # A plain negative number is data, not a formula.
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


class _LineWriter:
    """csv.writer quotes a field only for the characters of its line terminator: with ``\n`` alone, a bare
    ``\r`` in a name went out unquoted and split the row in every reader. Write each row with ``\r\n``
    (so both characters force quoting) and end it with ``\n``."""

    def __init__(self, buf: io.StringIO) -> None:
        self._buf, self._row = buf, io.StringIO()
        self._writer = csv.writer(self._row, lineterminator="\r\n")

    def writerow(self, row: list[str]) -> None:
        self._row.seek(0)
        self._row.truncate()
        self._writer.writerow(row)
        self._buf.write(self._row.getvalue()[:-2] + "\n")


def to_csv(table: pa.Table) -> str:
    buf = io.StringIO()
    writer = _LineWriter(buf)
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        out = []
        for v in row.values():
            if v is None:
                out.append("")
            elif isinstance(v, str):
                out.append(neutralise_cell(v))
            elif isinstance(v, float):
                out.append("" if math.isnan(v) else repr(round(v, 6)))
            elif isinstance(v, list):
                out.append(neutralise_cell(",".join(str(x) for x in v)))
            else:
                out.append(str(v))
        writer.writerow(out)
    return buf.getvalue()


#: the comparison table's figures (every study's metric is a percentage, stored as a fraction): shown as the
#: CLI's compare table shows them, not as bare fractions ("0.17") in the report and the dashboard
PERCENT_COLUMNS = frozenset({"published", "crewparity"})


def format_cell(v: Any, column: str = "") -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if column in PERCENT_COLUMNS:
            return f"{v:.1%}"
        if column == "difference":
            return f"{v * 100:+.1f} pts"
        if column.startswith(("share", "ci_", "p_")) or column in {"share_known", "share_expected"}:
            return f"{v:.1%}" if column.startswith(("share", "ci_")) else f"{v:.2f}"
        return f"{v:.3g}"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def _cells(table: pa.Table) -> tuple[list[list[str]], list[bool]]:
    """Every cell as the table formats show it (:func:`format_cell`), and per column whether it is numeric
    (right-justified)."""
    rows = [[format_cell(v, k) for k, v in row.items()] for row in table.to_pylist()]
    return rows, [pa.types.is_integer(f.type) or pa.types.is_floating(f.type) for f in table.schema]


#: characters rich does not print as they are (control characters): a table holding one goes through rich
_NOT_PLAIN = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}


def table_text(table: pa.Table, title: str | None = None, caption: str | None = None) -> str | None:
    """The text rich prints for :func:`render_table`'s table at its full width with no colours (a file or a
    pipe), made directly: the same characters, in about a hundredth of the time.

    Why: rich lays out every cell of every row (about 1 ms a row: 18 s for the 13,574 titles of a ``share --by
    title`` at synth 0.1); a file gets no styles and no wrapping, so the grid is plain text. None when a cell
    or a header holds a character rich would not print as it is (then rich renders it); a test compares the two
    on many tables.
    """
    from rich.cells import cell_len

    headers = list(table.column_names)
    rows, right = _cells(table)
    if any(ch in _NOT_PLAIN for text in [*headers, *(c for r in rows for c in r)] for ch in text):
        return None
    widths = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def rule(left: str, fill: str, cross: str, end: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + end

    def line(cells: list[str], edge: str) -> str:
        padded = [" " * (w - cell_len(c)) + c if r else c + " " * (w - cell_len(c))
                  for c, w, r in zip(cells, widths, right, strict=True)]
        return edge + edge.join(f" {c} " for c in padded) + edge

    out = [title] if title else []
    out += [rule("┏", "━", "┳", "┓"), line(headers, "┃"), rule("┡", "━", "╇", "┩")]
    out += [line(r, "│") for r in rows]
    out.append(rule("└", "─", "┴", "┘"))
    if caption:
        out.append(caption)
    return "\n".join(out) + "\n"


def render_table(table: pa.Table, title: str | None = None, caption: str | None = None, *,
                 fit: int | None = None) -> Any:
    """A rich Table for a terminal. Cell text is never interpreted as markup.

    ``fit``: the width of a terminal narrower than the table. The headers then wrap at their underscores
    (shown as spaces) and each column is as wide as its widest cell or its header's longest word, so the
    headers give way, not the numbers; if even that is wider than ``fit``, cells wrap (fold) instead of being
    cut with an ellipsis.
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    cells, right = _cells(table)
    headers = [name.replace("_", " ") if fit is not None else name for name in table.column_names]
    widths: list[int | None] = [None] * len(headers)
    if fit is not None:
        least = [max([cell_len(row[i]) for row in cells] + [cell_len(w) for w in h.split()])
                 for i, h in enumerate(headers)]
        if sum(least) + 3 * len(least) + 1 <= fit:  # a space each side of a cell, a rule between and around
            widths = list(least)
    t = Table(title=title, caption=caption, caption_justify="left")
    for header, width, numeric in zip(headers, widths, right, strict=True):
        t.add_column(header, justify="right" if numeric else "left", width=width,
                     overflow="fold" if fit is not None else "ellipsis")
    for row in cells:
        t.add_row(*[Text(c) for c in row])
    return t
