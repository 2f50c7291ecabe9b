"""``distribution``'s caption over a ``top:N`` sample says when a year holds fewer than N titles.

A review found "titles: the 250 titles of each year with the most IMDb votes" under a table whose years hold 40:
the shortfall was on stderr (and in a file written) but the caption itself, which is what gets quoted or
screenshotted, said 250. It now says in how many years there are fewer, and where they are named.

The metrics test store has 3 movies with IMDb votes in 2016 and 1 in 2017 (none in other years).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._metrics_store import build_store
from tests.conftest import run_cli

ARGS = ("distribution", "--kind", "movie", "--sample", "top:5")
SHORT = ("the top:5 sample holds fewer than 5 titles in 2 years (the store has no more with IMDb votes): "
         "2016 (3), 2017 (1)")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("distribution_short_caption"))


@pytest.mark.parametrize("part", ["buckets", "roles"])
def test_the_terminal_caption_says_fewer_in_those_years(db: Path, part: str) -> None:
    res = run_cli(*ARGS, "--part", part, "--db", str(db), env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    said = " ".join(res.stdout.split())
    assert ("titles: the 5 titles of each year with the most IMDb votes (fewer in 2 years: see the note), those "
            "without a credit in the roles counted in no_credit") in said
    assert f"crewparity: note: {SHORT}" in res.stderr.splitlines()


def test_a_file_names_the_years_next_to_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    res = run_cli(*ARGS, "--part", "roles", "-o", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr
    described = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert (f"titles: the 5 titles of each year with the most IMDb votes (fewer in 2 years: named next), those "
            f"without a credit in the roles counted in no_credit; {SHORT}") in described


def test_a_full_sample_adds_nothing(db: Path) -> None:
    res = run_cli("distribution", "--kind", "movie", "--sample", "top:1", "--from", "2016", "--to", "2017",
                  "--part", "roles", "--db", str(db), env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    said = " ".join(res.stdout.split())
    assert "titles: the 1 titles of each year with the most IMDb votes, those without a credit" in said
    assert "fewer in" not in said and "holds fewer" not in res.stderr
