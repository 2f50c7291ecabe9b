"""Rendering result tables for people and programs: table, csv, json, parquet.

Every command returns a :class:`pyarrow.Table`; this module is the only place that turns one into text or
a file, so the CLI, the report and the dashboard export the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crewparity.atomic import atomic_path
from crewparity.errors import ArgumentError

FORMATS = ("table", "csv", "json", "parquet")
#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


#: the formats an --output suffix chooses when --format is not given (any other suffix: table)
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet"}
#: suffixes of formats crewparity does not write: a text table under such a name would be a file its program cannot
#: open (``share -o out.xlsx`` wrote one and said "wrote 29 rows to out.xlsx"), so they are refused unless
#: ``--format`` says what to write
UNWRITTEN_SUFFIXES = frozenset({".xlsx", ".xls", ".ods", ".tsv", ".feather", ".arrow", ".sqlite", ".db", ".duckdb"})


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
    suffix = Path(output).suffix.lower()
    if suffix in UNWRITTEN_SUFFIXES:
        writes = ", ".join(s for s, f in SUFFIX_FORMATS.items() if f in allowed)
        raise ArgumentError(f"crewparity does not write {suffix} files; name the output {writes} (a spreadsheet "
                            "opens .csv), or give --format to write that format under this name", path=Path(output))
    chosen = SUFFIX_FORMATS.get(suffix, "table")
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


def write_file(path: str | Path, data: str | pa.Table, sidecar: tuple[str | Path, str] | None = None) -> None:
    """Write text (UTF-8) or a table as Parquet to ``path`` atomically: a temporary file beside it, then a
    rename, so a failed write leaves nothing (and never half a file where a good one was). An OS error (no
    permission, a full disk) becomes one line naming the path.

    ``sidecar``: a second file (path, text) written with it, the CSVW description of a csv or json export
    (:func:`csvw_metadata`). Both are written whole to temporary files first and only then renamed into place,
    so a failed write (a full disk, no permission) leaves neither file written and an earlier pair as it was;
    the sidecar's path is checked as ``path`` is (a folder there is refused before anything is written)."""
    p = check_output(path)
    side = (check_sidecar(sidecar[0]), sidecar[1]) if sidecar is not None else None
    current, data_placed = p, False
    try:
        # both written to temporary files first; the data file is put in place, then its description
        with atomic_path(side[0]) if side is not None else contextlib.nullcontext() as side_tmp:
            with atomic_path(p) as tmp:
                _write_one(tmp, data)
                if side is not None and side_tmp is not None:
                    current = side[0]
                    side_tmp.write_text(side[1], encoding="utf-8")
                    current = p
            # (renames in one folder: they do not fail where the writes did not)
            data_placed = True
            current = side[0] if side is not None else p
    except OSError as exc:
        if data_placed and side is not None and side[0].is_file():
            side[0].unlink()  # an earlier description beside the new data file would describe another table
        raise ArgumentError(f"cannot write --output ({exc.strerror or exc})", path=current) from None


def _write_one(path: Path, data: str | pa.Table) -> None:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        pq.write_table(data, str(path))


#: the JSON-LD context of a CSV on the Web metadata document (W3C "Metadata Vocabulary for Tabular Data")
CSVW_CONTEXT = "http://www.w3.org/ns/csvw"


def metadata_path(path: str | Path) -> Path:
    """Where the description of a csv or json export goes: ``<file>-metadata.json`` beside it (``out.csv`` ->
    ``out.csv-metadata.json``), the name a CSVW processor looks for first (CSV on the Web, "Locating
    Metadata": the file's URL with ``-metadata.json`` appended)."""
    p = Path(path)
    return p.with_name(p.name + "-metadata.json")


def check_sidecar(path: str | Path) -> Path:
    """Refuse a description path (:func:`metadata_path`) that is a folder, before any work, with one line naming
    it: the data file would be written and its description not. (Its folder is the data file's, checked by
    :func:`check_output`.)"""
    p = Path(path)
    if p.is_dir():
        raise ArgumentError("is a folder, where --output's description (its CSVW metadata, <file>-metadata.json) "
                            "goes; remove it or give another --output", path=p)
    return p


