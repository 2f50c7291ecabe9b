"""The store: one DuckDB file holding the canonical tables.

Reading opens the file read-only, so a dashboard and any number of queries can share it. Writing never
touches the live file: :func:`writing` takes a lock, builds the new state in a temporary file beside it
(a copy of the store, or a fresh file for a full re-ingest) and swaps it in with one atomic rename.
A failed, interrupted or killed write therefore leaves the store exactly as it was, and readers keep
answering from the last good file while a write runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from crewparity.errors import StoreError
from crewparity.output import now_utc
from crewparity.schema import DERIVED_TABLES, SCHEMA_VERSION, SOURCED_TABLES, TABLES, create_sql

DEFAULT_DB = "crewparity.duckdb"
ENV_DB = "CREWPARITY_DB"
#: the store `crewparity demo` writes in the current folder (crewparity.demo.DEFAULT_DEMO_DB)
DEMO_DB = "demo.duckdb"
#: DuckDB settings for every connection: 2 cores and a bounded memory, whatever the machine has.
DEFAULT_MEMORY_LIMIT = os.environ.get("CREWPARITY_MEMORY_LIMIT", "8GB")


def default_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The store path: the argument, else ``$CREWPARITY_DB``, else ``./crewparity.duckdb``."""
    if path is not None and str(path) != "":
        return Path(path)
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


def _configure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET memory_limit = '{DEFAULT_MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    # DuckDB's own progress bar prints to stdout once a statement has run for 2 s: into a CSV or JSON export
    # written to stdout, and across the CLI's own progress display (a full-scale ingest logged 86 KB of bars).
    # Cursors of this connection (the rebuild's second chain) inherit the setting.
    con.execute("SET enable_progress_bar = false")
    # No extension may be fetched from the internet at run time.
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")


