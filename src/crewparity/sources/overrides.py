"""Overrides CSV (``person_id,gender,note``) -> gender evidence that always wins.

An override is a person's own statement or a curated correction, so it is ranked first by
:mod:`crewparity.gender.resolve` and carries confidence 1.0. Re-ingesting replaces every earlier override:
the file is the whole list, kept under version control by whoever curates it.

Gender values: the one list of :mod:`crewparity.gender.spelling` (``woman``, ``man``, ``nonbinary`` and their
synonyms, any case); a blank or anything else is an error naming the line.
A person listed twice with different genders is an error too: a correction file must not contradict itself.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from crewparity.errors import InputError, header_cells, not_utf8
from crewparity.gender.spelling import parse_gender
from crewparity.store import Store

SOURCE = "overrides"
CONFIDENCE = 1.0


EVIDENCE_SCHEMA = pa.schema([("person_id", pa.string()), ("gender", pa.string()), ("source", pa.string()),
                             ("confidence", pa.float64()), ("detail", pa.string())])


@dataclass
class EvidenceSummary:
    """What an evidence ingest read and stored.

    ``rows_read``: the records of the file read (:attr:`read_unit` says which: the lines of a CSV list, the
    answers of a SPARQL result), each stored or counted in ``skipped`` under its reason; ``read``: per table, the
    rows the file gives (a person listed on two lines is one evidence row); ``rows``: per table, the rows this load
    added (the API adds ``resolved_gender``: the people resolved, in the whole store); ``in_store``: per table,
    every source's rows after the load. Why apart: one column of "rows" held file lines, people and credits side by
    side (titles 1, resolved_gender 141), as ``ingest tmdb``'s did before its columns were split.
    """

    source: str
    location: str
    rows_read: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    #: things the user should know about what was stored (one line each; the CLI prints them on stderr)
    warnings: list[str] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    in_store: dict[str, int] = field(default_factory=dict)
    #: what ``rows_read`` and ``skipped`` count, in words ("lines", "answers"); empty: files (``ingest tmdb``)
    read_unit: str = ""


def table_counts(store: Store, tables: Sequence[str]) -> dict[str, int]:
    """Every source's rows of each of ``tables`` (canonical table names, never user text), in one query."""
    totals = store.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables))[0]
    return dict(zip(tables, map(int, totals), strict=True))


#: the separators a spreadsheet may write instead of a comma, by their name in messages: Excel's "CSV" is
#: semicolon-separated where the decimal mark is a comma (much of Europe), and a copy of cells is tab-separated
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab"}


def columns_text(required: Sequence[str], optional: Sequence[str] = ()) -> str:
    """The columns a file takes, for a message: "required: person_id, gender; optional: note"."""
    return f"required: {', '.join(required)}" + (f"; optional: {', '.join(optional)}" if optional else "")