def csvw_datatype(typ: pa.DataType, fmt: str = "csv") -> str | dict[str, str]:
    """The CSVW datatype of a column of arrow type ``typ`` as :func:`to_csv` (``fmt`` csv) or :func:`to_json`
    writes it: integer, number (a double, every digit), decimal, boolean (csv writes ``True``/``False``, which
    is not CSVW's default lexical form, so the format says so) or string (text, and lists, which csv joins with
    commas)."""
    if pa.types.is_boolean(typ):
        return {"base": "boolean", "format": "True|False"} if fmt == "csv" else "boolean"
    if pa.types.is_integer(typ):
        return "integer"
    if pa.types.is_floating(typ):
        return "number"
    if pa.types.is_decimal(typ):
        return "decimal"
    return "string"


def csvw_name(column: str) -> str:
    """A column's CSVW ``name``: CSVW restricts names to URI template variable names (letters, digits and
    ``_``, others percent-encoded as UTF-8) and reserves a leading ``_``."""
    name = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "".join(f"%{b:02X}" for b in ch.encode())
                   for ch in column)
    return "%5F" + name[1:] if name.startswith("_") else name


def csvw_columns(table: pa.Table, fmt: str = "csv") -> list[dict[str, Any]]:
    """Each column of ``table`` in order as a CSVW column description: ``name``, ``titles`` (the header cell as
    written) and ``datatype`` (:func:`csvw_datatype`)."""
    out = []
    for field in table.schema:
        column: dict[str, Any] = {"titles": field.name, "datatype": csvw_datatype(field.type, fmt)}
        if field.name:
            column = {"name": csvw_name(field.name), **column}
        out.append(column)
    return out


def now_utc() -> _dt.datetime:
    """The time an output says it was written: now, or ``$SOURCE_DATE_EPOCH`` (whole seconds since 1970, UTC) when
    set, as the reproducible-builds convention has it.

    Why: a report or an export's metadata carries the minute it was written, so two runs over the same store never
    gave the same bytes; a journalist or a CI job that pins the variable gets files that compare equal."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None or fixed == "":
        return _dt.datetime.now(_dt.UTC)
    try:
        return _dt.datetime.fromtimestamp(int(fixed), _dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ArgumentError(f"SOURCE_DATE_EPOCH={fixed!r}: give whole seconds since 1970-01-01 UTC, "
                            "e.g. SOURCE_DATE_EPOCH=1767225600, or unset it") from None


def _utc_value(stamp: str) -> dict[str, str]:
    return {"@value": stamp if stamp.endswith("Z") else stamp + "Z", "@type": "xsd:dateTime"}


def csvw_metadata(path: str | Path, tables: pa.Table | dict[str, pa.Table], fmt: str, *, command: str,
                  version: str, title: str | None = None, description: str | None = None,
                  sources: list[dict[str, str]] | None = None, store: dict[str, str] | None = None,
                  created: str | None = None, part_titles: dict[str, str] | None = None) -> dict[str, Any]:
    """The CSV on the Web (CSVW) metadata document for a table written to ``path`` as ``fmt`` (csv or json): what
    the table is, the data it came from and the command that makes it again, so the file can be cited and
    reproduced without the terminal that printed it. Written beside the file as :func:`metadata_path`.

    Only the vocabulary of the W3C Recommendation "Metadata Vocabulary for Tabular Data" and, as its common
    properties, prefixed names of the RDFa initial context (``dc:``, ``prov:``, ``rdfs:``, ``schema:``, ``xsd:``),
    whose values keep to its JSON-LD subset (objects of such properties, ``@value``/``@type``), so the document is
    valid JSON-LD with the CSVW context:

    - ``dc:title``: the table's title (it names the unit); ``dc:description``: the notes printed under the table
      (the method: estimator, interval, caveats) as one paragraph;
    - ``dc:source``: the store's sources, oldest load first, each ``dc:title`` (imdb, wikidata, ...),
      ``dc:identifier`` (the folder or file as loaded) and ``dc:date`` (when it was loaded, UTC): the list a
      Parquet export carries as ``crewparity.sources``;
    - ``dc:created``: when the file was written (UTC);
    - ``prov:wasGeneratedBy``: the run that wrote it, its ``rdfs:label`` the command line that reproduces the
      table, associated with crewparity (``schema:softwareVersion``), having used the store (``dc:identifier``
      its file, ``schema:version`` its schema version);
    - ``tableSchema.columns``: each column's ``name``, ``titles`` and ``datatype``, in the file's order.

    A csv file is a CSVW table: ``url`` is its file name (relative to the metadata file, so the two can move
    together). A json file is not tabular data in CSVW's sense: CSVW's ``url`` names a file a processor parses
    as CSV, and a JSON file parsed as CSV is garbage, so a json export's description has no ``url`` (a CSVW
    processor refuses it rather than misreading the file) and names the file with the JSON-LD ``@id`` instead,
    with ``dc:format`` application/json; its columns are the fields of each record. The json file itself is left
    as it was (a list of records, or distribution's ``{"buckets": [...], "roles": [...]}``, whose parts are
    described as ``tables``, each with ``schema:name`` its key and ``dc:title`` from ``part_titles``), so no reader
    of it breaks."""

    name = Path(path).name
    doc: dict[str, Any] = {"@context": CSVW_CONTEXT}
    if fmt == "csv":
        doc.update({"@type": "Table", "url": name, "dc:format": "text/csv"})
    else:
        doc.update({"@id": name, "dc:format": "application/json"})
    if title:
        doc["dc:title"] = title
    if description:
        doc["dc:description"] = description
    if sources is not None:
        doc["dc:source"] = [{"dc:title": s["source"], **({"dc:identifier": s["location"]} if s.get("location") else {}),
                             **({"dc:date": _utc_value(s["loaded_at"])} if s.get("loaded_at") else {})}
                            for s in sources]
    stamp = created or now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")
    doc["dc:created"] = _utc_value(stamp)
    activity: dict[str, Any] = {
        "@type": "prov:Activity", "rdfs:label": command,
        "prov:wasAssociatedWith": {"@type": "prov:SoftwareAgent", "rdfs:label": "crewparity",
                                   "schema:softwareVersion": version},
    }
    if store is not None:
        activity["prov:used"] = {"@type": "prov:Entity", "rdfs:label": "crewparity store", **store}
    doc["prov:wasGeneratedBy"] = activity
    if isinstance(tables, dict):
        named = part_titles or {}
        doc["tables"] = [{"schema:name": key, **({"dc:title": named[key]} if key in named else {}),
                          "tableSchema": {"columns": csvw_columns(t, fmt)}} for key, t in tables.items()]
    else:
        doc["tableSchema"] = {"columns": csvw_columns(tables, fmt)}
    return doc


def _json_value(v: Any) -> Any:
    """A value as JSON can hold it: NaN and the infinities are not JSON (``json.dumps`` writes bare ``NaN`` and
    ``Infinity``, which strict parsers refuse), so they are null, in a list cell too."""
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    return v


def to_records(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: _json_value(v) for k, v in row.items()} for row in table.to_pylist()]


def to_json(table: pa.Table) -> str:
    """A JSON list of objects with the table's column names (stable field names for programs)."""
    return json.dumps(to_records(table), ensure_ascii=False, indent=2, default=str)