#: the oldest schema a write brings up to date: the canonical tables (:data:`crewparity.schema.TABLES`) are those of
#: schema 1, and every later version changed derived query tables only, which a write rebuilds from the canonical
#: ones (:func:`writing`). Raise it when a canonical table changes.
UPGRADABLE_FROM = 1


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, *, upgrade: bool = False) -> int:
    """Refuse a file that is no store of this version; return its schema version. ``upgrade``: an older store
    whose canonical tables are this version's (:data:`UPGRADABLE_FROM`) is accepted (a write rebuilds the rest)."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in tables:
        raise StoreError(
            "not a crewparity store (no meta table); give another --db or remove the file", path=path
        )
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    row = rows[0] if rows else None
    if row is None or not str(row[0]).isdigit():
        raise StoreError("crewparity store without a schema version; rebuild it with `crewparity ingest`", path=path)
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"written by a newer crewparity (schema {version}); this version reads schema {SCHEMA_VERSION}: "
            "upgrade crewparity",
            path=path,
        )
    if version < SCHEMA_VERSION:
        if version >= UPGRADABLE_FROM:
            if upgrade:
                return version
            raise StoreError(
                f"written by an older crewparity (schema {version}, this one is {SCHEMA_VERSION}): "
                f"`crewparity resolve --db {path}` brings it up to date from its own data (no source is read "
                "again; on a full IMDb store a few minutes)",
                path=path,
            )
        raise StoreError(
            f"written by an older crewparity (schema {version}, this one is {SCHEMA_VERSION}): "
            "re-run the ingest into a new --db",
            path=path,
        )
    missing = (set(TABLES) | set(DERIVED_TABLES)) - tables
    if missing:
        raise StoreError(f"store is missing tables {sorted(missing)}; rebuild it", path=path)
    return version


@dataclass
class Store:
    """An open store: a DuckDB connection plus where it came from."""

    path: Path
    con: duckdb.DuckDBPyConnection
    read_only: bool = True

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run parameterised SQL on the store (for the metrics layer; never user-supplied SQL)."""
        return self.con.execute(query, params or [])

    def arrow(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Run parameterised SQL and return an Arrow table (no extra copy)."""
        return self.con.sql(query, params=params).to_arrow_table()

    def rows(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run parameterised SQL and fetch every row.

        DuckDB 2.0 keeps a half-fetched ``execute()`` result open and then refuses ``con.sql``: always
        fetch to the end, which this does.
        """
        return self.con.execute(query, params or []).fetchall()

    def counts(self) -> dict[str, int]:
        """Rows per canonical table."""
        out: dict[str, int] = {}
        for table in ("titles", "people", "credits", "gender_evidence", "resolved_gender"):
            out[table] = int(self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        return out

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = True) -> Store:
    """Open an existing store; read-only by default so that readers never block each other."""
    p = default_path(path)
    if not p.exists():
        raise missing_store_error(p)
    if p.is_dir():
        raise StoreError("is a directory, not a store file", path=p)
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(_open_error(p, exc), path=p) from None
    try:
        _configure(con)
        _check_schema(con, p)
    except BaseException:
        con.close()
        raise
    return Store(path=p, con=con, read_only=read_only)


def missing_store_error(p: Path) -> StoreError:
    """The error for a store file that does not exist (a reader's, and ``resolve``'s, which only rewrites one)."""
    return StoreError(_missing_store_message(p), path=p)


def _missing_store_message(p: Path) -> str:
    """What to do about a store file that does not exist.

    Why the demo case: `crewparity demo` writes ./demo.duckdb, and a newcomer's next command (the README's
    ``crewparity series "Jessica Jones"``) reads the default ./crewparity.duckdb; telling them to build a store
    they have just built sends them round in a circle.
    """
    here = Path.cwd()
    if p.name == DEFAULT_DB and p.parent.resolve() == here.resolve() and (here / DEMO_DB).is_file():
        return (f"no store here, but the demo's store {DEMO_DB} is: add `--db {DEMO_DB}` "
                f"(or set ${ENV_DB}={DEMO_DB})")
    return "no store here; build one with `crewparity ingest imdb DIR` or `crewparity demo`"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: the bytes every DuckDB database file has at offset 8 (its header's magic)
_DUCKDB_MAGIC = b"DUCK"


def _open_error(p: Path, exc: BaseException) -> str:
    """Why ``p`` cannot be opened, said for a user rather than by DuckDB.

    Why: DuckDB 2.0 opens a path ending in .csv or .parquet that is no database as that file, in an in-memory
    database, and refuses that read-only with "Cannot launch in-memory database in read-only mode!", which names
    neither the file nor the mistake (an export given as --db). A file without DuckDB's header is said to be none.
    """
    try:
        with p.open("rb") as fh:
            head = fh.read(12)
    except OSError:
        head = _DUCKDB_MAGIC.rjust(12)
    if head[8:12] != _DUCKDB_MAGIC:
        return ("not a DuckDB database file, so not a crewparity store; expected the .duckdb file that "
                "`crewparity ingest` or `crewparity demo` writes (not a csv, json or parquet export)")
    return f"cannot open as a DuckDB store ({_first_line(exc)})"


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables and stamp the schema version."""
    for stmt in create_sql():
        con.execute(stmt)
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('crewparity_version', ?)",
        [str(SCHEMA_VERSION), _package_version()],
    )


def _package_version() -> str:
    from crewparity import __version__

    return __version__


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file ({exc.strerror})", path=lock_path) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                "another crewparity process is writing to this store; wait for it to finish", path=path
            ) from None
        yield
    finally:
        os.close(fd)


def _remove_quietly(p: Path) -> None:
    for candidate in (p, p.with_name(p.name + ".wal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


@contextmanager
def writing(path: str | os.PathLike[str] | None = None, *, fresh: bool = False) -> Iterator[Store]:
    """Write to the store copy-on-write and swap it in only if the block completes.

    ``fresh=False`` copies the current store into the temporary file first (small writes: overrides,
    Wikidata, TMDB). ``fresh=True`` starts from an empty store and attaches the current one as ``old``
    (read-only) so the caller copies across only what it keeps; a full IMDb re-ingest uses this and
    never pays for copying the rows it replaces.
    """
    p = default_path(path)
    if p.is_dir():
        raise StoreError("is a directory, not a store file", path=p)
    # A malformed $SOURCE_DATE_EPOCH is refused before any work: record_source reads it only at the end of an
    # ingest, which on the full dumps is many minutes in.
    now_utc()
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise StoreError("the store's folder does not exist", path=p)
    with _lock(p):
        tmp = p.with_name(f"{p.name}.tmp-{os.getpid()}")
        for stale in parent.glob(f"{p.name}.tmp-*"):
            _remove_quietly(stale)
        older = False
        if p.exists():
            # Validate before doing any work: a newer schema or a foreign file is refused up front; an older
            # store whose canonical tables are this version's is brought up to date below.
            older = _stored_version(p) < SCHEMA_VERSION
            if not fresh:
                shutil.copyfile(p, tmp)
        try:
            con = duckdb.connect(str(tmp))
        except duckdb.Error as exc:
            raise StoreError(f"cannot create a store file ({_first_line(exc)})", path=tmp) from None
        store = Store(path=p, con=con, read_only=False)
        try:
            _configure(con)
            if older and not fresh:
                _drop_derived(con)
            init_schema(con)
            if fresh and p.exists():
                con.execute(f"ATTACH '{_sql_str(p)}' AS old (READ_ONLY)")
            yield store
            if fresh and p.exists():
                con.execute("DETACH old")
            con.execute("CHECKPOINT")
            con.close()
            os.replace(tmp, p)
            _remove_quietly(p.with_name(p.name + ".wal.none"))
        except BaseException as exc:
            try:
                con.close()
            finally:
                _remove_quietly(tmp)
            if _is_interrupt(exc):
                # DuckDB turns Ctrl-C during a query into RuntimeError("Query interrupted"): report it as the
                # interrupt it is, so the CLI prints its one line instead of a traceback.
                raise KeyboardInterrupt from None
            raise


def _stored_version(p: Path) -> int:
    """The schema version of the store at ``p``, refused as :func:`open_store` refuses it unless it is older and
    upgradable."""
    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(_open_error(p, exc), path=p) from None
    try:
        return _check_schema(con, p, upgrade=True)
    finally:
        con.close()


def _drop_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Drop an older store's derived query tables and what it recorded about them: ``init_schema`` creates them in
    this version's shape and stamps the version, and the write's resolve, finding them never built
    (:func:`crewparity.metrics.derived.is_built`), builds them from the canonical tables."""
    for name in DERIVED_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute("DELETE FROM meta WHERE starts_with(key, 'derived_')")


def _is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError | duckdb.InterruptException) and "interrupted" in str(exc).lower()


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")


def copy_other_sources(store: Store, source: str) -> None:
    """In a ``fresh`` write, carry over every row of the old store that ``source`` does not replace."""
    for table in SOURCED_TABLES:
        store.con.execute(f"INSERT INTO {table} SELECT * FROM old.{table} WHERE source <> ?", [source])
    store.con.execute("INSERT INTO sources SELECT * FROM old.sources WHERE source <> ?", [source])


def delete_source(store: Store, source: str) -> None:
    """In a copying write, drop every row a source wrote so that re-ingesting it replaces it."""
    for table in SOURCED_TABLES:
        store.con.execute(f"DELETE FROM {table} WHERE source = ?", [source])
    store.con.execute("DELETE FROM sources WHERE source = ?", [source])


def loaded_sources(store: Store) -> list[dict[str, str]]:
    """What the store's data came from, oldest load first: each source's ``source`` (imdb, wikidata, ...), its
    ``location`` (the folder or file as loaded) and ``loaded_at`` (``YYYY-MM-DDTHH:MM:SS``, UTC: see
    :func:`record_source`), and for an IMDb load whose files ``fetch imdb`` downloaded, ``dumps_dated`` (the day
    the server dated them: :mod:`crewparity.sources.dump_dates`; the key is absent otherwise). What a chart's source
    line (:func:`crewparity.report.charts.source_line`) and a Parquet export's ``crewparity.sources`` cite. A store
    without the table (older than it): none."""
    try:
        rows = store.rows("SELECT source, location, strftime(loaded_at, '%Y-%m-%dT%H:%M:%S'), "
                          "regexp_extract(detail, 'dumps_dated=([0-9.-]+)', 1) FROM sources "
                          "ORDER BY loaded_at, source")
    except duckdb.Error:
        return []
    return [{"source": str(source), "location": public_location(str(location or "")), "loaded_at": str(at or ""),
             **({"dumps_dated": str(dated)} if dated else {})}
            for source, location, at, dated in rows]


def public_location(location: str) -> str:
    """Where a source was loaded from, as it may leave this machine: a URL (a fetch's endpoint) whole, a file or
    folder by its name only.

    Why: the store keeps the full path (``/home/alice/press/embargoed/crew.csv``) and Parquet exports, the report's
    method section and the dashboard cited it as it was, so a file shared with an editor or a reader carried the
    user's folders; the name says which data it was as well."""
    if "://" in location:
        return location
    return Path(location).name or location


def record_source(store: Store, source: str, location: str, rows_read: int, detail: str = "") -> None:
    """Note when and from where a source was loaded (the report's method section reads this).

    The time is UTC, as the method section labels it (``loaded_at_utc``): ``current_timestamp::TIMESTAMP`` was the
    loading machine's local time, so a store loaded in New York said 14:00 "UTC" for 19:00 UTC, and two stores
    loaded on machines in different zones could not be compared.

    The clock is :func:`crewparity.output.now_utc`, so ``$SOURCE_DATE_EPOCH`` pins it as it pins the time a report
    and an export say they were written: with the wall clock, two ingests of the same files gave stores that differed
    here and in everything citing it (the report's method section, the charts' source lines, an export's
    ``dc:date``)."""
    loaded_at = now_utc().replace(tzinfo=None)
    store.con.execute("INSERT INTO sources VALUES (?, ?, ?, ?, ?)", [source, location, loaded_at, rows_read, detail])
