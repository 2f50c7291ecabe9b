"""A share, distribution or compare with no rows still exits 0 with its (empty) output in the format asked
for, and says on stderr, in one line, that nothing matches and the likely reason (stdout stays clean)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

# the demo's ratings file is empty: no title has a vote count, so a top:N sample holds nothing
TOP = ["--kind", "movie", "--sample", "top:250", "--from", "1998", "--to", "2024"]


def _note(result: object) -> str:
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("crewparity: note: "), result.stderr  # type: ignore[attr-defined]
    return lines[0]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_top_sample_without_vote_counts(fmt: str, demo_db_names_only: Path) -> None:
    result = run_cli("share", *TOP, "--by", "year", "--roles", "director", "-f", fmt,
                     "--db", str(demo_db_names_only))
    note = _note(result)
    assert "no credits match this selection" in note and "no IMDb vote counts" in note and "top:250" in note
    if fmt == "json":
        assert json.loads(result.stdout) == []
    elif fmt == "csv":
        assert result.stdout.startswith("year,women,men") and len(result.stdout.splitlines()) == 1
    else:
        assert "Women's share" in result.stdout and "no credits" not in result.stdout


def test_distribution_names_the_reason_once(demo_db_names_only: Path) -> None:
    note = _note(run_cli("distribution", *TOP, "--db", str(demo_db_names_only)))
    assert "no IMDb vote counts" in note


@pytest.mark.parametrize("args,reason", [
    (["--kind", "tv_mini_series"], "the store has no titles of kind tv_mini_series"),
    (["--from", "1900", "--to", "1910"], "the store's titles are from 1970 to"),
    (["--roles", "casting_director", "--kind", "movie"], "the store has no credits as casting_director"),
])
def test_share_reasons(args: list[str], reason: str, demo_db_names_only: Path) -> None:
    assert reason in _note(run_cli("share", *args, "--db", str(demo_db_names_only)))


def test_a_kind_the_store_lacks_names_the_kinds_it_has(demo_db_names_only: Path) -> None:
    """A crew list's store holds no movie: "no titles of kind movie" alone left the reader guessing what to ask."""
    from crewparity.store import open_store

    with open_store(demo_db_names_only) as store:
        held = [k for (k,) in store.rows("SELECT DISTINCT kind FROM titles ORDER BY kind")]
    said = _note(run_cli("share", "--kind", "tv_mini_series", "--db", str(demo_db_names_only)))
    assert f"(it has {', '.join(held)}; leave out --kind for every kind)" in said and "movie" in held


def test_compare_outside_the_published_years(demo_db_names_only: Path) -> None:
    result = run_cli("compare", "celluloid_ceiling", "--from", "1900", "--to", "1910", "-f", "json",
                     "--db", str(demo_db_names_only))
    assert "no published figures of celluloid_ceiling" in _note(result)
    assert json.loads(result.stdout) == []


def test_a_result_with_rows_has_no_note(demo_db_names_only: Path) -> None:
    result = run_cli("share", "--by", "year", "--db", str(demo_db_names_only))
    assert result.returncode == 0 and result.stderr == ""


def test_series_rank_with_no_season_says_so(demo_db_names_only: Path) -> None:
    result = run_cli("series", "--rank", "best", "--min-episodes", "100", "-f", "csv", "--db", str(demo_db_names_only))
    assert "no series-season in the store is on the best list" in _note(result)
    assert len(result.stdout.splitlines()) == 1  # the header only


def test_a_role_with_no_one_is_named(demo_db_names_only: Path) -> None:
    """By role, a role asked for with nobody in it has no row; stderr says so (a review counted five rows for
    "the six key roles" and could not tell whether executive producers were left out or absent)."""
    result = run_cli("share", "--by", "role", "-f", "csv", "--db", str(demo_db_names_only))
    roles = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert "executive_producer" not in roles and "director" in roles
    assert "credited as executive_producer" in _note(result)
    quiet = run_cli("share", "--by", "role", "--roles", "director,writer", "-f", "csv", "--db", str(demo_db_names_only))
    assert quiet.returncode == 0 and quiet.stderr == ""
