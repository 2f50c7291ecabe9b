"""The table `crewparity ingest tmdb` prints: each column says one thing.

It had one column, "rows": titles 0 and people 0 were the rows the load added, resolved_gender 141 beside them the
rows of the whole store, so a movie the store already had from IMDb read as "0 titles" next to "141". The table now
has a column for the rows in the files, one for the rows added and one for the rows in the store after the load.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crewparity import api
from crewparity.cli import app
from tests._reliability import check_ingest_table, store_counts

runner = CliRunner()

#: Carmencita (tt0000001) is in the IMDb sample: its title is in the store already, its new director is not
MOVIE = {"id": 1, "title": "Carmencita", "original_title": "Carmencita", "release_date": "1894-03-10",
         "imdb_id": "tt0000001",
         "credits": {"id": 1, "cast": [], "crew": [{"id": 77, "name": "Ada Test", "gender": 1, "job": "Director"}]}}


def test_columns_say_in_the_files_added_and_in_the_store(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "m.json"
    f.write_text(json.dumps(MOVIE))
    r = runner.invoke(app, ["ingest", "tmdb", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    check_ingest_table(r.stdout, store, ["in the files", "added", "in the store"], {
        # the title was read and not added (IMDb's row stays); the director, the credit and the evidence were added
        "titles": ("1", "0"), "people": ("1", "1"), "credits": ("1", "1"), "gender_evidence": ("1", "1"),
        "resolved_gender": ("", ""),  # resolved anew for the whole store: only a figure in the store
    })
    assert "added:" in r.stdout and "in the store:" in r.stdout


def test_the_api_summary_keeps_added_rows_and_gives_the_other_two(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "m.json"
    f.write_text(json.dumps(MOVIE))
    summary = api.ingest_tmdb([f], store)
    after = store_counts(store)
    assert summary.rows == {"titles": 0, "people": 1, "credits": 1, "gender_evidence": 1,
                            "resolved_gender": after["resolved_gender"]}
    assert summary.read == {"titles": 1, "people": 1, "credits": 1, "gender_evidence": 1}
    assert summary.in_store == {k: after[k] for k in ("titles", "people", "credits", "gender_evidence")}
