"""`crewparity --version` (and `-V`) prints the version exports cite and exits 0, before any store is opened.

Why: every csv/json/parquet file records ``crewparity.version``, but a user could not ask the installed tool for it
(``crewparity --version`` was "no such option")."""

from __future__ import annotations

from pathlib import Path

import pytest

import crewparity
from tests.conftest import run_cli


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_package_version(flag: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"
    result = run_cli(flag, env={"CREWPARITY_DB": str(missing)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"crewparity {crewparity.__version__}\n"
    assert result.stderr == ""
    assert crewparity.__version__ == "0.1.0"
    # no store was opened or made, neither the one $CREWPARITY_DB names nor ./crewparity.duckdb
    assert list(tmp_path.iterdir()) == []


def test_version_wins_over_a_command(tmp_path: Path) -> None:
    """``crewparity --version share`` is eager: the version, not the command (which would open a store)."""
    result = run_cli("--version", "share", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"crewparity {crewparity.__version__}\n"
    assert list(tmp_path.iterdir()) == []


def test_root_help_lists_version() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "--version" in result.stdout and "-V" in result.stdout


def test_readme_documents_version() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`crewparity --version`" in readme and f"crewparity {crewparity.__version__}" in readme
