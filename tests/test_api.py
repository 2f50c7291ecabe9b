"""The Python API: `crewparity.open()` gives an object whose methods return the same rows as the CLI's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

import crewparity
from crewparity.client import Crewparity
from crewparity.output import to_records
from tests._metrics_store import build_store
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api"))


@pytest.mark.parametrize("method,kwargs,cli", [
    ("share", {"by": "year,kind", "roles": "director,writer"}, ["share", "--by", "year,kind", "--roles",
                                                                 "director,writer"]),
    ("share", {"by": "role", "unit": "titles", "sample": "top:2"}, ["share", "--by", "role", "--unit", "titles",
                                                                     "--sample", "top:2"]),
    ("series", {"query": "Harbour", "codirected": "fractional"}, ["series", "Harbour", "--codirected", "fractional"]),
    ("series_episodes", {"query": "tt0100001"}, ["series", "tt0100001", "--episodes"]),
    ("series_rank", {"rank": "worst", "min_episodes": 1}, ["series", "--rank", "worst", "--min-episodes", "1"]),
    ("distribution", {"kinds": "movie"}, ["distribution", "--kind", "movie", "--part", "buckets"]),
    ("no_woman", {"by": "year"}, ["distribution", "--by", "year", "--part", "roles"]),
    ("compare", {"study": "usc_annenberg", "year_from": 2016}, ["compare", "usc_annenberg", "--from", "2016"]),
])
def test_methods_mirror_the_cli(db: Path, method: str, kwargs: dict[str, object], cli: list[str]) -> None:
    with crewparity.open(db) as cp:
        assert isinstance(cp, Crewparity)
        table = getattr(cp, method)(**kwargs)
    assert isinstance(table, pa.Table) and table.num_rows > 0
    res = run_cli(*cli, "--format", "json", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == json.loads(json.dumps(to_records(table), default=str))


def test_open_defaults_to_the_environment_and_converts_to_pandas(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREWPARITY_DB", str(db))
    cp = crewparity.open()
    try:
        assert cp.path == db
        frame = cp.share(by="decade").to_pandas()
        assert list(frame["decade"]) == [2010] and int(frame["total"].iloc[0]) == 7
        assert cp.share_by_role().column_names[0] == "role"
        assert cp.evidence_summary().num_rows > 0
    finally:
        cp.close()


def test_errors_propagate_as_crewparity_errors(db: Path, tmp_path: Path) -> None:
    with crewparity.open(db) as cp:
        with pytest.raises(crewparity.ArgumentError, match="allowed"):
            cp.share(unit="hours")
    with pytest.raises(crewparity.StoreError):
        crewparity.open(tmp_path / "none.duckdb")
