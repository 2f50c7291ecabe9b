"""Shared fixtures: where the shared data lives, and a store built from the real IMDb sample lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CREWPARITY_SHARED", REPO.parent / "shared"))
SHARED_DATA = SHARED / "data"
IMDB_SAMPLE = SHARED_DATA / "imdb_sample_2021"


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m crewparity ARGS` in a real process: exit codes and stderr as a user sees them."""
    full_env = dict(os.environ)
    full_env.pop("CREWPARITY_DB", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "crewparity", *args],
        capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600,
    )


def ingest_cli(kind: str, *inputs: str | Path, db: Path) -> Path:
    """``crewparity ingest KIND INPUTS --db DB`` in a real process, as a user runs it; the load must succeed.
    Returns DB."""
    r = run_cli("ingest", kind, *map(str, inputs), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


def tmdb_responses(shared_data: Path) -> list[Path]:
    """The real TMDB API responses of the shared data, in name order (what ``ingest tmdb`` reads in the tests)."""
    return sorted((shared_data / "tmdb_api").glob("*.json"))


def crewlist_store(folder: Path, text: str, db: Path | None = None) -> Path:
    """The crew list ``text`` written to FOLDER/crew.csv and loaded by ``crewparity ingest crewlist`` in a real
    process into ``db`` (default FOLDER/crew.duckdb, a new store). Returns the store."""
    (folder / "crew.csv").write_text(text, encoding="utf-8")
    return ingest_cli("crewlist", folder / "crew.csv", db=db or folder / "crew.duckdb")


def synth_store(tmp_path_factory: pytest.TempPathFactory, name: str, seed: int, scale: float = 0.002) -> Path:
    """A store ingested from `crewparity synth` dumps (every kind, null years, the first-name model at work);
    for module fixtures that need a store of their own to read or copy."""
    from crewparity import api, synth

    base = tmp_path_factory.mktemp(name)
    synth.generate(base / "dump", scale, seed=seed)
    db = base / "s.duckdb"
    api.ingest_imdb(base / "dump", db)
    return db


def spec_dicts(node: Any) -> Iterator[dict[str, Any]]:
    """Every object of a chart's Vega-Lite spec (any JSON value), outermost first, depth first: where a test
    looks for a title, an axis or the data values."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from spec_dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from spec_dicts(v)


def comparable_rows(table: Any) -> list[dict[str, Any]]:
    """A share_counts table as rows whose p_woman histogram is in (bin, count) order: two cells of one bin
    (a man and an unknown at the band's edge) may come out in either order, which is not a difference."""
    rows = table.to_pylist()
    for r in rows:
        pairs = sorted(zip(r["p_bins"] or [], r["p_counts"] or [], strict=True))
        r["p_bins"], r["p_counts"] = [b for b, _ in pairs], [int(c) for _, c in pairs]
    return rows


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A store holding the 99 real lines of each IMDb file (read-only use)."""
    from crewparity import api

    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    api.ingest_imdb(shared_data / "imdb_sample_2021", db)
    return db


@pytest.fixture()
def store(sample_store: Path, tmp_path: Path) -> Path:
    """A writable copy of the sample store, one per test. (Modules that need another store define their own
    ``store`` fixture, which takes precedence there.)"""
    db = tmp_path / "s.duckdb"
    shutil.copyfile(sample_store, db)
    return db


@pytest.fixture(scope="session")
def demo_db_names_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's IMDb files and Wikidata genders without its curated corrections (read-only use), so the
    Jessica Jones season 2 directors the Wikidata file lacks rest on the first-name model alone."""
    from crewparity import api
    from crewparity.demo import demo_folder

    db = tmp_path_factory.mktemp("demo-names") / "demo.duckdb"
    api.ingest_imdb(demo_folder(), db)
    api.ingest_wikidata(demo_folder() / "wikidata_genders.json", db)
    return db


@pytest.fixture(scope="session")
def cli_sample_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The 99 real lines of each IMDb file loaded by ``crewparity ingest imdb`` in a real process, as a user loads
    them (read-only use: :func:`store_alone` copies it)."""
    return ingest_cli("imdb", shared_data / "imdb_sample_2021", db=tmp_path_factory.mktemp("good") / "good.duckdb")


@pytest.fixture()
def store_alone(tmp_path: Path, cli_sample_store: Path) -> Path:
    """A writable copy of :func:`cli_sample_store` alone in a folder of its own (``tmp_path/store/crew.duckdb``),
    for the tests of a failed ingest: the store exactly as it was and nothing left beside it."""
    db = tmp_path / "store" / "crew.duckdb"
    db.parent.mkdir()
    shutil.copy(cli_sample_store, db)
    return db
