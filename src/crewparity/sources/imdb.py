"""IMDb non-commercial dumps (``*.tsv.gz`` or ``*.tsv``) -> canonical rows, all in DuckDB SQL.

The files are tab-separated, never quoted (a title may hold a bare ``"``), ``\\N`` is null and lists are
comma-separated. DuckDB reads them with quoting off, every column typed explicitly (no sniffing) and
``\\N`` as the only null, so names like "NA" or "Null" survive. Each file is read once; ``title.akas`` is not read
(alternative titles are not stored).

Mapping (DESIGN.md): directors and writers come from ``title.crew`` (episodes included); producers,
editors, cinematographers, composers, production designers and casting directors from
``title.principals``; a producer whose job mentions "executive producer" is an ``executive_producer``; a
writer whose job says "created by" is also a ``creator``. Cast (``actor``/``actress``) is kept as
``actor`` credits with the category in ``job``, and both the category and a person's
``primaryProfession`` are recorded as gender evidence with source ``imdb``.
"""

from __future__ import annotations

import gzip
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from crewparity.errors import InputError
from crewparity.sources import rejects as rejects_mod
from crewparity.store import Store

SOURCE = "imdb"


@dataclass(frozen=True)
class DumpFile:
    name: str
    columns: dict[str, str]
    required: bool = True
    #: False: recognised in a dump folder but not read (nothing in the store comes from it)
    read: bool = True
    #: the columns no ingest statement reads: only these need :func:`checked_sql`'s guard (every other column
    #: is read, cast and checked by the statement that uses it); tests/test_ingest_columns_checked.py fails if
    #: a column missing here goes unchecked
    unread: tuple[str, ...] = ()


FILES: tuple[DumpFile, ...] = (
    DumpFile(
        "title.basics",
        {
            "tconst": "VARCHAR",
            "titleType": "VARCHAR",
            "primaryTitle": "VARCHAR",
            "originalTitle": "VARCHAR",
            "isAdult": "INTEGER",
            "startYear": "INTEGER",
            "endYear": "INTEGER",
            "runtimeMinutes": "INTEGER",
            "genres": "VARCHAR",
        },
    ),
    DumpFile(
        "title.episode",
        {"tconst": "VARCHAR", "parentTconst": "VARCHAR", "seasonNumber": "INTEGER", "episodeNumber": "INTEGER"},
    ),
    DumpFile("title.crew", {"tconst": "VARCHAR", "directors": "VARCHAR", "writers": "VARCHAR"}),
    DumpFile(
        "title.principals",
        {
            "tconst": "VARCHAR",
            "ordering": "INTEGER",
            "nconst": "VARCHAR",
            "category": "VARCHAR",
            "job": "VARCHAR",
            "characters": "VARCHAR",
        },
        unread=("ordering", "characters"),
    ),
    DumpFile(
        "name.basics",
        {
            "nconst": "VARCHAR",
            "primaryName": "VARCHAR",
            "birthYear": "INTEGER",
            "deathYear": "INTEGER",
            "primaryProfession": "VARCHAR",
            "knownForTitles": "VARCHAR",
        },
        unread=("knownForTitles",),
    ),
    DumpFile("title.ratings", {"tconst": "VARCHAR", "averageRating": "DOUBLE", "numVotes": "INTEGER"}),
    DumpFile(
        "title.akas",
        {
            "titleId": "VARCHAR",
            "ordering": "INTEGER",
            "title": "VARCHAR",
            "region": "VARCHAR",
            "language": "VARCHAR",
            "types": "VARCHAR",
            "attributes": "VARCHAR",
            "isOriginalTitle": "INTEGER",
        },
        required=False,
        # Alternative titles are not part of the canonical schema. Reading the file only to check it cost about
        # a tenth of the ingest's CPU (5 of 52 CPU s at synth 0.1) and could fail an ingest over lines that
        # nothing uses.
        read=False,
    ),
)

#: principals categories kept as credits, and the canonical role of each.
PRINCIPAL_ROLES = {
    "producer": "producer",
    "editor": "editor",
    "cinematographer": "cinematographer",
    "composer": "composer",
    "production_designer": "production_designer",
    "casting_director": "casting_director",
    "actor": "actor",
    "actress": "actor",
}

#: IMDb's titleType values; each becomes ``kind`` in snake case (tvMiniSeries -> tv_mini_series).
TITLE_TYPES: tuple[str, ...] = (
    "movie", "short", "tvSeries", "tvEpisode", "tvMovie", "tvMiniSeries", "tvSpecial", "tvShort", "video",
    "videoGame", "tvPilot",
)
_CAMEL = re.compile(r"([a-z])([A-Z])")


