"""`crewparity series ID` for a title that is not a series, or --season for a season the series does not
have: one line naming it, exit 1 (it printed an empty table with exit 0). And every series id the tool prints
(tmdb:tv:60573 from a TMDB ingest) finds its series."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ingest_cli, run_cli, tmdb_responses


@pytest.fixture(scope="module")
def tmdb_db(demo_db_names_only: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("tmdb") / "demo_tmdb.duckdb"
    shutil.copyfile(demo_db_names_only, db)
    return ingest_cli("tmdb", *tmdb_responses(shared_data), db=db)


def _error(result: object) -> str:
    assert result.returncode == 1, result.stdout  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    err: str = result.stderr  # type: ignore[attr-defined]
    assert err.count("\n") == 1 and err.startswith("crewparity: error: ") and "Traceback" not in err, err
    return err.strip()


@pytest.mark.parametrize("extra", [[], ["--episodes"]])
@pytest.mark.parametrize("query", ["tt0068646", "TT0068646"])
def test_a_movie_is_not_a_series(query: str, extra: list[str], demo_db_names_only: Path) -> None:
    err = _error(run_cli("series", query, *extra, "--db", str(demo_db_names_only)))
    assert err == ("crewparity: error: tt0068646 (The Godfather) is a movie, not a series; "
                   "give a TV series or mini-series")


def test_an_episode_names_its_series(demo_db_names_only: Path) -> None:
    err = _error(run_cli("series", "tt4162058", "--db", str(demo_db_names_only)))
    assert "tt4162058 (AKA Ladies Night) is an episode of Marvel's Jessica Jones (tt2357547)" in err
    assert "crewparity series tt2357547" in err


@pytest.mark.parametrize("extra", [[], ["--episodes"]])
@pytest.mark.parametrize("season", ["0", "3"])
def test_a_season_the_series_does_not_have(season: str, extra: list[str], demo_db_names_only: Path) -> None:
    err = _error(run_cli("series", "Jessica Jones", "--season", season, *extra, "--db", str(demo_db_names_only)))
    assert err == (f"crewparity: error: Marvel's Jessica Jones (tt2357547) has no season {season}; "
                   "seasons: 1, 2")


def test_a_season_it_has_still_works(demo_db_names_only: Path) -> None:
    result = run_cli("series", "tt2357547", "--season", "2", "-f", "csv", "--db", str(demo_db_names_only))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("tt2357547,Marvel's Jessica Jones,2,13,")


def test_an_unknown_id(demo_db_names_only: Path) -> None:
    assert _error(run_cli("series", "tt0000001", "--db", str(demo_db_names_only))) == (
        "crewparity: error: no title with id 'tt0000001' in the store")


@pytest.mark.parametrize("extra", [[], ["--episodes"], ["--season", "1"]])
def test_a_tmdb_series_id_as_printed(extra: list[str], tmdb_db: Path) -> None:
    listed = run_cli("series", "Silicon Valley", "-f", "csv", "--db", str(tmdb_db))
    assert listed.returncode == 0 and "tmdb:tv:60573," in listed.stdout  # the id as the tool prints it
    result = run_cli("series", "tmdb:tv:60573", *extra, "-f", "csv", "--db", str(tmdb_db))
    assert result.returncode == 0, result.stderr
    body = result.stdout.splitlines()[1:]
    assert body and all(",Silicon Valley," in line for line in body)


def test_tmdb_ids_that_are_not_series(tmdb_db: Path) -> None:
    assert "is an episode of Silicon Valley (tmdb:tv:60573)" in _error(
        run_cli("series", "tmdb:tv:60573:s1e1", "--db", str(tmdb_db)))
    assert "(From Dusk Till Dawn) is a movie, not a series" in _error(
        run_cli("series", "tmdb:movie:755", "--db", str(tmdb_db)))
    assert _error(run_cli("series", "tmdb:tv:60573", "--season", "9", "--db", str(tmdb_db))) == (
        "crewparity: error: Silicon Valley (tmdb:tv:60573) has no season 9; seasons: 0, 1, 2, 3, 4, 5, 6")
    assert "no title with id 'tmdb:tv:1'" in _error(run_cli("series", "tmdb:tv:1", "--db", str(tmdb_db)))


def test_a_series_without_episodes_says_so(tmdb_db: Path) -> None:
    """The Golden Girls is in TMDB's data as a credit only: the table is empty, and stderr says why."""
    result = run_cli("series", "tmdb:tv:1678", "--db", str(tmdb_db))
    assert result.returncode == 0
    assert result.stderr.startswith("crewparity: note: the store holds no episodes for")
