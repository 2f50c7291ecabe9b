"""`ingest tmdb --evidence-only` / `fetch tmdb --evidence-only`: TMDB as a gender source for an IMDb store.

Why: a full TMDB load adds TMDB's titles and credits, and a series under `tmdb:tv:` ids beside IMDb's own episodes
counts twice, so a researcher with an IMDb store could not take TMDB's recorded genders for its people. With
`--evidence-only` the load keeps only the TMDB genders of people a `/person/{id}` file links to an IMDb id.

The store is the bundled demo's IMDb files with its Wikidata genders (tests.conftest's `demo_db_names_only`: the
Jessica Jones season 2 directors the Wikidata file lacks rest on the first-name model). The TMDB files are the real
responses of the shared data (Silicon Valley, Parasite, and Quentin Tarantino's page, whose nm0000233 the demo
holds with a Wikidata gender) and two /person pages in TMDB's real shape (person.json with its ids changed) for two
of those directors, Minkie Spiro and Zetna Fuentes, women as the demo's curated_genders.csv records them.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import duckdb
import pytest

import crewparity
from crewparity import api
from crewparity.demo import demo_folder
from crewparity.errors import InputError
from tests._local_server import local_server
from tests._reliability import copy_sample
from tests.conftest import SHARED_DATA, run_cli, tmdb_responses
from tests.test_fetch_tmdb import KEY, SERIES, Tmdb, fetch_cli
from tests.test_source_wikidata import snapshot

DATA = SHARED_DATA / "tmdb_api"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared TMDB responses not found at {DATA}")

SPIRO, FUENTES, TARANTINO, CLARKSON = "nm9900000011", "nm9900000017", "nm0000233", "nm9900000001"
JJ = "Marvel's Jessica Jones"
SHARES: list[dict[str, Any]] = [dict(by="none", unit=u) for u in ("credits", "people", "titles")] + [
    dict(by="role", unit="people"), dict(by="year", unit="credits"), dict(by="kind", unit="titles"),
    dict(by="genre", unit="credits")]


def person_file(folder: Path, tmdb_id: int, imdb_id: str | None, name: str, gender: int) -> Path:
    """A /person/{id} response in TMDB's real shape: person.json with another person's ids, name and gender."""
    doc = json.loads((DATA / "person.json").read_text(encoding="utf-8"))
    doc.update(id=tmdb_id, imdb_id=imdb_id, name=name, gender=gender, also_known_as=[], birthday=None,
               biography="", place_of_birth=None)
    path = folder / f"person-{tmdb_id}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    """Every real TMDB response of the shared data and the /person pages of two Jessica Jones directors."""
    folder = tmp_path / "tmdb"
    folder.mkdir()
    for f in tmdb_responses(SHARED_DATA):
        shutil.copy(f, folder / f.name)
    person_file(folder, 9000011, SPIRO, "Minkie Spiro", 1)
    person_file(folder, 9000017, FUENTES, "Zetna Fuentes", 1)
    return sorted(folder.glob("*.json"))


@pytest.fixture()
def db(demo_db_names_only: Path, tmp_path: Path) -> Path:
    out = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_names_only, out)
    return out


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def resolved(db: Path, pid: str) -> tuple[str, str]:
    (row,) = rows(db, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid])
    return row


def tmdb_rows(db: Path) -> dict[str, int]:
    return {t: rows(db, f"SELECT count(*) FROM {t} WHERE source = 'tmdb'")[0][0]
            for t in ("titles", "people", "credits", "gender_evidence")}


def structure(db: Path) -> dict[str, list[str]]:
    """titles, people and credits, row by row: what an evidence-only load must leave as it was."""
    return {t: v for t, v in snapshot(db).items() if t in ("titles", "people", "credits")}


def figures(db: Path) -> dict[str, Any]:
    with crewparity.open(db) as c, warnings.catch_warnings():
        warnings.simplefilter("ignore", crewparity.AbsentRoleWarning)  # the demo has no executive producer
        out: dict[str, Any] = {f"share {s}": sorted(map(repr, c.share(**s).to_pylist())) for s in SHARES}
        out["series"] = c.series(JJ).to_pylist()
        episodes = c.series_episodes(JJ).to_pylist()
    # each episode's director with the source of their gender (tmdb here, overrides in the store compared): the
    # figures are compared without it, and the source is checked on its own
    out["series episodes"] = sorted(repr({k: v for k, v in e.items() if k != "source"}) for e in episodes)
    out["sources"] = {e["source"] for e in episodes}
    return out


def test_evidence_only_gives_imdb_people_tmdb_genders_and_nothing_else(db: Path, files: list[Path]) -> None:
    before = structure(db)
    assert resolved(db, SPIRO) == ("unknown", "name_model") and resolved(db, FUENTES) == ("unknown", "none")
    assert resolved(db, TARANTINO) == ("man", "wikidata")

    summary = api.ingest_tmdb(files, db, evidence_only=True)

    # only the evidence of the three people a /person file links to an IMDb id; no titles, credits or people
    assert tmdb_rows(db) == {"titles": 0, "people": 0, "credits": 0, "gender_evidence": 3}
    assert rows(db, "SELECT person_id, gender, detail FROM gender_evidence WHERE source = 'tmdb' ORDER BY 1") == [
        (TARANTINO, "man", "TMDB person 138 gender 2"), (SPIRO, "woman", "TMDB person 9000011 gender 1"),
        (FUENTES, "woman", "TMDB person 9000017 gender 1")]
    assert structure(db) == before
    # TMDB wins over the name model; Wikidata still wins over TMDB
    assert resolved(db, SPIRO) == ("woman", "tmdb") and resolved(db, FUENTES) == ("woman", "tmdb")
    assert resolved(db, TARANTINO) == ("man", "wikidata")
    # and an override over TMDB
    api.ingest_overrides(demo_folder() / "curated_genders.csv", db)
    assert resolved(db, SPIRO) == ("woman", "overrides")

    # the summary says what was left out, counted; the "counts twice" warning is not said (nothing was added)
    assert summary.rows["gender_evidence"] == 3 and summary.rows["titles"] == summary.rows["credits"] == 0
    assert summary.read["titles"] == 193 and summary.read["credits"] == 582
    assert summary.skipped["titles (evidence only)"] == 193
    assert summary.skipped["credits (evidence only)"] == 582
    assert summary.skipped["people with a TMDB gender but no IMDb id (evidence only)"] == 141
    assert summary.warnings == [
        "evidence only: 3 people with a TMDB gender linked to IMDb ids; 141 people with a gender but no IMDb id "
        "(no /person/{id} file, or TMDB has none) were left out; titles and credits were not loaded (193 titles, "
        "582 credits in the files)"]
    assert rows(db, "SELECT detail FROM sources WHERE source = 'tmdb'")[0][0].startswith(
        "evidence only; gender_evidence=3; files ")


def test_figures_change_only_through_the_genders(db: Path, files: list[Path], tmp_path: Path) -> None:
    """The store's figures after the evidence-only load are those of the same store with the two directors'
    genders given by an override: nothing else moved (no title, credit or person added)."""
    plain = figures(db)
    same_by_override = tmp_path / "override.duckdb"
    shutil.copyfile(db, same_by_override)
    (tmp_path / "two.csv").write_text(f"person_id,gender\n{SPIRO},woman\n{FUENTES},woman\n", encoding="utf-8")
    api.ingest_overrides(tmp_path / "two.csv", same_by_override)

    api.ingest_tmdb(files, db, evidence_only=True)

    after, other = figures(db), figures(same_by_override)
    assert after.pop("sources") - other.pop("sources") == {"tmdb"}
    assert after == other
    assert after["series"] != plain["series"]  # the two genders do count


def test_replaces_a_full_load_whole(db: Path, files: list[Path], tmp_path: Path) -> None:
    """After a full TMDB load (titles under tmdb: ids, counted twice beside IMDb's), an evidence-only load of the
    same files takes them out again, says so, and gives the figures of an evidence-only load alone."""
    alone = tmp_path / "alone.duckdb"
    shutil.copyfile(db, alone)
    api.ingest_tmdb(files, alone, evidence_only=True)
    before = structure(db)
    full = api.ingest_tmdb(files, db)
    assert any("counts twice" in w for w in full.warnings)
    assert tmdb_rows(db)["titles"] > 0

    summary = api.ingest_tmdb(files, db, evidence_only=True)

    assert tmdb_rows(db) == {"titles": 0, "people": 0, "credits": 0, "gender_evidence": 3}
    assert structure(db) == before
    assert not any("counts twice" in w for w in summary.warnings)
    assert summary.warnings[0].startswith(
        "192 titles, 570 credits and the TMDB gender evidence of 141 people from the earlier TMDB load are not "
        "among what this evidence-only load keeps, and are dropped")
    assert figures(db) == figures(alone)
    assert snapshot(db)["resolved_gender"] == snapshot(alone)["resolved_gender"]


def test_cli(db: Path, files: list[Path]) -> None:
    r = run_cli("ingest", "tmdb", *map(str, files), "--evidence-only", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "crewparity: warning: evidence only: 3 people with a TMDB gender linked to IMDb ids;" in r.stderr
    assert "counts twice" not in r.stderr
    assert "titles (evidence only): 193" in r.stdout and "credits (evidence only): 582" in r.stdout
    assert resolved(db, SPIRO) == ("woman", "tmdb")
    assert tmdb_rows(db)["titles"] == 0
    help_text = run_cli("ingest", "tmdb", "--help").stdout
    assert "--evidence-only" in help_text


def test_nothing_linkable_is_a_load_that_says_why(db: Path, files: list[Path]) -> None:
    """Files whose people have no IMDb id (no /person file) store no evidence: a valid load (it still replaces the
    earlier TMDB load, said in its own warning), not an error, with a line saying why and what to add."""
    api.ingest_tmdb(files, db, evidence_only=True)
    seasons = [f for f in files if f.name.startswith("show")]
    r = run_cli("ingest", "tmdb", *map(str, seasons), "--evidence-only", "--db", str(db))
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert ("crewparity: warning: the TMDB gender evidence of 3 people from the earlier TMDB load are not among "
            "what this evidence-only load keeps, and are dropped") in lines[0]
    assert lines[1] == (
        "crewparity: warning: evidence only: none of the 95 people with a TMDB gender in these files is linked to "
        "an IMDb id, so no TMDB gender evidence was stored: there is no /person/{id} file among them; add the "
        "people's /person/{id} responses, which carry the imdb_id, as fetch tmdb --evidence-only does; titles and "
        "credits were not loaded (59 titles, 341 credits in the files)")
    assert tmdb_rows(db) == {"titles": 0, "people": 0, "credits": 0, "gender_evidence": 0}
    assert resolved(db, SPIRO) == ("unknown", "name_model")

    # a /person file without an imdb_id: said so
    nobody = person_file(files[0].parent, 9000099, None, "Nobody Linked", 1)
    summary = api.ingest_tmdb([nobody], db, evidence_only=True)
    assert summary.warnings == [
        "evidence only: none of the 1 person with a TMDB gender in these files is linked to an IMDb id, so no TMDB "
        "gender evidence was stored: the 1 /person/{id} file among them gives no imdb_id for them; titles and "
        "credits were not loaded (0 titles, 0 credits in the files)"]


def test_linked_people_the_store_lacks_are_counted(tmp_path: Path, files: list[Path]) -> None:
    """Evidence of an IMDb person the store does not hold is kept (it counts once a load adds them) and no people
    row is made for them; the line says how many."""
    db = tmp_path / "sample.duckdb"
    api.ingest_imdb(SHARED_DATA / "imdb_sample_2021", db)
    summary = api.ingest_tmdb(files, db, evidence_only=True)
    assert summary.warnings[0].startswith("evidence only: 3 people with a TMDB gender linked to IMDb ids (3 of them "
                                          "not in this store: no people or credits row; their evidence counts once "
                                          "a load adds them); 141 people")
    assert tmdb_rows(db) == {"titles": 0, "people": 0, "credits": 0, "gender_evidence": 3}
    assert rows(db, f"SELECT count(*) FROM resolved_gender WHERE person_id IN ('{SPIRO}', '{TARANTINO}')") == [(0,)]
    # an IMDb load that adds Tarantino (his real name.basics line) finds his TMDB gender waiting
    dump = copy_sample(tmp_path / "dump")
    with open(dump / "name.basics.tsv", "a", encoding="utf-8") as fh:
        fh.write("nm0000233\tQuentin Tarantino\t1963\t\\N\twriter,director,actor\ttt0110912\n")
    api.ingest_imdb(dump, db)
    assert resolved(db, TARANTINO) == ("man", "tmdb")
    assert tmdb_rows(db)["gender_evidence"] == 3


@pytest.mark.parametrize("bad,message", [
    ("{\"id\": 1,", "bad.json:1: not valid JSON"),
    (None, "bad.json: $.gender: expected 0 (not set), 1 (woman), 2 (man) or 3 (nonbinary), found a string (\"1\")"),
])
def test_a_bad_file_leaves_the_store_as_it_was(db: Path, files: list[Path], bad: str | None, message: str) -> None:
    api.ingest_tmdb(files, db, evidence_only=True)
    path = files[0].parent / "bad.json"
    if bad is None:  # a /person page whose gender is text
        doc = json.loads((DATA / "person.json").read_text(encoding="utf-8"))
        doc["gender"] = "1"
        bad = json.dumps(doc)
    path.write_text(bad, encoding="utf-8")
    before, data = snapshot(db), db.read_bytes()
    r = run_cli("ingest", "tmdb", *map(str, [*files, path]), "--evidence-only", "--db", str(db))
    assert r.returncode != 0
    assert r.stderr.startswith("crewparity: error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert message in r.stderr, r.stderr
    assert snapshot(db) == before and db.read_bytes() == data
    with pytest.raises(InputError):
        api.ingest_tmdb([*files, path], db, evidence_only=True)
    assert snapshot(db) == before


def test_fetch_evidence_only_asks_for_the_people(db: Path, tmp_path: Path) -> None:
    """`fetch_tmdb(..., evidence_only=True)` gets the /person pages without ``people=True`` (they link TMDB people
    to IMDb ids) and keeps exactly the IMDb-linked genders a full load of the same folder gives."""
    tmdb, folder, before = Tmdb(), tmp_path / "tmdb-api", structure(db)
    with local_server(tmdb.handler(), "/3") as url:
        summary = api.fetch_tmdb(f"tv:{SERIES}", db, save=folder, token=KEY, base_url=url, rate=1000, backoff=0,
                                 evidence_only=True)
    pages = sorted(folder.glob("person-*.json"))
    assert pages and {q["path"] for q in tmdb.requests} >= {f"/person/{p.stem.split('-')[1]}" for p in pages}
    assert tmdb_rows(db)["titles"] == tmdb_rows(db)["credits"] == tmdb_rows(db)["people"] == 0
    assert structure(db) == before
    full = tmp_path / "full.duckdb"
    api.ingest_tmdb(sorted(folder.glob("*.json")), full)
    linked = rows(full, "SELECT person_id, gender FROM gender_evidence WHERE source = 'tmdb' AND person_id LIKE 'nm%' "
                        "ORDER BY 1, 2")
    assert linked and rows(db, "SELECT person_id, gender FROM gender_evidence WHERE source = 'tmdb' "
                               "ORDER BY 1, 2") == linked
    assert summary.warnings[-1].startswith(f"evidence only: {len(linked)} people with a TMDB gender linked to IMDb ids "
                                           f"({len(linked)} of them not in this store")
    assert not any("counts twice" in w for w in summary.warnings)


def test_fetch_cli_evidence_only(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tmdb-api"
    with local_server(Tmdb().handler(), "/3") as url:
        r = fetch_cli(f"tv:{SERIES}", "--evidence-only", "--save", str(folder), "--db", str(db), "--base-url", url)
    assert r.returncode == 0, r.stderr
    assert f"rerun offline with `crewparity ingest tmdb {folder}/*.json --evidence-only`" in r.stdout
    assert "crewparity: warning: evidence only: " in r.stderr and "counts twice" not in r.stderr
    assert list(folder.glob("person-*.json"))
    assert tmdb_rows(db)["titles"] == 0 and tmdb_rows(db)["gender_evidence"] > 0
    assert "Implies --people" in " ".join(run_cli("fetch", "tmdb", "--help").stdout.split())
    # offline, the same folder gives the same store
    evidence = rows(db, "SELECT * FROM gender_evidence ORDER BY ALL")
    again = run_cli("ingest", "tmdb", *map(str, sorted(folder.glob("*.json"))), "--evidence-only", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT * FROM gender_evidence ORDER BY ALL") == evidence


def test_fetch_person_without_page_is_left_out(db: Path, tmp_path: Path) -> None:
    """A key crew member TMDB has no page for (HTTP 404) has no IMDb id: their gender is left out, and the warning
    says that (not, as a full load's does, that their credits are kept under tmdb:person ids)."""
    gone = 17403  # Mike Judge, a creator of Silicon Valley (show.json's created_by), gender 2
    folder = tmp_path / "tmdb-api"
    with local_server(Tmdb(missing={f"/person/{gone}"}).handler(), "/3") as url:
        summary = api.fetch_tmdb(f"tv:{SERIES}", db, save=folder, token=KEY, base_url=url, rate=1000, backoff=0,
                                 evidence_only=True)
    assert any(w.startswith(f"TMDB has no page for 1 of the key crew (person {gone}): their TMDB gender is left "
                            "out (no IMDb id to record it under)") for w in summary.warnings), summary.warnings
    assert not rows(db, "SELECT * FROM gender_evidence WHERE detail LIKE ?", [f"TMDB person {gone} %"])
    assert rows(db, "SELECT count(*) FROM gender_evidence WHERE source = 'tmdb'")[0][0] > 0