def to_json_tables(tables: dict[str, pa.Table]) -> str:
    """Several tables as one JSON object: each name -> its rows as :func:`to_json` writes them (``distribution
    --format json`` without ``--part``: ``{"buckets": [...], "roles": [...]}``). csv and parquet hold one table."""
    return json.dumps({name: to_records(t) for name, t in tables.items()}, ensure_ascii=False, indent=2, default=str)


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


def command_line(*parts: object) -> str:
    """The CLI line that reproduces a table; options whose value is None or False are left out. Used under
    every CLI table and on the dashboard's pages, so the same question is written the same way everywhere.

    A ``--sample list:FILE`` whose FILE cannot be read again (standard input, a pipe: :func:`list_rerun_note`)
    gets a second line saying so, under the command wherever it is printed or written (a table's caption, an
    export's description or notes)."""
    import shlex

    words = ["crewparity"]
    notes = []
    for part in parts:
        if part is None or part is False:
            continue
        if isinstance(part, tuple):
            flag, value = part
            if value is None or value is False:
                continue
            words.append(flag if value is True else f"{flag} {shlex.quote(str(value))}")
            if flag == "--sample" and (said := list_rerun_note(value)):
                notes.append(said)
        else:
            words.append(shlex.quote(str(part)))
    return "\n".join([" ".join(words), *notes])


#: the names standard input goes by as a ``list:FILE``
STDIN_NAMES = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})


