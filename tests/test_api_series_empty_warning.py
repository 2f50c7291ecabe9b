"""An empty ``series``, ``series_episodes`` or ``series_rank`` table from the Python API warns with the line the
CLI notes on stderr, as an empty ``share`` does: a notebook got 0 rows and no word whether the series has no
directed episodes or the options left every season out."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import crewparity
from crewparity import api
from crewparity.metrics.empty import EmptyResultWarning
from tests.conftest import run_cli, tmdb_responses


@pytest.fixture(scope="module")
def tmdb_only(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real TMDB responses alone: The Golden Girls (tmdb:tv:1678) is in them as a credit, with no episode."""
    db = tmp_path_factory.mktemp("tmdb_only") / "tmdb.duckdb"
    api.ingest_tmdb(tmdb_responses(shared_data), db)
    return db


@pytest.mark.parametrize("method", ["series", "series_episodes"])
def test_a_series_without_episodes_warns_why(tmdb_only: Path, method: str) -> None:
    with crewparity.open(tmdb_only) as cp, pytest.warns(EmptyResultWarning) as caught:
        table = getattr(cp, method)("tmdb:tv:1678")
    assert table.num_rows == 0 and len(caught) == 1
    text = str(caught[0].message)
    assert text.startswith("the store holds no episodes for 'tmdb:tv:1678'")
    assert "include_pilots=True keeps them" in text and "--" not in text
    assert caught[0].filename == __file__  # the caller's line


@pytest.mark.parametrize(("undecided", "words"), [(False, "is on the worst list"),
                                                   (True, "is left out of the worst list")])
def test_an_empty_ranking_warns_why(demo_db_names_only: Path, undecided: bool, words: str) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.warns(EmptyResultWarning, match=words) as caught:
        table = cp.series_rank("worst", min_episodes=20, undecided=undecided)
    assert table.num_rows == 0 and caught[0].filename == __file__


def test_tables_with_rows_do_not_warn(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cp.series("Jessica Jones").num_rows == 2
        assert cp.series_episodes("tt2357547", season=1).num_rows == 13


def test_the_cli_notes_once_without_a_warning(tmdb_only: Path) -> None:
    r = run_cli("series", "tmdb:tv:1678", "-f", "csv", "--db", str(tmdb_only))
    assert r.returncode == 0 and "Warning" not in r.stderr
    assert r.stderr.count("the store holds no episodes for") == 1 and "--include-pilots keeps them" in r.stderr
