"""``api.ingest_tmdb`` takes the files as a notebook has them: a glob (``Path(...).glob("*.json")``) was read and
then indexed (TypeError after the files were parsed), and one file given as text was read letter by letter
("/: not a file")."""

from __future__ import annotations

from pathlib import Path

import crewparity
from crewparity import api
from tests.conftest import tmdb_responses


def _rows(db: Path) -> dict[str, int]:
    with crewparity.open(db) as cp:
        return cp.store.counts()


def test_a_glob_loads_as_the_list_does(shared_data: Path, tmp_path: Path) -> None:
    listed = api.ingest_tmdb(tmdb_responses(shared_data), tmp_path / "list.duckdb")
    globbed = api.ingest_tmdb((shared_data / "tmdb_api").glob("*.json"), tmp_path / "glob.duckdb")
    assert globbed.rows == listed.rows and globbed.location == listed.location
    assert _rows(tmp_path / "glob.duckdb") == _rows(tmp_path / "list.duckdb")


def test_one_file_as_text_or_path_is_that_file(shared_data: Path, tmp_path: Path) -> None:
    one = shared_data / "tmdb_api" / "movie.json"
    as_list = api.ingest_tmdb([one], tmp_path / "list.duckdb")
    as_text = api.ingest_tmdb(str(one), tmp_path / "text.duckdb")
    as_path = api.ingest_tmdb(one, tmp_path / "path.duckdb")
    assert as_text.rows == as_path.rows == as_list.rows and as_text.location == str(one.resolve())
    assert _rows(tmp_path / "text.duckdb") == _rows(tmp_path / "list.duckdb")
