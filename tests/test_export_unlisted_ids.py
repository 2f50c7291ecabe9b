"""A file written by `share` or `distribution` over a ``list:FILE`` sample some of whose ids the store has no title
of says so in the file (a csv/json description, a Parquet file's notes), not only on stderr.

Why: a production's "our 12 films" list with three ids the store lacks gave figures over nine films; the warning went
to stderr alone, and the CSV passed on (and cited) said nothing of it. Short top:N samples already say so in files."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity.store import open_store
from tests.conftest import run_cli

MISSING = ["tt9999990001", "tt9999990002", "tt9999990003"]


@pytest.fixture(scope="module")
def listed(demo_db_names_only: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with open_store(demo_db_names_only) as store:
        present = [r[0] for r in store.rows("SELECT title_id FROM titles WHERE kind = 'movie' ORDER BY title_id "
                                            "LIMIT 4")]
    path = tmp_path_factory.mktemp("unlisted") / "ours.txt"
    path.write_text("\n".join(present + MISSING) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [("share", "--by", "role"), ("distribution", "--part", "buckets")])
@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_the_description_says_which_ids_count_for_nothing(demo_db_names_only: Path, listed: Path, tmp_path: Path,
                                                          command: tuple[str, ...], suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    r = run_cli(*command, "--sample", f"list:{listed}", "-o", str(out), "--db", str(demo_db_names_only))
    assert r.returncode == 0, r.stderr
    assert "3 of the 7" in r.stderr or "3 of 7" in r.stderr, r.stderr  # stderr still says it
    description = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert MISSING[0] in description and ("3 of the 7" in description or "3 of 7" in description)


def test_a_parquet_file_carries_it(demo_db_names_only: Path, listed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    r = run_cli("share", "--by", "role", "--sample", f"list:{listed}", "-o", str(out), "--db", str(demo_db_names_only))
    assert r.returncode == 0, r.stderr
    notes = b" ".join((pq.read_schema(out).metadata or {}).values()).decode("utf-8", "replace")
    assert MISSING[0] in notes


def test_a_list_the_store_holds_whole_adds_nothing(demo_db_names_only: Path, tmp_path: Path) -> None:
    with open_store(demo_db_names_only) as store:
        present = [r[0] for r in store.rows("SELECT title_id FROM titles WHERE kind = 'movie' LIMIT 3")]
    listed = tmp_path / "whole.txt"
    listed.write_text("\n".join(present) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    r = run_cli("share", "--by", "role", "--sample", f"list:{listed}", "-o", str(out), "--db", str(demo_db_names_only))
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr
    assert "tt9999" not in Path(f"{out}-metadata.json").read_text(encoding="utf-8")
