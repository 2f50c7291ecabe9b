"""A file written by `share` or `distribution` from a top:N sample that holds fewer than N titles in some years
says so in the file (a table's text, a csv/json description, a Parquet file's notes), not only on stderr.

Why: `share --sample top:250 --kind movie --from 2015 --to 2020 -o top.csv` on the synthetic store counts 36 to
57 movies a year, and said so on stderr alone: the description beside the CSV, the file that is passed on and
cited, read "top:250" with nothing of the 40 films behind a year's figure. The report and the charts already say
it where the figure is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity.store import open_store
from tests.conftest import run_cli, synth_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "export_short", seed=5)


@pytest.fixture(scope="module")
def short(store_path: Path) -> tuple[int, dict[int, int]]:
    """An N above every year's count of movies with votes in 2015-2017, and those counts."""
    with open_store(store_path) as store:
        counts = dict(store.rows("SELECT year, count(*) FROM title_years WHERE kind = 'movie' "
                                 "AND year BETWEEN 2015 AND 2017 GROUP BY year"))
    return max(counts.values()) + 1, counts


ARGS = ("--kind", "movie", "--from", "2015", "--to", "2017")


def _said(text: str, n: int, counts: dict[int, int]) -> bool:
    return (f"sample holds fewer than {n} titles in {len(counts)} years" in text
            and all(f"{y} ({c})" in text for y, c in counts.items()))


@pytest.mark.parametrize("command", [("share",), ("distribution", "--part", "roles")])
def test_csv_description_names_the_short_years(store_path: Path, short: tuple[int, dict[int, int]],
                                               command: tuple[str, ...], tmp_path: Path) -> None:
    n, counts = short
    out = tmp_path / "out.csv"
    r = run_cli(*command, "--sample", f"top:{n}", *ARGS, "-o", str(out), "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    assert _said(r.stderr, n, counts)   # as before
    meta = json.loads((tmp_path / "out.csv-metadata.json").read_text(encoding="utf-8"))
    assert _said(meta["dc:description"], n, counts), meta["dc:description"]


def test_parquet_and_text_table_carry_it(store_path: Path, short: tuple[int, dict[int, int]], tmp_path: Path) -> None:
    n, counts = short
    r = run_cli("share", "--sample", f"top:{n}", *ARGS, "-o", str(tmp_path / "out.parquet"), "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    notes = pq.read_schema(tmp_path / "out.parquet").metadata[b"crewparity.notes"].decode()
    assert _said(notes, n, counts), notes
    r = run_cli("share", "--sample", f"top:{n}", *ARGS, "-o", str(tmp_path / "out.txt"), "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    assert _said((tmp_path / "out.txt").read_text(encoding="utf-8"), n, counts)


def test_a_full_sample_adds_nothing(store_path: Path, tmp_path: Path) -> None:
    r = run_cli("share", "--sample", "top:1", *ARGS, "-o", str(tmp_path / "full.csv"), "--db", str(store_path))
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "full.csv-metadata.json").read_text(encoding="utf-8"))
    assert "sample holds fewer" not in meta["dc:description"]
