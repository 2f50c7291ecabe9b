"""The store's own guards: a file that is not a crewparity store of this schema version is refused with one
clear line before anything is read or written, and a read-only store cannot be written through.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crewparity.errors import StoreError
from crewparity.schema import SCHEMA_VERSION, TABLES
from crewparity.store import open_store, writing
from tests._reliability import snapshot


def _edit(db: Path, sql: str) -> None:
    con = duckdb.connect(str(db))
    con.execute(sql)
    con.close()


def test_store_has_every_canonical_table_and_the_version(store: Path) -> None:
    with open_store(store) as s:
        tables = {r[0] for r in s.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        version = s.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    assert set(TABLES) <= tables
    assert version == [(str(SCHEMA_VERSION),)]


@pytest.mark.parametrize(("sql", "message"), [
    ("UPDATE meta SET value = '99' WHERE key = 'schema_version'", "written by a newer crewparity (schema 99)"),
    ("UPDATE meta SET value = '0' WHERE key = 'schema_version'", "written by an older crewparity (schema 0"),
    ("UPDATE meta SET value = 'x' WHERE key = 'schema_version'", "without a schema version"),
    ("DELETE FROM meta WHERE key = 'schema_version'", "without a schema version"),
    ("DROP TABLE credits", "missing tables ['credits']"),
    ("DROP TABLE meta", "not a crewparity store (no meta table)"),
])
def test_foreign_or_other_version_store_is_refused_for_reading_and_writing(store: Path, sql: str, message: str) -> None:
    _edit(store, sql)
    before = store.read_bytes()  # the tables may be unreadable here; the bytes say it all
    with pytest.raises(StoreError, match=r"/s\.duckdb: ") as info:
        open_store(store)
    assert message in str(info.value) and "\n" not in str(info.value)
    for fresh in (False, True):
        with pytest.raises(StoreError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
            with writing(store, fresh=fresh):
                pytest.fail("writing() must refuse before yielding")
    assert store.read_bytes() == before
    assert not list(store.parent.glob("s.duckdb.tmp-*"))


def test_missing_store_and_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here; build one with"):
        open_store(tmp_path / "none.duckdb")
    with pytest.raises(StoreError, match="is a directory, not a store file"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="is a directory, not a store file"):
        with writing(tmp_path):
            pass


def test_read_only_store_refuses_writes(store: Path) -> None:
    before = snapshot(store)
    with open_store(store) as s:
        with pytest.raises(duckdb.Error, match="read-only"):
            s.con.execute("DELETE FROM titles")
    assert snapshot(store) == before


def test_exception_inside_writing_leaves_store_unchanged(store: Path) -> None:
    before = snapshot(store)
    with pytest.raises(ZeroDivisionError):
        with writing(store) as s:
            s.con.execute("DELETE FROM titles")
            s.con.execute("DELETE FROM credits")
            raise ZeroDivisionError
    assert snapshot(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["s.duckdb", "s.duckdb.lock"]


def test_writing_commits_only_on_success(store: Path) -> None:
    with writing(store) as s:
        s.con.execute("DELETE FROM titles WHERE title_id = 'tt0000001'")
    with open_store(store) as s:
        assert s.counts()["titles"] == 98


def test_duckdbs_own_progress_bar_is_off_for_readers_writers_and_their_cursors(store: Path) -> None:
    """DuckDB prints its bar to stdout after 2 s: it would land in a CSV written to stdout and across the CLI's
    own progress display. Every store connection turns it off, and the cursors made from them inherit that.

    Checked in a child process with a plain stdout: under pytest's capture DuckDB starts with the bar off anyway
    (in a child it starts on, so this test fails without the setting).
    """
    import subprocess
    import sys

    code = f"""
from crewparity.store import open_store, writing
q = "SELECT current_setting('enable_progress_bar')"
r = open_store({str(store)!r})
print(r.con.execute(q).fetchall()[0][0], r.con.cursor().execute(q).fetchall()[0][0])
r.close()
with writing({str(store)!r}) as w:
    print(w.con.execute(q).fetchall()[0][0], w.con.cursor().execute(q).fetchall()[0][0])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["False False", "False False"]
