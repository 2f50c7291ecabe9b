"""Ingest order does not change the numbers: IMDb then TMDB gives the same store as TMDB then IMDb.

Why: `ingest tmdb` adds only the rows the store does not hold yet (a movie or person a details file gives an IMDb id
for, a credit of the same title, person and role), so after an IMDb load those rows are IMDb's, once. The other way
round `ingest imdb` carried the TMDB rows over and added its own beside them: Parasite and Pulp Fiction were two
titles each, Tarantino two people, his Pulp Fiction director and writer credits counted twice, and `share --unit
credits` counted 329 credits where the other order counted 309 (every credit of the two films twice, since share
joins the credits to their titles). A crew list that names a person by IMDb id did the same to the people table.

The data is real: the IMDb sample lines, the TMDB API responses of tmdb_api/, and the real IMDb lines of Parasite,
Pulp Fiction, Bong Joon Ho, Quentin Tarantino and Roger Avary (ids, years, runtimes as IMDb gives them); Pulp
Fiction's details response is movie.json's shape with Pulp Fiction's TMDB id 680, IMDb id and facts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

import crewparity
from crewparity import api
from tests._reliability import copy_sample

#: the tables an ingest writes, compared row by row (as sorted lists: equal multisets of rows)
CANONICAL = ("titles", "people", "credits", "gender_evidence", "resolved_gender")
SHARES = [dict(by="none", unit=u) for u in ("credits", "people", "titles")] + [
    dict(by="title", unit="credits"), dict(by="role", unit="people"), dict(by="year", unit="credits"),
    dict(by="kind", unit="titles"), dict(by="genre", unit="credits")]


def _append(dump: Path, name: str, lines: list[str]) -> None:
    with open(dump / f"{name}.tsv", "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, list[Path]]:
    """The IMDb sample with Parasite, Pulp Fiction and their directors and writers; every TMDB response, and Pulp
    Fiction's details (with its imdb_id, so that Tarantino's credits on it from personCredits.json are on tt0110912)."""
    base = tmp_path_factory.mktemp("order")
    dump = copy_sample(base / "dump")
    _append(dump, "title.basics", [
        "tt6751668\tmovie\tParasite\tGisaengchung\t0\t2019\t\\N\t132\tComedy,Drama,Thriller",
        "tt0110912\tmovie\tPulp Fiction\tPulp Fiction\t0\t1994\t\\N\t154\tCrime,Drama"])
    _append(dump, "title.crew", ["tt6751668\tnm0094435\tnm0094435", "tt0110912\tnm0000233\tnm0000233,nm0000812"])
    _append(dump, "name.basics", [
        "nm0000233\tQuentin Tarantino\t1963\t\\N\twriter,director,actor\ttt0110912",
        "nm0094435\tBong Joon Ho\t1969\t\\N\tdirector,writer,producer\ttt6751668",
        "nm0000812\tRoger Avary\t1965\t\\N\twriter,director,producer\ttt0110912"])
    tmdb_dir = base / "tmdb"
    tmdb_dir.mkdir()
    for f in sorted((shared_data / "tmdb_api").glob("*.json")):
        shutil.copy(f, tmdb_dir / f.name)
    doc = json.loads((tmdb_dir / "movie.json").read_text(encoding="utf-8"))
    doc.pop("credits", None)
    doc.update(id=680, imdb_id="tt0110912", title="Pulp Fiction", original_title="Pulp Fiction",
               release_date="1994-09-10", runtime=154)
    (tmdb_dir / "movie680.json").write_text(json.dumps(doc), encoding="utf-8")
    return dump, sorted(tmdb_dir.glob("*.json"))


def _rows(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in CANONICAL}
    finally:
        con.close()


def _figures(db: Path) -> dict[str, Any]:
    with crewparity.open(db) as c:
        out: dict[str, Any] = {f"share {s}": sorted(map(repr, c.share(**s).to_pylist())) for s in SHARES}
        out["series"] = c.series("Silicon Valley").to_pylist()
        out["series episodes"] = sorted(map(repr, c.series_episodes("Silicon Valley").to_pylist()))
    return out


@pytest.fixture(scope="module")
def stores(inputs: tuple[Path, list[Path]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dump, files = inputs
    base = tmp_path_factory.mktemp("order-stores")
    imdb_first, tmdb_first, again = base / "imdb-first.duckdb", base / "tmdb-first.duckdb", base / "again.duckdb"
    api.ingest_imdb(dump, imdb_first)
    api.ingest_tmdb(files, imdb_first)
    api.ingest_tmdb(files, tmdb_first)
    api.ingest_imdb(dump, tmdb_first)
    shutil.copyfile(tmdb_first, again)
    api.ingest_tmdb(files, again)  # TMDB, IMDb, TMDB again: the last TMDB load finds IMDb's rows, as in imdb-first
    return {"imdb-first": imdb_first, "tmdb-first": tmdb_first, "again": again}


def test_both_orders_store_the_same_rows(stores: dict[str, Path]) -> None:
    first, second, again = (_rows(stores[k]) for k in ("imdb-first", "tmdb-first", "again"))
    for table in CANONICAL:
        assert second[table] == first[table], table
        assert again[table] == first[table], table


def test_both_orders_give_the_same_figures(stores: dict[str, Path]) -> None:
    first = _figures(stores["imdb-first"])
    assert first["series"] and first["share {'by': 'none', 'unit': 'credits'}"]
    assert _figures(stores["tmdb-first"]) == first
    assert _figures(stores["again"]) == first


def test_a_title_person_and_credit_in_both_sources_is_stored_once_as_imdbs(stores: dict[str, Path]) -> None:
    for db in stores.values():
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("SELECT title_id, source FROM titles WHERE title_id IN ('tt0110912', 'tt6751668') "
                               "ORDER BY 1").fetchall() == [("tt0110912", "imdb"), ("tt6751668", "imdb")], db
            assert con.execute("SELECT source FROM people WHERE person_id = 'nm0000233'").fetchall() == [("imdb",)]
            assert con.execute("SELECT role, source FROM credits WHERE title_id = 'tt0110912' AND person_id = "
                               "'nm0000233' ORDER BY 1").fetchall() == [
                ("actor", "tmdb"), ("director", "imdb"), ("writer", "imdb")]  # he is in its cast: TMDB's alone
            # the TMDB credits of the same films by people TMDB knows only by its own ids stay (not matched)
            (tmdb_credits,), = con.execute("SELECT count(*) FROM credits WHERE title_id = 'tt6751668' "
                                           "AND source = 'tmdb'").fetchall()
            assert tmdb_credits > 10
        finally:
            con.close()


def test_the_imdb_summary_says_what_it_merged(inputs: tuple[Path, list[Path]], tmp_path: Path) -> None:
    dump, files = inputs
    db = tmp_path / "s.duckdb"
    assert api.ingest_imdb(dump, db).merged == {}  # nothing carried over: nothing to merge
    api.ingest_tmdb(files, tmp_path / "t.duckdb")
    steps: list[str] = []
    summary = api.ingest_imdb(dump, tmp_path / "t.duckdb", progress=steps.append)
    # Parasite and Pulp Fiction, Tarantino, and his Pulp Fiction credits: Director, Screenplay and Story
    assert summary.merged == {"titles": 2, "people": 1, "credits": 3}
    assert "merging the other sources' rows that IMDb has" in steps
    assert summary.in_store["titles"] == _count(tmp_path / "t.duckdb", "titles")


def _count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    finally:
        con.close()


def test_a_crew_list_naming_an_imdb_person_gives_the_same_store_either_way(inputs: tuple[Path, list[Path]],
                                                                          tmp_path: Path) -> None:
    """A crew list may name a person by IMDb id: after an IMDb load its people row is not added; before one it was,
    and the IMDb load added a second row for the same person."""
    dump, _ = inputs
    crew = tmp_path / "crew.csv"
    crew.write_text("title,year,kind,name,role,gender,person_id\n"
                    "Our Film,2024,,Quentin Tarantino,Director,,nm0000233\n", encoding="utf-8")
    first, second = tmp_path / "imdb-first.duckdb", tmp_path / "list-first.duckdb"
    api.ingest_imdb(dump, first)
    api.ingest_crewlist(crew, first)
    api.ingest_crewlist(crew, second)
    api.ingest_imdb(dump, second)
    assert _rows(second) == _rows(first)
    assert _count(second, "people") == _count(first, "people")
