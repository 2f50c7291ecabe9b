"""``resolve`` on a store that does not exist is refused, and writes nothing: resolving a mistyped path (a
notebook's ``api.resolve_store("demo.dukdb")``, ``crewparity resolve --db demo.dukdb``) created an empty store
there and reported success, so the user believed their store was resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

import crewparity
from crewparity import api
from tests.conftest import run_cli


def test_the_api_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo.duckdb"
    with pytest.raises(crewparity.StoreError, match="no store here"):
        api.resolve_store(missing)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_says_so_in_one_line(tmp_path: Path) -> None:
    r = run_cli("resolve", "--db", str(tmp_path / "typo.duckdb"))
    assert r.returncode == 1
    assert r.stderr.startswith("crewparity: error: ") and r.stderr.count("\n") == 1 and "no store here" in r.stderr
    assert list(tmp_path.iterdir()) == []