def other_delimiter(header: Sequence[str]) -> str | None:
    """The separator of a file whose header, read as comma-separated, is one cell holding ``;`` or a tab (the one
    it holds more of); None for any other header."""
    if len(header) != 1:
        return None
    counts = {d: header[0].count(d) for d in OTHER_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def read_csv_rows(path: str | os.PathLike[str], required: tuple[str, ...],
                  optional: tuple[str, ...] = (), *, columns: str | None = None,
                  instead: Mapping[str, str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` from a UTF-8 CSV after checking its header.

    Python's csv module keeps every value as text, so names like "NA" or "Nan" are never turned into nulls. It
    reads strictly: a quoted field left open (``nm1,woman,"unterminated``) was read on to the end of the file, the
    lines after it swallowed into one note, and text after a closing quote (``"a"b``) was silently joined; both
    are an error naming the line where the record starts (:func:`csv_error_message`).

    The file is comma-separated; one that is semicolon- or tab-separated is read as such when its header says so:
    read with commas, the header is one cell that holds ``;`` (or a tab) and lacks a required column
    (:func:`other_delimiter`). A comma-separated file is never read another way, so no file that was read before
    is read differently now.

    A missing column is one line naming the columns missing, then ``instead[column]`` for those that have another
    way to be given (crewlist's ``--title``), the header as read (with the separator, when not a comma) and the
    columns the file takes: ``columns`` when given (a fixed text that does not depend on the options), else
    :func:`columns_text` of ``required`` and ``optional``.
    """
    p = Path(path)
    expected = columns if columns is not None else columns_text(required, optional)
    if not p.is_file():
        raise InputError("no such file" if not p.exists() else "not a file", path=p)
    try:
        fh = open(p, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=p) from None
    with fh:
        reader = csv.reader(fh, strict=True)
        done = 0  # the last line of the last record read: a record that fails starts on the next
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"empty file; expected a CSV header line ({expected})", path=p, line=1)
            names = [h.strip().lower() for h in header]
            delimiter = other_delimiter(header) if any(c not in names for c in required) else None
            if delimiter is not None:
                fh.seek(0)
                reader = csv.reader(fh, delimiter=delimiter, strict=True)
                header = next(reader)
                names = [h.strip().lower() for h in header]
            missing = [c for c in required if c not in names]
            if missing:
                hints = "".join(f"; {instead[c]}" for c in missing if instead and c in instead)
                read_as = f", read as {OTHER_DELIMITERS[delimiter]}-separated," if delimiter is not None else ""
                raise InputError(f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)}{hints}; "
                                 f"the header{read_as} has: {header_cells(header)}; {expected}", path=p, line=1)
            idx = {c: names.index(c) for c in required + optional if c in names}
            done = reader.line_num
            for raw in reader:
                line = reader.line_num
                if not raw or all(not v.strip() for v in raw):
                    continue
                if len(raw) != len(names):
                    raise InputError(f"expected {len(names)} fields, found {len(raw)}", path=p, line=line)
                yield line, {c: raw[i] for c, i in idx.items()}
                done = line
        except UnicodeDecodeError:
            # the decoder fails on a whole buffer (8 KiB), ahead of the record the reader is on: find the line
            raise not_utf8(p, "expected a CSV file saved as UTF-8") from None
        except csv.Error as exc:
            raise InputError(csv_error_message(exc, reader.line_num), path=p, line=done + 1) from None


def csv_error_message(exc: csv.Error, last_line: int) -> str:
    """A strict csv reader's error, said for a person: the record it names starts on the line the message gives,
    ``last_line`` is where the reader stopped."""
    text = str(exc)
    if "unexpected end of data" in text:
        return (f"a quoted field opened here is never closed (read on to line {last_line}, the end of the file); "
                'expected a closing " (a quote inside a quoted field is written twice: "")')
    if "expected after" in text:
        return (f"text after a closing quote ({text}); expected the quoted field to end at its closing \" "
                '(a quote inside a quoted field is written twice: "")')
    return f"not a readable CSV line ({text})"


def insert_arrow(store: Store, table: str, data: pa.Table) -> int:
    """Insert an Arrow table into a canonical table by column name (one statement, no per-row Python)."""
    if data.num_rows == 0:
        return 0
    name = f"_in_{table}"
    store.con.register(name, data)
    try:
        cols = ", ".join(data.column_names)
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        store.con.unregister(name)
    return data.num_rows


def insert_missing(store: Store, table: str, data: pa.Table, key: tuple[str, ...]) -> int:
    """Insert the rows of ``data`` whose ``key`` columns the canonical ``table`` does not hold yet (an anti-join:
    what the store already has, e.g. an IMDb credit for the same title, person and role, wins); the rows added."""
    name = f"_new_{table}"
    store.con.register(name, data)
    try:
        cols = ", ".join(data.column_names)
        before = store.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        match = " AND ".join(f"o.{k} = n.{k}" for k in key)
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name} n "
                          f"WHERE NOT EXISTS (SELECT 1 FROM {table} o WHERE {match})")
        return int(store.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - before)
    finally:
        store.con.unregister(name)


def insert_evidence(store: Store, evidence: dict[tuple[str, str], str], source: str, confidence: float) -> int:
    """Write ``{(person_id, gender): detail}`` as ``gender_evidence`` rows of ``source``, in sorted order; the
    rows written."""
    ev = sorted(evidence.items())
    return insert_arrow(store, "gender_evidence", pa.table(
        {"person_id": [k[0] for k, _ in ev], "gender": [k[1] for k, _ in ev], "source": [source] * len(ev),
         "confidence": [confidence] * len(ev), "detail": [d for _, d in ev]}, schema=EVIDENCE_SCHEMA))


def replacement_warnings(store: Store, source: str, label: str, data: pa.Table) -> list[str]:
    """What a replacing evidence load should tell its user, worked out before the old rows are deleted: the
    people who had evidence of ``source`` and have none in the new rows (a short file replaces the whole set),
    and the new rows' people the store knows nowhere (in neither people nor credits: a typo, or people not
    loaded yet). One line each, with a few ids; none when there is nothing to say."""
    name = "_replacing_evidence"
    store.con.register(name, data.select(["person_id"]))
    try:
        lost = store.con.execute(
            f"""SELECT count(DISTINCT person_id), list(DISTINCT person_id ORDER BY person_id)[:3]
                FROM gender_evidence WHERE source = ? AND person_id NOT IN (SELECT person_id FROM {name})""",
            [source]).fetchall()[0]
        # people first: credits (98M rows at full scale) is read only for ids that people does not hold
        not_people = store.con.execute(
            f"""SELECT DISTINCT person_id FROM {name} n
                WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.person_id = n.person_id)""").fetchall()
        unknown: tuple[int, list[str]] = (0, [])
        if not_people:
            store.con.register("_not_in_people", pa.table({"person_id": [r[0] for r in not_people]}))
            try:
                unknown = store.con.execute(
                    """SELECT count(*), list(person_id ORDER BY person_id)[:3] FROM _not_in_people n
                       WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.person_id = n.person_id)""").fetchall()[0]
            finally:
                store.con.unregister("_not_in_people")
    finally:
        store.con.unregister(name)
    out = []
    if lost[0]:
        one = lost[0] == 1   # (a count of one in the singular: "1 people had" read as a slip)
        out.append(f"{lost[0]:,} {'person' if one else 'people'} had {label} evidence that this file does not repeat, "
                   f"and {'loses' if one else 'lose'} it (loading {label} replaces the earlier {label} evidence whole; "
                   f"e.g. {', '.join(lost[1])})")
    if unknown[0]:
        one = unknown[0] == 1
        out.append(f"{unknown[0]:,} of the file's person ids {'is' if one else 'are'} in neither the people nor the "
                   f"credits of this store (e.g. {', '.join(unknown[1])}); {'its' if one else 'their'} evidence is "
                   f"kept, and counts once {'it is' if one else 'they are'} loaded")
    return out


#: the reason a line that repeats an earlier line's person and gender is skipped
REPEATED = "repeats an earlier line's person and gender"


def read(path: str | os.PathLike[str]) -> pa.Table:
    """Parse an overrides file into evidence rows; every problem names the file and line."""
    return read_counted(path)[0]


def read_counted(path: str | os.PathLike[str]) -> tuple[pa.Table, int, dict[str, int]]:
    """:func:`read`, with the lines read and the lines skipped by reason (a repeat of an earlier line)."""
    p = Path(path)
    seen: dict[str, tuple[str, int]] = {}
    rows: dict[str, list[object]] = {c: [] for c in EVIDENCE_SCHEMA.names}
    lines = 0
    skipped: dict[str, int] = {}
    for line, row in read_csv_rows(p, ("person_id", "gender"), ("note",)):
        lines += 1
        pid = row["person_id"].strip()
        if not pid:
            raise InputError("column person_id is empty; expected a person id such as nm0000001", path=p, line=line)
        gender = parse_gender(row["gender"], p, line)
        if pid in seen:
            if seen[pid][0] != gender:
                raise InputError(f"{pid} is {seen[pid][0]} on line {seen[pid][1]} and {gender} here; "
                                 "expected one gender per person", path=p, line=line)
            skipped[REPEATED] = skipped.get(REPEATED, 0) + 1
            continue
        seen[pid] = (gender, line)
        note = (row.get("note") or "").strip()
        rows["person_id"].append(pid)
        rows["gender"].append(gender)
        rows["source"].append(SOURCE)
        rows["confidence"].append(CONFIDENCE)
        rows["detail"].append(f"{p.name}:{line}" + (f" {note}" if note else ""))
    return pa.table(rows, schema=EVIDENCE_SCHEMA), lines, skipped


def ingest(store: Store, path: str | os.PathLike[str]) -> EvidenceSummary:
    """Replace the overrides in a store opened with ``writing()`` by those in ``path``."""
    from crewparity.store import delete_source, record_source

    data, lines, skipped = read_counted(path)
    warnings = replacement_warnings(store, SOURCE, "overrides", data)
    delete_source(store, SOURCE)
    n = insert_arrow(store, "gender_evidence", data)
    # rows_read: the file's lines (it was the evidence rows, as in its other column)
    summary = EvidenceSummary(SOURCE, str(Path(path).resolve()), rows_read=lines, rows={"gender_evidence": n},
                              skipped=skipped, warnings=warnings, read={"gender_evidence": data.num_rows},
                              in_store=table_counts(store, ["gender_evidence"]), read_unit="lines")
    record_source(store, SOURCE, summary.location, lines, detail=f"gender_evidence={n}")
    return summary
