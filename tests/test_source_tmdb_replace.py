"""`crewparity ingest tmdb` replaces the earlier TMDB load whole, and says on stderr what that drops.

Ingesting all 13 real responses and then showSeason2.json alone dropped the other seasons, the show's details,
the movie and the person (TMDB evidence 142 -> 11 rows) without a word, where overrides and Wikidata say
"N people ... lose it". The load still replaces (the ids a /person file maps to IMDb hold only within one ingest:
see docs/sources.md), and now warns with the numbers of titles, credits and people's gender evidence dropped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from crewparity import api
from crewparity.cli import app

runner = CliRunner()


def _ids(db: Path) -> dict[str, set[tuple[str, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "titles": set(con.execute("SELECT title_id FROM titles WHERE source = 'tmdb'").fetchall()),
            "credits": set(con.execute("SELECT title_id, person_id, role FROM credits WHERE source = 'tmdb'").fetchall()),
            "people": set(con.execute("SELECT DISTINCT person_id FROM gender_evidence WHERE source = 'tmdb'").fetchall()),
        }
    finally:
        con.close()


def _tmdb(db: Path, *files: Path) -> tuple[str, str]:
    r = runner.invoke(app, ["ingest", "tmdb", *map(str, files), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r.stdout, r.stderr


def test_one_season_after_the_whole_collection_warns_what_it_drops(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "t.duckdb"
    files = sorted((shared_data / "tmdb_api").glob("*.json"))
    assert len(files) == 13
    _out, err = _tmdb(db, *files)
    assert err == ""  # the first load drops nothing
    before = _ids(db)
    _out, err = _tmdb(db, shared_data / "tmdb_api" / "showSeason2.json")
    after = _ids(db)
    lost = {k: len(before[k] - after[k]) for k in before}
    assert lost["titles"] > 100 and lost["credits"] > 400 and lost["people"] > 100, lost  # what the review saw
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("crewparity: warning: "), err
    line = lines[0]
    for needle in (f"{lost['titles']:,} titles", f"{lost['credits']:,} credits",
                   f"TMDB gender evidence of {lost['people']:,} people", "earlier TMDB load",
                   "Parasite (tt6751668)", "48 episodes of Silicon Valley (tmdb:tv:60573)",
                   "give all the files of a collection in one command",
                   # the season's series stays as a row without a name: that is said too
                   "the series Silicon Valley (tmdb:tv:60573) loses its name"):
        assert needle in line, (needle, line)
    # docs/sources.md shows this very line, wrapped at spaces
    doc = (Path(__file__).resolve().parents[1] / "docs" / "sources.md").read_text(encoding="utf-8")
    block = doc.split("then `showSeason2.json` alone:\n\n```\n", 1)[1].split("\n```", 1)[0]
    assert " ".join(block.splitlines()) == line


def test_a_reload_of_the_same_files_or_more_warns_nothing(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "t.duckdb"
    tmdb = shared_data / "tmdb_api"
    some = [tmdb / "movie.json", tmdb / "movieCredits.json"]
    assert _tmdb(db, *some)[1] == ""
    assert _tmdb(db, *some)[1] == ""  # the same rows again: nothing dropped
    assert _tmdb(db, *sorted(tmdb.glob("*.json")))[1] == ""  # a superset: nothing dropped


def test_the_api_returns_the_warning(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "t.duckdb"
    tmdb = shared_data / "tmdb_api"
    api.ingest_tmdb([tmdb / "movie.json", tmdb / "movieCredits.json"], db)
    summary = api.ingest_tmdb([tmdb / "movie.json"], db)  # the details again, without the credits
    credits = [w for w in summary.warnings if "earlier TMDB load" in w]
    assert len(credits) == 1, summary.warnings
    assert " 0 titles" not in credits[0] and "credits" in credits[0] and "Parasite" not in credits[0]
