"""``share --by genre``: the titles without a genre are a group of their own, labelled "(no genre)" in a table;
likewise the titles without a year, "(no year)", by year or decade.

A user review found that group's row with a blank first cell. csv, json and parquet keep a real null (a program
tests for it); the table, the report and the dashboard show the label (:data:`crewparity.output.NULL_LABELS`).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity import api_sources, output
from tests.conftest import run_cli

CREW_LIST = ("title,year,name,role,gender\nOur Film,2020,Jane Doe,director,woman\nOur Film,2020,John Roe,editor,man\n"
             "Undated Film,,Ann Poe,director,woman\n")


@pytest.fixture(scope="module")
def store(demo_db_names_only: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store and a crew list's two films, which have no genre; one has no year either."""
    base = tmp_path_factory.mktemp("no-genre")
    db = base / "demo.duckdb"
    shutil.copyfile(demo_db_names_only, db)
    (base / "crew.csv").write_text(CREW_LIST, encoding="utf-8")
    api_sources.ingest_crewlist(base / "crew.csv", db)
    return db


def _first_cells(text: str) -> list[str]:
    return [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("unit", ["people", "credits", "titles"])
def test_the_table_labels_the_no_genre_group(store: Path, unit: str) -> None:
    r = run_cli("share", "--by", "genre", "--unit", unit, "--db", str(store))
    assert r.returncode == 0, r.stderr
    firsts = _first_cells(r.stdout)
    assert "(no genre)" in firsts and "" not in firsts and "Drama" in firsts


def test_programs_get_a_null(store: Path, tmp_path: Path) -> None:
    args = ("share", "--by", "genre", "--db", str(store))
    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "-f", "csv").stdout)))
    assert [r["genre"] for r in rows].count("") == 1
    assert not any(r["genre"] == "(no genre)" for r in rows)
    records = json.loads(run_cli(*args, "-f", "json").stdout)
    assert [r["genre"] for r in records].count(None) == 1
    target = tmp_path / "share.parquet"
    assert run_cli(*args, "-o", str(target)).returncode == 0
    assert pq.read_table(target)["genre"].null_count == 1


def test_by_year_and_genre_too(store: Path) -> None:
    r = run_cli("share", "--by", "year,genre", "--from", "2020", "--to", "2020", "--db", str(store))
    assert r.returncode == 0, r.stderr
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in r.stdout.splitlines() if line.startswith("│")]
    assert ["2020", "(no genre)"] in [row[:2] for row in rows]


def test_only_the_genre_column_is_labelled() -> None:
    assert output.format_cell(None, "genre") == "(no genre)"
    assert output.format_cell(None, "title") == "" and output.format_cell(None) == ""
    assert output.format_cell("Drama", "genre") == "Drama"


@pytest.mark.parametrize("by", ["year", "decade"])
def test_the_table_labels_the_no_year_group(store: Path, by: str) -> None:
    """A review found the no-year row with a blank first cell too; programs still get a null."""
    r = run_cli("share", "--by", by, "--db", str(store))
    assert r.returncode == 0, r.stderr
    firsts = _first_cells(r.stdout)
    assert firsts[-1] == "(no year)" and "" not in firsts
    rows = list(csv.DictReader(io.StringIO(run_cli("share", "--by", by, "--db", str(store), "-f", "csv").stdout)))
    assert [r[by] for r in rows].count("") == 1 and not any(r[by] == "(no year)" for r in rows)
