"""A store of an older schema is brought up to date by a write, from its own data: the canonical tables have not
changed since schema 1, only the derived query tables have, and a write rebuilds those. Reading it still needs
that write first (a read-only command cannot rebuild), and the error says which command does it.

Why: a schema bump for a query-table column (schema 12 added ``episodes.i``) made every user store unreadable
until every source was ingested again, and even ``crewparity demo`` refused to rebuild its own store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from crewparity.demo import build_demo
from crewparity.errors import StoreError
from crewparity.schema import DERIVED_TABLES, SCHEMA_VERSION, TABLES
from crewparity.store import open_store
from tests._store_read import store_value
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("upgrade") / "demo.duckdb"
    build_demo(db, report=None)
    return db


def _as_schema_11(src: Path, dst: Path) -> Path:
    """A copy of ``src`` as schema 11 wrote it: no ``episodes.i``, version 11."""
    shutil.copy(src, dst)
    con = duckdb.connect(str(dst))
    con.execute("ALTER TABLE episodes DROP COLUMN i")
    con.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    con.close()
    return dst


def _version(db: Path) -> str:
    return store_value(db, "SELECT value FROM meta WHERE key = 'schema_version'")


def _differences(a: Path, b: Path) -> dict[str, int]:
    """Rows of each table in one store and not the other (as multisets)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for table in [*TABLES, *DERIVED_TABLES]:
        if table in ("meta", "sources"):
            continue  # the load times and the crewparity version differ by design
        n = con.execute(f"SELECT (SELECT count(*) FROM (FROM a.{table} EXCEPT ALL FROM b.{table})) + "
                        f"(SELECT count(*) FROM (FROM b.{table} EXCEPT ALL FROM a.{table}))").fetchone()[0]  # type: ignore[index]
        if n:
            out[table] = n
    con.close()
    return out


def test_reading_an_older_store_names_the_command_that_updates_it(current: Path, tmp_path: Path) -> None:
    old = _as_schema_11(current, tmp_path / "old.duckdb")
    with pytest.raises(StoreError, match=r"schema 11, this one is \d+\): `crewparity resolve --db .*old\.duckdb`"):
        open_store(old)
    result = run_cli("series", "Jessica Jones", "--db", str(old))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "crewparity resolve --db" in result.stderr


def test_resolve_brings_it_up_to_date_as_a_fresh_build_would(current: Path, tmp_path: Path) -> None:
    old = _as_schema_11(current, tmp_path / "old.duckdb")
    result = run_cli("resolve", "--db", str(old))
    assert result.returncode == 0, result.stderr
    assert _version(old) == str(SCHEMA_VERSION)
    assert _differences(old, current) == {}
    rank = run_cli("series", "--rank", "worst", "--min-episodes", "1", "--all-series", "--db", str(old),
                   "--format", "csv")
    assert rank.returncode == 0, rank.stderr
    assert rank.stdout.splitlines()[0].endswith(",inferred")


def test_an_ingest_into_an_older_store_updates_it_too(current: Path, tmp_path: Path) -> None:
    old = _as_schema_11(current, tmp_path / "old.duckdb")
    overrides = tmp_path / "o.csv"
    overrides.write_text("person_id,gender,note\nnm0000001,man,test\n", encoding="utf-8")
    result = run_cli("ingest", "overrides", str(overrides), "--db", str(old))
    assert result.returncode == 0, result.stderr
    assert _version(old) == str(SCHEMA_VERSION)
    with open_store(old) as store:
        assert store.rows("SELECT count(*) FROM episodes WHERE i IS NOT NULL")[0][0] > 0


def test_demo_rebuilds_its_older_store(current: Path, tmp_path: Path) -> None:
    old = _as_schema_11(current, tmp_path / "demo.duckdb")
    build_demo(old, report=None)
    assert _version(old) == str(SCHEMA_VERSION)
    assert _differences(old, current) == {}


def test_a_store_older_than_the_canonical_tables_is_still_refused(current: Path, tmp_path: Path) -> None:
    old = tmp_path / "ancient.duckdb"
    shutil.copy(current, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    result = run_cli("resolve", "--db", str(old))
    assert result.returncode == 1
    assert "re-run the ingest into a new --db" in result.stderr
    assert _version(old) == "0"  # left as it was