def snake_kind(title_type: str) -> str:
    """``kind`` for one titleType: the same rule as the SQL fallback in :func:`kind_sql`."""
    return _CAMEL.sub(r"\1_\2", title_type).lower()


def kind_sql(column: str) -> str:
    """SQL for ``kind``: a CASE over the known titleTypes (a regexp per line cost ~0.2 s per million titles),
    the regexp only for a value IMDb may add later, so every value maps as before."""
    whens = " ".join(f"WHEN '{t}' THEN '{snake_kind(t)}'" for t in TITLE_TYPES)
    return (f"CASE {column} {whens} "
            f"ELSE lower(regexp_replace({column}, '([a-z])([A-Z])', '\\1_\\2', 'g')) END")


Progress = Callable[[str], None]
#: what an ingest step runs: one SQL statement, or a check in Python that raises :class:`InputError`
Statement = str | Callable[[], None]
#: an ingest step: (order in the sequential ingest, label on the screen ("": none), statement, file blamed for a
#: DuckDB error ("": none, the error is raised as it is))
Job = tuple[int, str, Statement, str]


@dataclass
class IngestSummary:
    """What an ingest read and stored: rows per table and the wall time (:func:`ingest` times its reading; the
    API's ``ingest_imdb`` sets the time of the whole ingest, resolving and the swap included)."""

    source: str
    location: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    #: the wall time of reading the files alone (:func:`ingest`), kept when the API sets ``seconds`` to the whole
    load_seconds: float = 0.0
    #: with ``skip_bad``: the rejected lines and, per file, lines read / stored / rejected.
    rejects: rejects_mod.RejectLog | None = None
    #: where the rejected lines were written (set by the API after the store is swapped in).
    rejects_path: str | None = None
    #: what the user should know about the store as loaded (TMDB rows beside these, counted twice), one line each
    warnings: list[str] = field(default_factory=list)
    #: every source's rows of each table after the load (``rows``: the IMDb rows; ``rows["resolved_gender"]``, set by
    #: the API, is every person of the store)
    in_store: dict[str, int] = field(default_factory=dict)
    #: rows of other sources (TMDB, crew lists) carried over from the old store and dropped because the IMDb rows have
    #: the same key (:func:`drop_rows_imdb_has`), per table; empty when none were
    merged: dict[str, int] = field(default_factory=dict)
    #: the day of the dump files as the server dated them when ``fetch imdb`` downloaded them (``2026-12-02``, or a
    #: span ``2026-12-01..2026-12-02``), recorded in the load's ``sources`` row; None when nothing dates them
    #: (:mod:`crewparity.sources.dump_dates`)
    dumps_dated: str | None = None


