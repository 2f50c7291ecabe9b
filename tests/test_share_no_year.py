"""``share --by year`` / ``--by decade``: the titles without a year are a group of their own, labelled "(no
year)" in a table (a review found a blank first cell, as the no-genre group had); programs get a null."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from crewparity import api_sources
from tests.conftest import run_cli

CREW_LIST = "title,name,role,gender\nUndated Film,Jane Doe,director,woman\nUndated Film,John Roe,editor,man\n"


@pytest.fixture(scope="module")
def store(demo_db_names_only: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store and a crew list's film without a year."""
    base = tmp_path_factory.mktemp("no-year")
    db = base / "demo.duckdb"
    shutil.copyfile(demo_db_names_only, db)
    (base / "crew.csv").write_text(CREW_LIST, encoding="utf-8")
    api_sources.ingest_crewlist(base / "crew.csv", db)
    return db


@pytest.mark.parametrize("by", ["year", "decade"])
def test_the_table_labels_the_no_year_group(store: Path, by: str) -> None:
    r = run_cli("share", "--by", by, "--db", str(store))
    assert r.returncode == 0, r.stderr
    firsts = [line.split("│")[1].strip() for line in r.stdout.splitlines() if line.startswith("│")]
    assert firsts[-1] == "(no year)" and "" not in firsts
    rows = list(csv.DictReader(io.StringIO(run_cli("share", "--by", by, "--db", str(store), "-f", "csv").stdout)))
    assert [r[by] for r in rows].count("") == 1 and not any(r[by] == "(no year)" for r in rows)
