"""TMDB rows beside IMDb rows: a title or person whose TMDB details carry an IMDb id (``imdb_id``, or
``external_ids.imdb_id`` from ``append_to_response=external_ids``) is stored under it and merges; the rest keep
``tmdb:`` ids, and `ingest tmdb` says on stderr how many, and that such a film or person counts twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests._reliability import copy_sample, q
from tests.conftest import run_cli

WARNING = "crewparity: warning:"


def _ingest(db: Path, *files: Path) -> tuple[str, str]:
    result = run_cli("ingest", "tmdb", *map(str, files), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def _warnings(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith(WARNING)]


def test_tmdb_ids_beside_imdb_rows_are_warned_about(store: Path, shared_data: Path) -> None:
    stdout, stderr = _ingest(store, *sorted((shared_data / "tmdb_api").glob("*.json")))
    assert "Ingested" in stdout
    [line] = _warnings(stderr)
    titles = q(store, "SELECT count(*) FROM titles WHERE source = 'tmdb' AND title_id LIKE 'tmdb:%'")[0][0]
    people = q(store, "SELECT count(*) FROM people WHERE source = 'tmdb' AND person_id LIKE 'tmdb:%'")[0][0]
    assert titles > 100 and people > 100
    assert f"{titles:,} titles and {people:,} people from TMDB were added with tmdb: ids" in line
    assert "not matched to the store's IMDb ids" in line and "counts twice" in line
    # movie.json (imdb_id tt6751668) and person.json (nm0000233) are stored under their IMDb ids
    assert "(1 title and 1 person whose" in line


def test_no_warning_without_imdb_rows(tmp_path: Path, shared_data: Path) -> None:
    _, stderr = _ingest(tmp_path / "tmdb-only.duckdb", *sorted((shared_data / "tmdb_api").glob("*.json")))
    assert _warnings(stderr) == []


def test_external_ids_give_the_imdb_id(tmp_path: Path, shared_data: Path) -> None:
    """The same responses fetched with append_to_response=external_ids: the id sits in external_ids."""
    src = shared_data / "tmdb_api"
    files = []
    for name in ("movie.json", "person.json"):
        doc = json.loads((src / name).read_text(encoding="utf-8"))
        doc["external_ids"] = {"imdb_id": doc.pop("imdb_id"), "wikidata_id": None, "facebook_id": None}
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")
        files.append(tmp_path / name)
    db = tmp_path / "s.duckdb"
    _ingest(db, *files, src / "movieCredits.json", src / "personCredits.json")
    assert q(db, "SELECT kind, name FROM titles WHERE title_id = 'tt6751668'") == [("movie", "Parasite")]
    assert q(db, "SELECT count(*) FROM titles WHERE title_id = 'tmdb:movie:496243'") == [(0,)]
    assert q(db, "SELECT count(*) FROM credits WHERE title_id = 'tt6751668' AND role = 'director'") == [(1,)]
    assert q(db, "SELECT name FROM people WHERE person_id = 'nm0000233'") == [("Quentin Tarantino",)]
    assert q(db, "SELECT count(*) FROM people WHERE person_id = 'tmdb:person:138'") == [(0,)]
    assert q(db, "SELECT gender FROM gender_evidence WHERE person_id = 'nm0000233' AND source = 'tmdb'") == [("man",)]


def test_rows_with_an_imdb_id_merge_with_the_imdb_rows(tmp_path: Path, shared_data: Path) -> None:
    """An IMDb store that has Parasite and Tarantino: TMDB adds no second row for either, the IMDb rows win, and
    IMDb's evidence stays first in precedence order beside TMDB's (DESIGN: TMDB before IMDb's own labels)."""
    dump = copy_sample(tmp_path / "dump")
    with open(dump / "title.basics.tsv", "a", encoding="utf-8") as fh:
        fh.write("tt6751668\tmovie\tParasite\tGisaengchung\t0\t2019\t\\N\t132\tComedy,Drama,Thriller\n")
    with open(dump / "name.basics.tsv", "a", encoding="utf-8") as fh:
        fh.write("nm0000233\tQuentin Tarantino\t1963\t\\N\twriter,director,actor\ttt0110912\n")
    db = tmp_path / "s.duckdb"
    result = run_cli("ingest", "imdb", str(dump), "--db", str(db))
    assert result.returncode == 0, result.stderr
    src = shared_data / "tmdb_api"
    _, stderr = _ingest(db, src / "movie.json", src / "movieCredits.json", src / "person.json",
                        src / "personCredits.json")
    assert q(db, "SELECT source, name FROM titles WHERE title_id = 'tt6751668'") == [("imdb", "Parasite")]
    assert q(db, "SELECT count(*) FROM titles WHERE name = 'Parasite'") == [(1,)]
    assert q(db, "SELECT source FROM people WHERE person_id = 'nm0000233'") == [("imdb",)]
    assert q(db, "SELECT count(*) FROM people WHERE name = 'Quentin Tarantino'") == [(1,)]
    assert q(db, "SELECT source FROM resolved_gender WHERE person_id = 'nm0000233'") == [("tmdb",)]
    [line] = _warnings(stderr)
    assert re.search(r"\(1 title and 1 person whose", line)


def test_ingest_imdb_after_tmdb_warns_the_same_way(tmp_path: Path, shared_data: Path) -> None:
    """The other order: TMDB first, IMDb second. A user review found only `ingest tmdb` warning; `ingest imdb`
    now says the same (tmdb.unmatched_warning, one function for both), counted from the rows it carries over."""
    db = tmp_path / "s.duckdb"
    _, stderr = _ingest(db, *sorted((shared_data / "tmdb_api").glob("*.json")))
    assert _warnings(stderr) == []  # no IMDb rows yet
    dump = copy_sample(tmp_path / "dump")
    result = run_cli("ingest", "imdb", str(dump), "--db", str(db))
    assert result.returncode == 0, result.stderr
    [line] = _warnings(result.stderr)
    titles = q(db, "SELECT count(*) FROM titles WHERE source = 'tmdb' AND title_id LIKE 'tmdb:%'")[0][0]
    people = q(db, "SELECT count(*) FROM people WHERE source = 'tmdb' AND person_id LIKE 'tmdb:%'")[0][0]
    assert titles > 100 and people > 100
    assert f"{titles:,} titles and {people:,} people from TMDB are in the store with tmdb: ids" in line
    assert "not matched to the store's IMDb ids" in line and "counts twice" in line
    assert "(TMDB rows whose /movie/{id} or /person/{id} file gave an imdb_id are stored under it and merge)" in line
    # and a second IMDb load still says it: the TMDB rows are still there
    again = run_cli("ingest", "imdb", str(dump), "--db", str(db))
    assert again.returncode == 0 and _warnings(again.stderr) == [line]


def test_ingest_imdb_without_tmdb_rows_says_nothing(tmp_path: Path) -> None:
    from crewparity import api

    dump = copy_sample(tmp_path / "dump")
    result = run_cli("ingest", "imdb", str(dump), "--db", str(tmp_path / "s.duckdb"))
    assert result.returncode == 0 and _warnings(result.stderr) == []
    assert api.ingest_imdb(dump, tmp_path / "s.duckdb").warnings == []
