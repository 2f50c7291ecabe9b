"""`crewparity ingest imdb` on the real IMDb dump lines: every row accounted for, mapping as DESIGN.md says."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import duckdb

from crewparity import api
from tests.conftest import IMDB_SAMPLE, run_cli


def _rows(path: Path) -> list[list[str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        lines = fh.read().split("\n")
    return [line.split("\t") for line in lines[1:] if line != ""]


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_row_counts_match_the_files(sample_store: Path) -> None:
    basics = _rows(IMDB_SAMPLE / "title.basics.tsv")
    names = _rows(IMDB_SAMPLE / "name.basics.tsv")
    crew = _rows(IMDB_SAMPLE / "title.crew.tsv")
    principals = _rows(IMDB_SAMPLE / "title.principals.tsv")
    assert _count(sample_store, "SELECT count(*) FROM titles") == len(basics)
    assert _count(sample_store, "SELECT count(*) FROM people") == len(names)
    directors = sum(len(r[1].split(",")) for r in crew if r[1] != "\\N")
    writers = sum(len(r[2].split(",")) for r in crew if r[2] != "\\N")
    assert _count(sample_store, "SELECT count(*) FROM credits WHERE role = 'director'") == directors
    assert _count(sample_store, "SELECT count(*) FROM credits WHERE role = 'writer'") == writers
    kept = {"producer", "editor", "cinematographer", "composer", "production_designer", "casting_director",
            "actor", "actress"}
    other = sum(1 for r in principals if r[3] in kept)
    creators = sum(1 for r in principals if r[3] == "writer" and "created by" in r[4].lower())
    assert _count(sample_store, "SELECT count(*) FROM credits WHERE role NOT IN ('director', 'writer')") == other + creators


def test_mapping_and_nulls(sample_store: Path) -> None:
    con = duckdb.connect(str(sample_store), read_only=True)
    try:
        kind, year, genres = con.execute(
            "SELECT kind, year, genres FROM titles WHERE title_id = 'tt0000001'").fetchone()  # type: ignore[misc]
        assert (kind, year, genres) == ("short", 1894, ["Documentary", "Short"])
        # \N is null, never the text '\N'
        assert con.execute("SELECT count(*) FROM titles WHERE end_year IS NOT NULL").fetchone()[0] == sum(  # type: ignore[index]
            1 for r in _rows(IMDB_SAMPLE / "title.basics.tsv") if r[6] != "\\N")
        assert con.execute("SELECT count(*) FROM credits WHERE job = '\\N'").fetchone()[0] == 0  # type: ignore[index]
        # Lauren Bacall is listed as an actress: IMDb evidence says woman; Fred Astaire: actor.
        ev = dict(con.execute(
            "SELECT person_id, gender FROM gender_evidence WHERE person_id IN ('nm0000001', 'nm0000002')").fetchall())
        assert ev == {"nm0000001": "man", "nm0000002": "woman"}
        cats = {r[3] for r in _rows(IMDB_SAMPLE / "title.principals.tsv")}
        roles = {r[0] for r in con.execute("SELECT DISTINCT role FROM credits").fetchall()}
        assert "cinematographer" in roles and ("cinematographer" in cats)
        assert roles <= {"director", "writer", "creator", "producer", "executive_producer", "editor",
                         "cinematographer", "composer", "production_designer", "casting_director", "actor"}
    finally:
        con.close()


def test_gzipped_dump_gives_same_rows(tmp_path: Path, sample_store: Path) -> None:
    folder = tmp_path / "gz"
    folder.mkdir()
    for f in IMDB_SAMPLE.glob("*.tsv"):
        with open(f, "rb") as src, gzip.open(folder / (f.name + ".gz"), "wb") as dst:
            shutil.copyfileobj(src, dst)
    db = tmp_path / "gz.duckdb"
    api.ingest_imdb(folder, db)
    for table in ("titles", "people", "credits", "gender_evidence"):
        assert _count(db, f"SELECT count(*) FROM {table}") == _count(sample_store, f"SELECT count(*) FROM {table}")


def test_producer_jobs_map_to_executive_producer_and_creator(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    with open(folder / "title.principals.tsv", "a", encoding="utf-8") as fh:
        fh.write("tt0000001\t90\tnm0000001\tproducer\texecutive producer\t\\N\n")
        fh.write("tt0000001\t91\tnm0000002\tproducer\tproducer\t\\N\n")
        fh.write("tt0000001\t92\tnm0000003\twriter\tcreated by\t\\N\n")
    db = tmp_path / "s.duckdb"
    api.ingest_imdb(folder, db)
    con = duckdb.connect(str(db), read_only=True)
    got = set(con.execute("SELECT person_id, role FROM credits WHERE title_id = 'tt0000001' AND role IN "
                          "('executive_producer', 'producer', 'creator')").fetchall())
    con.close()
    assert got == {("nm0000001", "executive_producer"), ("nm0000002", "producer"), ("nm0000003", "creator")}


def test_reingest_replaces_and_keeps_other_sources(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    api.ingest_imdb(IMDB_SAMPLE, db)
    from crewparity.store import writing

    with writing(db) as store:
        store.con.execute("INSERT INTO gender_evidence VALUES ('nm0000003', 'woman', 'overrides', 1.0, 'test')")
    api.ingest_imdb(IMDB_SAMPLE, db)
    assert _count(db, "SELECT count(*) FROM titles") == len(_rows(IMDB_SAMPLE / "title.basics.tsv"))
    assert _count(db, "SELECT count(*) FROM gender_evidence WHERE source = 'overrides'") == 1
    assert _count(db, "SELECT count(*) FROM resolved_gender WHERE person_id = 'nm0000003' AND source = 'overrides'") == 1


def test_cli_summary_and_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    result = run_cli("ingest", "imdb", str(IMDB_SAMPLE), env={"CREWPARITY_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert "titles" in result.stdout and "99" in result.stdout
    assert db.exists()


def test_default_store_is_in_the_working_directory(tmp_path: Path) -> None:
    result = run_cli("ingest", "imdb", str(IMDB_SAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "crewparity.duckdb").exists()


def test_names_that_look_like_nulls_survive(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    with open(folder / "name.basics.tsv", "a", encoding="utf-8") as fh:
        fh.write("nm9900000001\tNA\t\\N\t\\N\tdirector\t\\N\n")
        fh.write("nm9900000002\tNull\t\\N\t\\N\tdirector\t\\N\n")
    with open(folder / "title.basics.tsv", "a", encoding="utf-8") as fh:
        fh.write('tt9900000001\tmovie\tThe "Quoted\tThe "Quoted\t0\t2020\t\\N\t90\tDrama\n')
    db = tmp_path / "s.duckdb"
    api.ingest_imdb(folder, db)
    con = duckdb.connect(str(db), read_only=True)
    names = dict(con.execute("SELECT person_id, name FROM people WHERE person_id LIKE 'nm99%'").fetchall())
    title = con.execute("SELECT name FROM titles WHERE title_id = 'tt9900000001'").fetchone()
    con.close()
    assert names == {"nm9900000001": "NA", "nm9900000002": "Null"}
    assert title == ('The "Quoted',)


def test_csv_module_agrees_on_principal_count(sample_store: Path) -> None:
    # An independent reader (csv with quoting off) sees the same number of principals lines.
    with open(IMDB_SAMPLE / "title.principals.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    assert len(rows) == len(_rows(IMDB_SAMPLE / "title.principals.tsv"))
