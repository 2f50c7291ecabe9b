"""An empty result from the Python API warns with the reason the CLI notes on stderr (a review got 0 rows in a
notebook with no word why); the CLI and the dashboard say it their own way and show no warning."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import crewparity
from crewparity.metrics.empty import EmptyResultWarning, reason_of
from tests.conftest import run_cli


@pytest.mark.parametrize("method", ["share", "distribution", "no_woman"])
def test_an_empty_result_warns_why(demo_db_names_only: Path, method: str) -> None:
    with crewparity.open(demo_db_names_only) as cp, pytest.warns(EmptyResultWarning) as caught:
        table = getattr(cp, method)(sample="top:10")
    assert table.num_rows == 0
    text = str(caught[0].message)
    assert "no IMDb vote counts" in text and "sample top:10" in text and "--" not in text
    assert caught[0].filename == __file__  # it points at the caller's line
    assert "no IMDb vote counts" in (reason_of(table) or "")


def test_a_result_with_rows_does_not_warn(demo_db_names_only: Path) -> None:
    with crewparity.open(demo_db_names_only) as cp, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cp.share(by="role", roles="director,writer").num_rows > 0


def test_a_role_without_a_row_warns_with_the_cli_note(demo_db_names_only: Path) -> None:
    """The demo has no executive-producer credit: ``share(by="role")`` over the key roles has no row for it, which
    the CLI notes; the API says the same (AbsentRoleWarning), not an empty-result warning."""
    with crewparity.open(demo_db_names_only) as cp, pytest.warns(crewparity.AbsentRoleWarning) as caught:
        table = cp.share(by="role")
    roles = set(table["role"].to_pylist())
    assert table.num_rows > 0 and "executive_producer" not in roles
    assert len(caught) == 1 and caught[0].filename == __file__
    text = str(caught[0].message)
    named = text.split("credited as ", 1)[1].split(":", 1)[0].split(", ")
    assert named == ["executive_producer"]
    r = run_cli("share", "--by", "role", "--db", str(demo_db_names_only))
    assert r.returncode == 0 and text in r.stderr.replace("\n", " ")


def test_the_cli_notes_once_without_a_warning(demo_db_names_only: Path) -> None:
    r = run_cli("share", "--sample", "top:10", "-f", "csv", "--db", str(demo_db_names_only))
    assert r.returncode == 0
    assert r.stderr.count("no IMDb vote counts") == 1 and "Warning" not in r.stderr
