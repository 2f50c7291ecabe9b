"""`crewparity ingest imdb` on `crewparity synth --scale 0.01` (issue 2): the store's rows match the files.

The expected counts are read from the .tsv.gz files with Python's gzip module and a split on tabs (the
format's definition), not with DuckDB, so a reader bug cannot hide behind its own count.
"""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from crewparity import synth
from tests.conftest import run_cli

SCALE = 0.01  # 120,000 titles, 150,000 people, ~1M principals rows


def _rows(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        fh.readline()
        return [line.rstrip("\n").split("\t") for line in fh]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("synth001")
    dump = base / "dump"
    synth.generate(dump, SCALE, seed=1)
    db = base / "s.duckdb"
    proc = run_cli("ingest", "imdb", str(dump), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    return dump, db


def test_row_counts_match_the_files(ingested: tuple[Path, Path]) -> None:
    dump, db = ingested
    basics = _rows(dump / "title.basics.tsv.gz")
    names = _rows(dump / "name.basics.tsv.gz")
    crew = _rows(dump / "title.crew.tsv.gz")
    episodes = _rows(dump / "title.episode.tsv.gz")
    principals = _rows(dump / "title.principals.tsv.gz")
    assert len(basics) >= 100_000 and len(principals) >= 500_000
    categories = Counter(r[3] for r in principals)
    con = duckdb.connect(str(db), read_only=True)
    try:
        def one(sql: str) -> int:
            return int(con.execute(sql).fetchall()[0][0])

        assert one("SELECT count(*) FROM titles") == len(basics)
        assert one("SELECT count(*) FROM people") == len(names)
        assert one("SELECT count(*) FROM titles WHERE series_id IS NOT NULL") == len(episodes)
        assert one("SELECT count(*) FROM credits WHERE role = 'director'") == sum(
            len(r[1].split(",")) for r in crew if r[1] != "\\N")
        assert one("SELECT count(*) FROM credits WHERE role = 'writer'") == sum(
            len(r[2].split(",")) for r in crew if r[2] != "\\N")
        assert one("SELECT count(*) FROM credits WHERE role = 'creator'") == sum(
            1 for r in principals if r[3] == "writer" and "created by" in r[4].lower())
        assert one("SELECT count(*) FROM credits WHERE role = 'actor'") == categories["actor"] + categories["actress"]
        for category, role in (("editor", "editor"), ("cinematographer", "cinematographer"),
                               ("composer", "composer"), ("casting_director", "casting_director"),
                               ("production_designer", "production_designer")):
            assert one(f"SELECT count(*) FROM credits WHERE role = '{role}'") == categories[category], category
        producers = [r for r in principals if r[3] == "producer"]
        assert one("SELECT count(*) FROM credits WHERE role IN ('producer', 'executive_producer')") == len(producers)
    finally:
        con.close()