def list_rerun_note(sample: object) -> str | None:
    """For a ``list:FILE`` sample whose FILE is standard input or not a regular file (a pipe, ``list:<(...)``):
    one line saying the printed command cannot be rerun as it stands and what to do; None for any other sample.

    Why: ``... | crewparity share --sample list:/dev/stdin`` printed ``crewparity share --sample list:/dev/stdin``
    as the line that reproduces the table, and a file written with ``-o`` recorded it so: rerun, it waits for
    input or reads an empty pipe, and nothing said the list is gone."""
    if not isinstance(sample, str):
        return None
    form, _, path = sample.strip().partition(":")
    path = path.strip()
    if form.lower() != "list" or not path:
        return None
    if path in STDIN_NAMES:
        return "The list was read from standard input; save it to a file and give --sample list:FILE to rerun this line"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    what = "a pipe" if stat.S_ISFIFO(mode) else "not a regular file"
    return (f"The list was read from {path}, {what}, which cannot be read again; save it to a file and give "
            "--sample list:FILE to rerun this line")


def csv_float(v: float) -> str:
    """A float as csv writes it: every digit (the shortest text that reads back as the same number, as json and
    parquet keep it), so a figure is the same in every format. NaN (a share of nobody) is empty, a missing value
    as a null is (json: null); the infinities are ``INF`` and ``-INF``, the lexical forms of the CSVW ``number``
    datatype (XML Schema's double) the file's description declares: Python's ``inf`` is not one of them, and
    ``float()``, pandas and pyarrow read ``INF`` back as infinity (DuckDB too, the column typed DOUBLE)."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "INF" if v > 0 else "-INF"
    return repr(v)


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
                out.append(csv_float(v))
            elif isinstance(v, list):
                out.append(neutralise_cell(",".join(str(x) for x in v)))
            else:
                out.append(str(v))
        writer.writerow(out)
    return buf.getvalue()


#: the comparison table's figures (every study's metric is a percentage, stored as a fraction): shown as the
#: CLI's compare table shows them, not as bare fractions ("0.17") in the report and the dashboard
PERCENT_COLUMNS = frozenset({"published", "crewparity"})


#: what a table shows for a group column's null: a group, not a missing value (csv, json and parquet keep the
#: null). ``genre``: the titles without a genre (a person counts in it when one of their credits has none);
#: ``year``, ``decade``: the titles without a year (IMDb's \N startYear, a crew list without one); ``season``: a
#: series' episodes without a season number (one row of its season table, never ranked as a season).
NO_SEASON = "(no season)"
NULL_LABELS = {"genre": "(no genre)", "year": "(no year)", "decade": "(no year)", "season": NO_SEASON}


def signed_points(v: float) -> str:
    """A difference of two shares in percentage points with its sign ("+2.5 pts", "-0.6 pts"); one that rounds
    to zero is "0.0 pts", with no sign: "-0.0 pts" (a difference of -0.04 points) read as a real gap."""
    pts = round(v * 100, 1)
    return f"{pts:+.1f} pts" if pts else "0.0 pts"  # -0.0 is false too


#: an infinite value as a table shows it (csv writes ``INF``, json null): Python's ``inf`` (``inf%`` in a share
#: column) read as a glitch, not a figure
INFINITY = "∞"
#: the note under a table that holds one (:func:`with_infinity_note`)
INFINITY_NOTE = f"{INFINITY} (-{INFINITY}): an infinite value, e.g. a ratio over zero (csv writes INF, json null)"


def format_cell(v: Any, column: str = "") -> str:
    """A cell as the table format, the report and the dashboard show it."""
    if v is None:
        return NULL_LABELS.get(column, "")
    if isinstance(v, bool) and column == "small":
        return "small" if v else ""  # as the CLI's table flags it, not True/False
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if math.isinf(v):
            return INFINITY if v > 0 else f"-{INFINITY}"
        if column in PERCENT_COLUMNS:
            return f"{v:.1%}"
        if column == "difference":
            return signed_points(v)
        if column.startswith(("share", "ci_", "p_")) or column in {"share_known", "share_expected"}:
            return f"{v:.1%}" if column.startswith(("share", "ci_")) else f"{v:.2f}"
        return f"{v:.3g}"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def with_infinity_note(table: pa.Table, caption: str | None) -> str | None:
    """``caption`` with :data:`INFINITY_NOTE` as its last line when a float column of ``table`` holds an infinity:
    a table shows it as ``∞``, and its note says what that is and how csv and json write it."""
    import pyarrow.compute as pc

    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_floating(field.type) and column.null_count < len(column) and pc.any(
                pc.is_inf(column)).as_py():
            return f"{caption}\n{INFINITY_NOTE}" if caption else INFINITY_NOTE
    return caption


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

    caption = with_infinity_note(table, caption)
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


#: a cell that is a figure (a count, a percentage, a range of two, "+2.5 pts"): printed whole, never wrapped
_FIGURE = re.compile(r"[-+−]?[\d.,]+%?(?:\s*[-–]\s*[\d.,]+%?)?(?: pts)?")
#: where a text cell may be broken besides its spaces: after a comma, an underscore, a hyphen or a slash
_PIECE = re.compile(r"[^,_/-]*[,_/-]*")
#: a text column (names, titles, role lists) is given at least this many columns when its cells are that long,
#: so a title is not cut into a word a line while a figure beside it has room to spare
_TEXT_WIDTH = 20


def _is_figure(cell: str) -> bool:
    return _FIGURE.fullmatch(cell.strip()) is not None


def _pieces(word: str) -> list[str]:
    """A word cut after each comma, underscore, hyphen or slash ("director,writer" -> "director,", "writer")."""
    return [piece for piece in _PIECE.findall(word) if piece]


def _wrap_text(text: str, width: int) -> str:
    """A text cell as lines of at most ``width`` columns, broken at its spaces or after a comma, underscore,
    hyphen or slash; a piece longer than a line stays whole here (rich folds it)."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for word in text.split():
        for k, piece in enumerate(_pieces(word)):
            glue = " " if k == 0 and line else ""
            if cell_len(line + glue + piece) <= width:
                line += glue + piece
            else:
                if line:
                    lines.append(line)
                line = piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def _rule_width(widths: list[int]) -> int:
    """The width of a box-drawn table whose columns are ``widths`` wide: a space each side of a cell, a rule
    between the cells and one at each end."""
    return sum(widths) + 3 * len(widths) + 1


