"""Options only `series --rank` reads are refused without it (they were ignored and still echoed in the
reproduce line), one line each, in the style of "--rejects needs --skip-bad"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("args,message", [
    (["--min-episodes", "3"], "--min-episodes needs --rank best|worst"),
    (["--min-episodes", "1"], "--min-episodes needs --rank best|worst"),
    (["--limit", "2"], "--limit needs --rank best|worst"),
    (["--from", "2015", "--to", "2016"], "--from and --to need --rank best|worst"),
])
def test_rank_options_without_rank(args: list[str], message: str, demo_db_names_only: Path) -> None:
    result = run_cli("series", "Jessica", *args, "--db", str(demo_db_names_only))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"crewparity: error: {message}\n"


def test_season_does_not_go_with_rank(demo_db_names_only: Path) -> None:
    result = run_cli("series", "--rank", "best", "--season", "1", "--db", str(demo_db_names_only))
    assert result.returncode == 1
    assert result.stderr == "crewparity: error: --season picks a season of one series; it does not go with --rank\n"


def test_codirected_does_not_go_with_episodes(demo_db_names_only: Path) -> None:
    result = run_cli("series", "Jessica", "--episodes", "--codirected", "fractional", "--db", str(demo_db_names_only))
    assert result.returncode == 1 and result.stderr.startswith("crewparity: error: --codirected")


def test_with_rank_they_work_and_are_echoed(demo_db_names_only: Path) -> None:
    result = run_cli("series", "--rank", "best", "--min-episodes", "13", "--db", str(demo_db_names_only))
    assert result.returncode == 0, result.stderr
    assert "crewparity series --rank best --min-episodes 13" in result.stdout
    assert "Marvel's Jessica Jones" in result.stdout


@pytest.mark.parametrize("limit", ["-1", "0"])
def test_limit_below_one_is_one_error_line(limit: str, demo_db_names_only: Path) -> None:
    # -1 was a DuckDB BinderException traceback; 0 an empty list with "no series-season ... is on the list"
    # although seasons are on it
    result = run_cli("series", "--rank", "worst", "--limit", limit, "--db", str(demo_db_names_only))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"crewparity: error: --limit must be at least 1, got {limit}\n"


@pytest.mark.parametrize("limit", [-1, 0])
def test_python_api_limit_below_one_is_an_argument_error(limit: int, demo_db_names_only: Path) -> None:
    import crewparity

    with crewparity.open(demo_db_names_only) as cp, pytest.raises(crewparity.ArgumentError) as caught:
        cp.series_rank("worst", limit=limit)
    assert str(caught.value) == f"limit must be at least 1, got {limit}"
    with crewparity.open(demo_db_names_only) as cp:
        assert cp.series_rank("best", limit=1).num_rows == 1  # (the demo has one season on a list)