def find_files(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """The dump files present in ``folder``, by name; a required one missing is an error."""
    d = Path(folder)
    if not d.exists():
        raise InputError("no such folder; expected a folder of IMDb dump files (title.basics.tsv.gz, ...)", path=d)
    if not d.is_dir():
        raise InputError("not a folder; expected a folder of IMDb dump files (title.basics.tsv.gz, ...)", path=d)
    if not os.access(d, os.R_OK | os.X_OK):
        raise InputError("folder is not readable (permission denied)", path=d)
    if not any(d.iterdir()):
        raise InputError(
            "empty folder; expected the IMDb dump files "
            + ", ".join(f"{s.name}.tsv.gz" for s in FILES if s.required),
            path=d,
        )
    found: dict[str, Path] = {}
    missing: list[str] = []
    for spec in FILES:
        for suffix in (".tsv.gz", ".tsv"):
            candidate = d / f"{spec.name}{suffix}"
            if candidate.is_file():
                found[spec.name] = candidate
                break
        else:
            if spec.required:
                missing.append(f"{spec.name}.tsv.gz")
    if missing:
        raise InputError(
            f"missing {', '.join(missing)} (or .tsv); an IMDb dump folder holds "
            + ", ".join(f"{s.name}.tsv.gz" for s in FILES if s.required),
            path=d,
        )
    return found


def _open_binary(path: Path):  # type: ignore[no-untyped-def]
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def check_header(path: Path, spec: DumpFile) -> None:
    """The first line must name the file's columns exactly, in order."""
    expected = list(spec.columns)
    try:
        # Bytes, and only the first line: a text reader would decode a whole buffer and blame line 1 for a
        # bad byte further down (which DuckDB then reports with its real line, or --skip-bad skips).
        with _open_binary(path) as fh:
            first = fh.readline(1 << 16).decode("utf-8")
    except PermissionError:
        raise InputError("cannot read the file (permission denied)", path=path) from None
    except (gzip.BadGzipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(f"not a readable gzip file ({exc}); expected gzipped TSV", path=path) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; expected an IMDb TSV file", path=path, line=1) from None
    if first == "":
        raise InputError(f"empty file; expected a header line: {' '.join(expected)}", path=path, line=1)
    got = first.rstrip("\r\n").lstrip("\ufeff").split("\t")
    if got != expected:
        raise InputError(
            f"wrong header {'/'.join(got)[:120]!s}; expected the {spec.name} columns {'/'.join(expected)}",
            path=path,
            line=1,
        )


def checked_sql(path: Path, spec: DumpFile, columns: Iterable[str] | None = None) -> str:
    """``read_sql`` wrapped so that every column is read and cast, even one the ingest never uses.

    DuckDB prunes unused columns from a CSV scan and then never casts them: ``ordering = 'abc'`` in
    title.principals or invalid UTF-8 in ``characters`` would pass unnoticed. Mentioning each column in a
    filter that is always true keeps them in the scan, so every line is checked whole. ``columns`` limits the
    filter to those columns (the ingest passes the ones it never reads, :attr:`DumpFile.unread`): the filter
    costs CPU per value, and a column a statement uses is read and checked anyway (title.principals at synth
    0.1: 0.6-1.4 of 4.3-4.9 CPU s of reading saved). None: every column (what the benchmark's floor parses).
    """
    guarded = list(spec.columns if columns is None else columns)
    if not guarded:
        return read_sql(path, spec)
    guard = " AND ".join(f'("{c}" IS NULL OR "{c}" IS NOT NULL)' for c in guarded)
    return f"(SELECT * FROM {read_sql(path, spec)} WHERE {guard})"


def read_sql(path: Path, spec: DumpFile) -> str:
    """A ``read_csv`` call for one dump file with the settings those files need."""
    cols = ", ".join(f"'{c}': '{t}'" for c, t in spec.columns.items())
    p = str(path).replace("'", "''")
    return (
        f"read_csv('{p}', delim='\t', quote='', escape='', header=true, nullstr='\\N', "
        f"columns={{{cols}}}, auto_detect=false, strict_mode=true, parallel=true)"
    )


_LINE_RE = re.compile(r"on Line: (\d+)")
_FILE_RE = re.compile(r"^\s*file = (.+?)\s*$", re.MULTILINE)


def locate_bad_line(path: Path, n_fields: int, limit: int = 50_000_000) -> tuple[int, str] | None:
    """Find the first line DuckDB could not parse when its error names no line (error path only).

    DuckDB reports a stray carriage return (a file that mixes ``\\r\\n`` and ``\\n``) only as "invalid state",
    without a line number; this scan finds the line so that the user is told where to look.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:  # type: ignore[operator]
            crlf: bool | None = None
            for number, raw in enumerate(fh, start=1):
                if number > limit:
                    return None
                body = raw[:-1] if raw.endswith(b"\n") else raw
                if crlf is None:
                    crlf = body.endswith(b"\r")
                if crlf and body.endswith(b"\r"):
                    body = body[:-1]
                elif crlf and raw.endswith(b"\n"):
                    return number, "line ends in \\n but the file's lines end in \\r\\n; expected one kind of line end"
                if b"\r" in body:
                    ending = "\\r\\n" if crlf else "\\n"
                    return number, f"stray carriage return (\\r) in the line; expected every line to end in {ending}"
                try:
                    body.decode("utf-8")
                except UnicodeDecodeError:
                    return number, "is not valid UTF-8; expected an IMDb TSV file"
                found = body.count(b"\t") + 1
                if body and found != n_fields:
                    return number, f"expected {n_fields} tab-separated fields, found {found}"
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _without_paths(text: str, *paths: str | Path | None) -> str:
    text = _FILE_RE.sub("", text)
    for p in paths:
        if p is not None:
            text = text.replace(str(p), "")
    return text


def translate_error(exc: duckdb.Error, default_path: Path | None = None,
                    n_fields: dict[str, int] | None = None) -> InputError:
    """Turn a DuckDB reader error into one line naming the file, the line and what was expected.

    ``n_fields`` maps file paths to their column count, to locate a line DuckDB does not number.
    """
    text = str(exc)
    line_m = _LINE_RE.search(text)
    file_m = _FILE_RE.search(text)
    path = file_m.group(1) if file_m else (str(default_path) if default_path else None)
    if file_m is None and n_fields:
        # An IO error names the file only in its text ("Unexpected end of GZIP stream: PATH"); one statement
        # may read several files, so prefer the one named over the statement's main file.
        named = [k for k in n_fields if k in text]
        if named:
            path = max(named, key=len)
    line = int(line_m.group(1)) if line_m else None
    if line is None and path is not None and n_fields and path in n_fields and "invalid state" in text:
        found = locate_bad_line(Path(path), n_fields[path])
        if found is not None:
            return InputError(found[1], path=path, line=found[0])
    if "Expected Number of Columns" in text:
        m = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        what = f"expected {m.group(1)} tab-separated fields, found {m.group(2)}" if m else "wrong number of fields"
    elif "Could not convert" in text or "Error when converting" in text:
        col = re.search(r'converting column "([^"]+)"', text)
        val = re.search(r'Could not convert string "(.*)" to \'(\w+)\'', text)
        what = f"column {col.group(1) if col else '?'}: "
        what += (f'Could not convert string "{val.group(1)[:60]}" to \'{val.group(2)}\'' if val
                 else "a value has the wrong type")
    elif "Invalid unicode" in text or "utf-8 encoded" in text:
        what = "is not valid UTF-8; expected an IMDb TSV file"
    elif re.search(r"gzip|zlib", _without_paths(text, path, default_path), re.IGNORECASE):
        # Match the message, not the file names in it: a folder may well be called "gzipped".
        what = "truncated or corrupt gzip stream; expected a complete .tsv.gz file (download it again)"
        if path is None and default_path is not None:
            path = str(default_path)
    else:
        what = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return InputError(what, path=path, line=line)


#: the ids that name one row of the store, and the files whose lines each give one row: (table, its id column,
#: the files' id column, the files in the order they are searched for a repeat, what one row is). title.episode
#: and title.ratings are joined to title.basics by tconst, so a tconst twice in either doubles the title too.
UNIQUE_IDS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("titles", "title_id", "tconst", ("title.basics", "title.episode", "title.ratings"), "title"),
    ("people", "person_id", "nconst", ("name.basics",), "person"),
)


#: the text of the error() the title.crew statement raises when its screen finds a tconst it cannot clear
CREW_SCREEN = "crewparity: title.crew tconst screen"

#: ids up to this number (the digits after "tt"/"nm"; IMDb's reach about 4 * 10^7) are screened with a bitmap
SCREEN_RANGE = 100_000_000


def _screen_sql(table: str, column: str) -> str:
    """SQL: how many of ``table``'s IMDb rows do not have an id-number of their own: 0 proves the ids distinct.

    Each id's digits as a number set one bit of a bitmap of :data:`SCREEN_RANGE` bits (12.5 MB); the rows minus
    the bits set is 0 only when every id is of IMDb's shape and no two share a number, so no two are equal. Ids of
    another shape, beyond the range, or alike as numbers (tt01, tt1) leave it above 0, and the exact count decides.
    Why: at synth 0.1 the bitmap took 0.14-0.15 CPU s for titles and people together where count(DISTINCT id)
    took 0.20-0.33.
    """
    return screen_sql(f"(SELECT {column} FROM {table} WHERE source = '{SOURCE}')", column)


def screen_sql(relation: str, column: str) -> str:
    """SQL: the rows of ``relation`` minus the distinct id-numbers of their ``column`` (see :func:`_screen_sql`): 0
    proves the ids distinct; above 0, some are repeated or not of IMDb's shape, and an exact count decides."""
    bits = f"bitstring_agg(k, 0, {SCREEN_RANGE}) FILTER (WHERE k < {SCREEN_RANGE})"
    return f"""(SELECT count(*) - coalesce(bit_count({bits}), 0)
                FROM (SELECT try_cast(substr({column}, 3) AS UINTEGER) AS k FROM {relation}))"""


def check_repeated_ids(con: duckdb.DuckDBPyConnection, files: dict[str, Path],
                       rejects: rejects_mod.RejectLog | None = None) -> None:
    """Fail when an IMDb id is on two lines: a title or a person stored twice is counted twice.

    Why: a tconst repeated in title.basics (a line appended twice) was loaded as two titles; ``share --by
    title`` listed the title twice and counted its credits twice, and the ingest said nothing. One statement
    screens both tables (:func:`_screen_sql`; run while the other connection still reads title.principals); only a
    table it cannot clear has its ids grouped to find the repeated ones, and only when there are some are the files
    read again, in Python, to find the line (:func:`find_repeat`). ``rejects``: the lines ``--skip-bad`` left out,
    which are not in the store and so neither repeat an id nor are repeated.
    """
    screened = con.execute("SELECT " + ", ".join(_screen_sql(table, column)
                                                 for table, column, *_ in UNIQUE_IDS)).fetchall()[0]
    for (table, column, file_column, names, what), unclear in zip(UNIQUE_IDS, screened, strict=True):
        if not unclear:
            continue
        repeated = {r[0] for r in con.execute(
            f"SELECT {column} FROM {table} WHERE source = ? AND {column} IS NOT NULL GROUP BY {column} "
            "HAVING count(*) > 1", [SOURCE]).fetchall()}
        if not repeated:
            continue
        raise repeat_error(files, names, repeated, file_column, f"each {what} once",
                           f"a second line for it would count the {what} twice", rejects)


def repeat_error(files: dict[str, Path], names: Iterable[str], repeated: Collection[str], file_column: str,
                 expected: str, why: str, rejects: rejects_mod.RejectLog | None = None) -> InputError:
    """The error for ids on more than one line: the first file of ``names`` with a repeat, its line and the earlier
    line (:func:`find_repeat`; lines ``--skip-bad`` rejected are passed over). Error path only."""
    names = [n for n in names if n in files]
    for name in names:
        path = files[name]
        skipped = {r.line for r in rejects.rejects if r.file == str(path) and r.line is not None} if rejects else set()
        found = find_repeat(path, repeated, skipped)
        if found is not None:
            line, key, first = found
            return InputError(f"{file_column} {key} is already on line {first}; expected {expected} ({why})",
                              path=path, line=line)
    return InputError(f"{len(repeated):,} {file_column} values are on more than one line (e.g. {min(repeated)}); "
                      f"expected {expected}", path=files[names[0]] if names else None)


#: the canonical rows another source may also hold under an IMDb id, and the key that names one row; the other
#: sources write theirs with :func:`crewparity.sources.overrides.insert_missing` on the same keys
SHARED_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("titles", ("title_id",)),
    ("people", ("person_id",)),
    ("credits", ("title_id", "person_id", "role")),
)


def other_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of other sources in each table of :data:`SHARED_KEYS`; run before the IMDb rows are written (the tables
    then hold only the rows carried over from the old store, so this costs nothing)."""
    counts = con.execute("SELECT " + ", ".join(
        f"(SELECT count(*) FROM {table} WHERE source <> '{SOURCE}')" for table, _ in SHARED_KEYS)).fetchall()[0]
    return {table: int(n) for (table, _), n in zip(SHARED_KEYS, counts, strict=True)}


def drop_rows_imdb_has(con: duckdb.DuckDBPyConnection, tables: Collection[str]) -> dict[str, int]:
    """Drop the rows of other sources whose key the new IMDb rows have (IMDb's row is kept); the rows dropped per table.

    Why: ``ingest tmdb`` (and ``ingest crewlist``) add only the rows the store does not hold yet, so after an IMDb
    load a TMDB movie or person with an IMDb id, or a credit of the same title, person and role, is not added again.
    The other way round, the IMDb load carried those TMDB rows over and then added its own: Parasite and Pulp Fiction
    were two titles each and Tarantino's Pulp Fiction credits counted twice (share by credits 309 -> 329 on the
    sample). Dropping them here gives the same store whichever source came first. ``tables``: those holding rows of
    other sources (:func:`other_rows`); each statement reads only the IMDb rows whose first key column is among the
    other rows' (a semi-join against the few of them), and none runs when there are none.
    """
    dropped: dict[str, int] = {}
    for table, key in SHARED_KEYS:
        if table not in tables:
            continue
        cols = ", ".join(key)
        match = " AND ".join(f"o.{k} = d.{k}" for k in key)
        (n,), = con.execute(
            f"""DELETE FROM {table} AS o USING (
                    SELECT DISTINCT {cols} FROM {table}
                    WHERE source = '{SOURCE}' AND {key[0]} IN (SELECT {key[0]} FROM {table} WHERE source <> '{SOURCE}')
                ) AS d
                WHERE o.source <> '{SOURCE}' AND {match}""").fetchall()
        if n:
            dropped[table] = int(n)
    return dropped


def find_repeat(path: Path, keys: Collection[str], skip: Collection[int] = ()) -> tuple[int, str, int] | None:
    """The first line whose id (the first field) is one of ``keys`` and was on an earlier line: (line, id, the
    earlier line), or None. Lines in ``skip`` are passed over. Error path only: a Python loop over the file."""
    wanted = {k.encode("utf-8") for k in keys}
    first: dict[bytes, int] = {}
    with _open_binary(path) as fh:
        fh.readline()  # the header
        for number, raw in enumerate(fh, start=2):
            key = raw.split(b"\t", 1)[0]
            if key not in wanted or number in skip:
                continue
            if key in first:
                return number, key.decode("utf-8"), first[key]
            first[key] = number
    return None


def ingest(
    store: Store,
    folder: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    skip_bad: bool = False,
) -> IngestSummary:
    """Load an IMDb dump folder into a store opened with ``writing(fresh=True)``.

    Rows of other sources are carried over from the old store by the caller; this function writes the IMDb rows, then
    drops the carried-over rows whose key they have (:func:`drop_rows_imdb_has`: the store is then the same as when
    IMDb is loaded first). Every statement is one SQL pass; nothing loops over rows in Python.

    ``skip_bad`` stages each file first (see :mod:`crewparity.sources.rejects`): bad lines are skipped and
    listed in ``summary.rejects`` with exact per-file accounting instead of failing the ingest.
    """
    started = time.perf_counter()
    step = progress or (lambda _msg: None)
    specs = {s.name: s for s in FILES}
    files = {name: path for name, path in find_files(folder).items() if specs[name].read}
    for name, path in files.items():
        check_header(path, specs[name])
    summary = IngestSummary(source=SOURCE, location=str(Path(folder).resolve()))
    summary.files = {k: str(v) for k, v in files.items()}
    con = store.con
    carried = [table for table, n in other_rows(con).items() if n]
    n_fields = {str(p): len(specs[n].columns) for n, p in files.items()}
    staged: dict[str, str] = {}

    def src(name: str) -> str:
        if name in staged:
            return staged[name]
        return checked_sql(files[name], specs[name], specs[name].unread)

    def run(label: str, sql: str | Callable[[], None], culprit: str) -> None:
        if label:
            step(label)
        try:
            con.execute(sql) if isinstance(sql, str) else sql()
        except duckdb.Error as exc:
            raise translate_error(exc, files.get(culprit), n_fields) from None

    if skip_bad:
        log = rejects_mod.RejectLog()
        for name, path in files.items():
            step(f"reading {name}, skipping bad lines")
            try:
                staged[name] = rejects_mod.stage(con, name, read_sql(path, specs[name]))
            except duckdb.Error as exc:
                raise translate_error(exc, path, n_fields) from None
            rejects_mod.collect(con, name, path, log)
        summary.rejects = log

    titles_sql = f"""
        INSERT INTO titles
        SELECT b.tconst, {kind_sql('b.titleType')},
               b.primaryTitle, b.originalTitle, b.startYear, b.endYear,
               e.parentTconst, e.seasonNumber, e.episodeNumber,
               string_split(b.genres, ','), b.runtimeMinutes, b.isAdult = 1,
               r.numVotes, r.averageRating, '{SOURCE}'
        FROM {src('title.basics')} b
        LEFT JOIN {src('title.episode')} e ON e.tconst = b.tconst
        LEFT JOIN {src('title.ratings')} r ON r.tconst = b.tconst
        """
    people_sql = f"""
        INSERT INTO people
        SELECT nconst, primaryName, birthYear, deathYear, string_split(primaryProfession, ','), '{SOURCE}'
        FROM {src('name.basics')}
        """
    crew_credits = """
            SELECT tconst, unnest(list_concat(
                list_transform(coalesce(string_split(directors, ','), []), lambda d: {'person': d, 'role': 'director'}),
                list_transform(coalesce(string_split(writers, ','), []), lambda w: {'person': w, 'role': 'writer'})
            )) AS c
            FROM lines"""
    # One line per title: the lines are read once (a materialized CTE) and their tconsts screened as the basics' ids
    # are (screen_sql); a tconst that may be on two lines stops the statement (error()) before anything is inserted.
    crew_sql = f"""
        INSERT INTO credits
        WITH lines AS MATERIALIZED (SELECT tconst, directors, writers FROM {src('title.crew')}),
             screen AS (SELECT CASE WHEN n = 0 THEN 0 ELSE error('{CREW_SCREEN}') END AS n
                        FROM {screen_sql('lines', 'tconst')} AS s(n))
        SELECT tconst, c.person, c.role, NULL, '{SOURCE}'
        FROM ({crew_credits}), screen
        WHERE screen.n = 0
        """

    def insert_crew() -> None:
        """title.crew's directors and writers; a tconst on two lines is an error naming the line.

        Why: a repeated line gave a title its directors and writers twice (each counted twice by ``share --unit
        credits`` and per episode), and the ingest said nothing. Only when the screen finds ids it cannot clear are
        they counted exactly; if none is repeated (ids alike as numbers, or not of IMDb's shape) the credits are
        inserted without the screen."""
        try:
            con.execute(crew_sql)
        except duckdb.Error as exc:
            if CREW_SCREEN not in str(exc):
                raise
            repeated = {r[0] for r in con.execute(
                f"SELECT tconst FROM {src('title.crew')} WHERE tconst IS NOT NULL GROUP BY tconst HAVING count(*) > 1"
            ).fetchall()}
            if repeated:
                raise repeat_error(files, ["title.crew"], repeated, "tconst", "each title's directors and writers on "
                                   "one line", "a second line would count them twice", summary.rejects) from None
            con.execute(f"INSERT INTO credits WITH lines AS (SELECT * FROM {src('title.crew')}) "
                        f"SELECT tconst, c.person, c.role, NULL, '{SOURCE}' FROM ({crew_credits})")
    # The role is worked out once per line and the line kept when there is one: no IN lists (DuckDB plans them
    # as joins against a constant table) and no second pass of lower(job) for the filter.
    role_case = " ".join(f"WHEN '{c}' THEN '{r}'" for c, r in PRINCIPAL_ROLES.items() if c != "producer")
    principals_sql = f"""
        INSERT INTO credits
        SELECT tconst, nconst, role, CASE WHEN role = 'actor' THEN category ELSE job END, '{SOURCE}'
        FROM (
            SELECT tconst, nconst, category, job,
                   CASE category
                     WHEN 'producer' THEN CASE WHEN lower(job) LIKE '%executive producer%'
                                               THEN 'executive_producer' ELSE 'producer' END
                     WHEN 'writer' THEN CASE WHEN lower(job) LIKE '%created by%' THEN 'creator' END
                     {role_case}
                   END AS role
            FROM {src('title.principals')}
        )
        WHERE role IS NOT NULL
        """
    # (order in the original sequence, label, SQL, file blamed for an error); title.akas is not read (see FILES).
    # The check for repeated ids has no label of its own (no step on the screen): it is a fraction of a second,
    # run on this connection once the titles and people are in, while the other one still reads title.principals.
    main_jobs: list[Job] = [
        (0, "titles (title.basics + title.episode + title.ratings)", titles_sql, "title.basics"),
        (1, "people (name.basics)", people_sql, "name.basics"),
        (2, "directors and writers (title.crew)", insert_crew, "title.crew"),
        (4, "", lambda: check_repeated_ids(con, files, summary.rejects), ""),
    ]
    side_job: Job = (3, "other key roles and cast (title.principals)", principals_sql, "title.principals")
    # IMDb's own gender labels, per person: one pass over the cast credits and one over people, each to a
    # per-person flag; the detail text lists the labels found in sorted order ("cast category ..." <
    # "primaryProfession ..."), one row per gender. It reads the cast credits (title.principals) and people.
    evidence_sql = f"""
        INSERT INTO gender_evidence
        WITH cast_flags AS (
            SELECT person_id, bool_or(job = 'actress') AS cw, bool_or(job IS DISTINCT FROM 'actress') AS cm
            FROM credits WHERE source = '{SOURCE}' AND role = 'actor'
            GROUP BY person_id
        ),
        prof_flags AS (
            SELECT person_id, list_contains(professions, 'actress') AS pw, list_contains(professions, 'actor') AS pm
            FROM people
            WHERE source = '{SOURCE}' AND (list_contains(professions, 'actress') OR list_contains(professions, 'actor'))
        ),
        flags AS (
            SELECT person_id, coalesce(c.cw, false) AS cw, coalesce(c.cm, false) AS cm,
                   coalesce(p.pw, false) AS pw, coalesce(p.pm, false) AS pm
            FROM cast_flags c FULL OUTER JOIN prof_flags p USING (person_id)
        )
        SELECT person_id, 'woman', '{SOURCE}', 0.98,
               concat_ws('; ', CASE WHEN cw THEN 'cast category actress' END,
                         CASE WHEN pw THEN 'primaryProfession actress' END)
        FROM flags WHERE cw OR pw
        UNION ALL
        SELECT person_id, 'man', '{SOURCE}', 0.98,
               concat_ws('; ', CASE WHEN cm THEN 'cast category actor' END,
                         CASE WHEN pm THEN 'primaryProfession actor' END)
        FROM flags WHERE cm OR pm
        """
    # No file to blame (culprit ""): an error here is not the input's, and is raised as it is.
    evidence_job: Job = (5, "gender evidence (actress/actor labels)", evidence_sql, "")
    if skip_bad:
        # Staged files are temp tables of this connection: one connection, one statement at a time.
        for _, label, sql, culprit in sorted([*main_jobs, side_job]):
            run(label, sql, culprit)
        step(evidence_job[1])
        con.execute(evidence_sql)
    else:
        # The evidence follows title.principals on the second connection once people (job 1) is in, so it runs
        # while this connection still reads title.crew.
        _run_two_ways(con, main_jobs, [(side_job, None), (evidence_job, 1)], step,
                      lambda exc, culprit: translate_error(exc, files.get(culprit), n_fields))
    if carried:
        step("merging the other sources' rows that IMDb has")
        summary.merged = drop_rows_imdb_has(con, carried)
    for table in ("titles", "people", "credits", "gender_evidence"):
        ours, every = con.execute(f"SELECT count(*) FILTER (WHERE source = ?), count(*) FROM {table}",
                                  [SOURCE]).fetchall()[0]
        summary.rows[table], summary.in_store[table] = int(ours), int(every)
    summary.seconds = summary.load_seconds = time.perf_counter() - started
    return summary


def _run_two_ways(
    con: duckdb.DuckDBPyConnection,
    main_jobs: list[Job],
    side_jobs: list[tuple[Job, int | None]],
    step: Progress,
    translate: Callable[[duckdb.Error, str], InputError],
) -> None:
    """Run ``side_jobs`` on a second connection while this thread runs ``main_jobs`` one after another.

    Why: a .gz file is decompressed on one thread, so a statement reading one file leaves the second core
    mostly idle. title.principals (the biggest file) goes alongside the other files; appends from two
    connections to the same table never conflict in DuckDB. A side job given as ``(job, after)`` starts only
    once the main job numbered ``after`` has committed (it reads that job's rows), and not at all once any
    job failed. Errors are reported as a sequential ingest would: the one of the earliest step. Ctrl-C
    interrupts both statements. Steps: each main job's label (a job labelled "" runs without a step of its own),
    then "finishing" the side jobs (the wait for them after the main jobs; not when a job failed).
    """
    side = con.cursor()
    errors: dict[int, InputError] = {}
    failures: list[BaseException] = []
    done: set[int] = set()
    state = threading.Condition()
    stopped = threading.Event()

    def work() -> None:
        for (order, _label, sql, culprit), after in side_jobs:
            if after is not None:
                with state:
                    state.wait_for(lambda: after in done or stopped.is_set())  # noqa: B023 - waited on here
            if stopped.is_set():
                return
            try:
                side.execute(sql) if isinstance(sql, str) else sql()
            except duckdb.Error as exc:
                if culprit:
                    errors[order] = translate(exc, culprit)
                else:
                    failures.append(exc)
                return
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                failures.append(exc)
                return

    def stop() -> None:
        stopped.set()
        with state:
            state.notify_all()

    thread = threading.Thread(target=work, name="crewparity-ingest-principals", daemon=True)
    thread.start()
    try:
        for order, label, sql, culprit in main_jobs:
            if label:
                step(label)
            try:
                con.execute(sql) if isinstance(sql, str) else sql()
            except duckdb.InterruptException:
                raise
            except duckdb.Error as exc:
                errors[order] = translate(exc, culprit)
                stop()
                break
            except InputError as exc:  # a check's finding (a repeated id)
                errors[order] = exc
                stop()
                break
            with state:
                done.add(order)
                state.notify_all()
        if not errors:
            # The side jobs' step comes after the steps it ran alongside, so the list reads in order (it used to
            # come first, marked done in no time); its time is the wait for them once the main jobs are done.
            step("finishing what ran alongside the steps above: " + ", then ".join(job[1] for job, _ in side_jobs))
        thread.join()
    except BaseException:
        stop()
        side.interrupt()
        thread.join()
        side.close()
        raise
    side.close()
    if errors:
        raise errors[min(errors)]
    if failures:
        raise failures[0]
