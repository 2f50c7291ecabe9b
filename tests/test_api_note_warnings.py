"""The CLI's notes that a Python user missed are warnings too, in the same words (one function says each for
both): a ``top:N`` sample holding fewer than N titles in some years (``share`` and ``distribution`` note it; a
notebook got "top 3" figures over one title a year with no word), and a role asked for that has no credit in the
selection (``distribution`` notes that its row without a share is IMDb's coverage). Calls from inside the
package (the CLI, the report, the dashboard) do not warn."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import crewparity
from crewparity import client
from tests._metrics_store import build_store
from tests.conftest import run_cli

NOTE = "crewparity: note: "


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("note_warnings"))


def _cli_notes(*args: str) -> list[str]:
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    return [line.removeprefix(NOTE) for line in r.stderr.splitlines() if line.startswith(NOTE)]


def test_the_warnings_are_exported() -> None:
    assert crewparity.ShortSampleWarning is client.ShortSampleWarning
    assert crewparity.AbsentRoleWarning is client.AbsentRoleWarning
    assert {"ShortSampleWarning", "AbsentRoleWarning"} <= set(crewparity.__all__)
    assert issubclass(crewparity.ShortSampleWarning, UserWarning)
    assert issubclass(crewparity.AbsentRoleWarning, UserWarning)


@pytest.mark.parametrize(("method", "cli"), [
    ("share", ("share", "--by", "year")),
    ("distribution", ("distribution", "--part", "buckets")),
    ("no_woman", ("distribution", "--part", "roles")),
])
def test_a_short_top_sample_warns_as_the_cli_notes(db: Path, method: str, cli: tuple[str, ...]) -> None:
    notes = _cli_notes(*cli, "--kind", "movie", "--sample", "top:3", "-f", "csv", "--db", str(db))
    short = [n for n in notes if "sample holds fewer than 3 titles" in n]
    assert len(short) == 1, notes
    with crewparity.open(db) as cp, pytest.warns(crewparity.ShortSampleWarning) as caught:
        table = getattr(cp, method)(kinds="movie", sample="top:3")
    assert table.num_rows
    assert [str(w.message) for w in caught if w.category is crewparity.ShortSampleWarning] == short
    assert caught[0].filename == __file__  # at the caller's line


def test_a_full_top_sample_does_not_warn(db: Path) -> None:
    with crewparity.open(db) as cp, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cp.share(kinds="movie", sample="top:1").num_rows
        assert cp.distribution(kinds="movie", sample="top:1").num_rows
        assert cp.share(kinds="movie").num_rows  # not a top:N sample at all


def test_a_role_without_credits_warns_in_no_woman_as_the_cli_notes(db: Path) -> None:
    notes = _cli_notes("distribution", "--kind", "movie", "--part", "roles", "--roles", "director,composer",
                       "-f", "csv", "--db", str(db))
    assert len(notes) == 1 and "composer" in notes[0]
    with crewparity.open(db) as cp, pytest.warns(crewparity.AbsentRoleWarning) as caught:
        table = cp.no_woman(roles="director,composer", kinds="movie")
    assert "composer" in table["role"].to_pylist()
    assert [str(w.message) for w in caught] == notes
    assert caught[0].filename == __file__


def test_roles_with_credits_do_not_warn(db: Path) -> None:
    with crewparity.open(db) as cp, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cp.no_woman(roles="director", kinds="movie").num_rows
        assert cp.distribution(roles="director,composer", kinds="movie").num_rows  # the buckets: no row per role


def test_the_cli_notes_once_without_a_python_warning(db: Path) -> None:
    r = run_cli("distribution", "--kind", "movie", "--sample", "top:3", "--roles", "director,composer",
                "-f", "csv", "--part", "roles", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("sample holds fewer") == 1 and r.stderr.count("has a credit as composer") == 1
    assert "Warning" not in r.stderr