def _least_widths(headers: list[str], cells: list[list[str]], text: list[bool]) -> tuple[list[int], list[int]]:
    """Per column, the narrowest width that keeps it readable and the width it takes on one line.

    Readable: a figure (a cell of a numeric column, or one such as "12.5%", "0.0%-44.7%", "+2.5 pts") on one
    line; a header broken only at its spaces (its underscores are shown as spaces); a text cell broken at its
    spaces or after a comma, underscore, hyphen or slash (:func:`_wrap_text`), and a text column no narrower than
    :data:`_TEXT_WIDTH` or its longest cell, whichever is less."""
    from rich.cells import cell_len

    least, natural = [], []
    for i, header in enumerate(headers):
        column = [row[i] for row in cells]
        need = max([0, *(cell_len(w) for w in header.split())])
        for c in column:
            if not text[i] or _is_figure(c):
                need = max(need, cell_len(c))
            else:
                need = max([need, *(cell_len(piece) for w in c.split() for piece in _pieces(w))])
        if text[i]:
            need = max(need, min(_TEXT_WIDTH, max([0, *(cell_len(c) for c in column)])))
        least.append(need)
        natural.append(max([need, cell_len(header), *(cell_len(c) for c in column)]))
    return least, natural


def _spread(least: list[int], natural: list[int], room: int) -> list[int]:
    """``least`` widened towards ``natural`` by ``room`` columns in all: the columns that need least first, so
    as many headers and cells as can be are on one line."""
    widths = list(least)
    for i in sorted(range(len(widths)), key=lambda i: natural[i] - least[i]):
        more = min(room, natural[i] - widths[i])
        if more > 0:
            widths[i] += more
            room -= more
    return widths


def _naming_columns(text: list[bool], least: list[int], fit: int) -> int:
    """How many leading columns name a row, to be repeated in each part of a folded table: the first, and the
    text columns right after it (``title_id``, ``title``; ``period``, ``role``), as long as they take at most
    two thirds of ``fit`` and leave a column to fold."""
    keys = 1
    while keys < len(text) - 1 and text[keys]:
        keys += 1
    while keys > 1 and _rule_width(least[:keys]) > fit * 2 // 3:
        keys -= 1
    return keys


