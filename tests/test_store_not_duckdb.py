"""`--db` given a file that is no DuckDB database (an export put where the store goes, `-o` and `--db` swapped)
says so in one line naming the file. DuckDB 2.0 opens a path ending in .csv or .parquet as that file in an
in-memory database and refuses that read-only: the error read "cannot open as a DuckDB store (Catalog Error:
Cannot launch in-memory database in read-only mode!)", which named neither the mistake nor what --db takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import StoreError
from crewparity.store import open_store
from tests._reliability import assert_one_line_error
from tests.conftest import run_cli


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_an_export_given_as_db_is_named_as_no_store(fmt: str, sample_store: Path, tmp_path: Path) -> None:
    export = tmp_path / f"shares.{fmt}"
    made = run_cli("share", "--by", "none", "--db", str(sample_store), "-o", str(export))
    assert made.returncode == 0, made.stderr
    before = export.read_bytes()
    for args in (("share",), ("resolve",)):   # a read, and a write
        result = run_cli(*args, "--db", str(export))
        line = assert_one_line_error(result, f"shares.{fmt}: not a DuckDB database file", "crewparity store",
                                     ".duckdb")
        assert "in-memory" not in line
    assert export.read_bytes() == before
    with pytest.raises(StoreError, match="not a DuckDB database file"):
        open_store(export)


def test_a_store_named_csv_still_opens(sample_store: Path, tmp_path: Path) -> None:
    """The check reads the file's header, not its name: a real store under any name opens as before."""
    odd = tmp_path / "store.csv"
    odd.write_bytes(sample_store.read_bytes())
    with open_store(odd) as s:
        assert s.counts()["titles"] == 99