def _balanced(widths: list[int], parts: int, base: int) -> list[list[int]]:
    """The indices of ``widths`` cut into ``parts`` runs in order, the widest part (``base`` wide before its own
    columns) as narrow as it can be: two even halves rather than a full part and one of a single column."""
    n = len(widths)
    best: dict[tuple[int, int], tuple[int, list[int]]] = {}

    def cost(lo: int, hi: int) -> int:
        return base + sum(widths[lo:hi]) + 3 * (hi - lo)

    def solve(start: int, left: int) -> tuple[int, list[int]]:
        """The least widest part for the columns from ``start`` in ``left`` parts, and where the parts end."""
        if left == 1:
            return cost(start, n), [n]
        if (start, left) not in best:
            options = []
            for end in range(start + 1, n - left + 2):
                rest, ends = solve(end, left - 1)
                options.append((max(cost(start, end), rest), [end, *ends]))
            best[start, left] = min(options)
        return best[start, left]

    _, ends = solve(0, min(parts, n))
    return [list(range(a, b)) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _fold(key_widths: list[int], least: list[int], fit: int) -> list[list[int]] | None:
    """The other columns (indices into ``least``) in as few runs as fit beside the naming columns, about equally
    wide; None when one of them does not fit beside those alone."""
    base = _rule_width(key_widths)
    count, width = 0, fit + 1
    for w in least:
        if base + w + 3 > fit:
            return None
        if width + w + 3 > fit:
            count, width = count + 1, base
        width += w + 3
    return _balanced(least, count, base) if count else None


def render_table(table: pa.Table, title: str | None = None, caption: str | None = None, *,
                 fit: int | None = None) -> Any:
    """A rich Table for a terminal. Cell text is never interpreted as markup.

    ``fit``: the width of a terminal narrower than the table. Nothing is cut with an ellipsis, and a figure (a
    count, a percentage, an interval) is never split over two lines: the headers wrap at their underscores
    (shown as spaces), text cells at their spaces and punctuation, and each column gets room from the narrowest
    readable layout up (:func:`_least_widths`), without the spaces at the table's outer edges when that is what
    it takes. If even that is wider than ``fit``, the table is folded into parts printed one under the other
    (a rich Group), each repeating the columns that name a row (:func:`_naming_columns`). Only when one column
    does not fit beside those do cells wrap anywhere (fold).
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    caption = with_infinity_note(table, caption)
    cells, right = _cells(table)
    names = list(table.column_names)
    every = list(range(len(names)))
    text = [not numeric and not all(_is_figure(row[i]) or not row[i].strip() for row in cells)
            for i, numeric in enumerate(right)]

    def part(columns: list[int], widths: list[int] | None, title: str | None, caption: str | None,
             pad_edge: bool = True) -> Table:
        t = Table(title=title, caption=caption, caption_justify="left", pad_edge=pad_edge)
        for k, i in enumerate(columns):
            t.add_column(names[i] if fit is None else names[i].replace("_", " "),
                         justify="right" if right[i] else "left", width=None if widths is None else widths[k],
                         overflow="ellipsis" if fit is None else "fold")
        for row in cells:
            t.add_row(*[Text(_wrap_text(row[i], widths[k]) if widths is not None and text[i] else row[i])
                        for k, i in enumerate(columns)])
        return t

    if fit is None:
        return part(every, None, title, caption)
    least, natural = _least_widths([name.replace("_", " ") for name in names], cells, text)
    if _rule_width(least) <= fit:
        return part(every, _spread(least, natural, fit - _rule_width(least)), title, caption)
    if _rule_width(least) - 2 <= fit:  # without the spaces at the two outer edges, it fits: one table still
        return part(every, _spread(least, natural, fit + 2 - _rule_width(least)), title, caption, pad_edge=False)
    keys = _naming_columns(text, least, fit)
    key_widths = _spread(least[:keys], natural[:keys], max(0, fit // 2 - _rule_width(least[:keys])))
    runs = _fold(key_widths, least[keys:], fit)
    if runs is None:  # too narrow even for one column beside the names: cells fold rather than being cut
        return part(every, None, title, caption)
    tables = []
    for n, run in enumerate(runs):
        columns = [keys + i for i in run]
        rest = [least[i] for i in columns]
        widths = key_widths + _spread(rest, [natural[i] for i in columns], fit - _rule_width(key_widths + rest))
        heading = title if n == 0 else f"{title or 'table'} (continued, part {n + 1} of {len(runs)})"
        tables.append(part([*range(keys), *columns], widths, heading, caption if n == len(runs) - 1 else None))
    return Group(*tables)
