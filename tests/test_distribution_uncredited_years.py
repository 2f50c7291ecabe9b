"""``distribution --by year``: a role with no credited title in some years (but credits in others) has a blank
share_no_woman in those years, and the note names them, on stderr and in a file written.

A review found the note about a role without credits fired only when no title in the whole selection had one:
a blank share in 2017 alone, beside figures in other years, went unexplained (a reader takes it for a missing
figure or a 0).

The metrics test store's movies: 2016 has an editor credit (Film One: Eve), 2017 (Film Three) has none; no movie
has a composer credit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.metrics.empty import uncredited_roles
from tests._metrics_store import build_store
from tests.conftest import run_cli

EDITOR = ("in 2017 no title has a credit as editor: its row of that year has no share_no_woman (every title is in "
          "no_credit), which says nothing of who held it")
COMPOSER = ("no title in the selection has a credit as composer: its row has no share_no_woman (every title is in "
            "no_credit), which says nothing of who held it")
ARGS = ("distribution", "--kind", "movie", "--roles", "director,editor", "--by", "year", "--part", "roles")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("distribution_uncredited_years"))


def test_the_terminal_note_names_the_year(db: Path) -> None:
    res = run_cli(*ARGS, "--db", str(db), env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines() == [f"crewparity: note: {EDITOR}"]


def test_with_a_role_never_credited_both_are_said(db: Path) -> None:
    res = run_cli("distribution", "--kind", "movie", "--roles", "director,editor,composer", "--by", "year",
                  "--part", "roles", "--db", str(db), env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    assert res.stderr.splitlines() == [f"crewparity: note: {COMPOSER}; {EDITOR}"]


@pytest.mark.parametrize("name", ["d.csv", "d.parquet"])
def test_a_file_says_it_too(db: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    res = run_cli(*ARGS, "-o", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq
        said = pq.read_schema(out).metadata[b"crewparity.notes"].decode()
    else:
        said = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert EDITOR in said


def test_one_table_without_years_says_nothing_of_years(db: Path) -> None:
    res = run_cli("distribution", "--kind", "movie", "--roles", "director,editor", "--part", "roles",
                  "--db", str(db), env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""


def test_many_years_are_cut_and_a_blank_year_named() -> None:
    years: list[int | None] = [*range(2000, 2014), None]   # editor: credited in 2013 alone
    table = pa.table({"year": [*years, *years], "role": ["editor"] * 15 + ["director"] * 15,
                      "titles_with_role": [0] * 13 + [1, 0] + [1] * 15})
    assert uncredited_roles(table) == (
        "in 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009 and 4 more no title has a credit as editor: "
        "its rows of those years have no share_no_woman (every title is in no_credit), which says nothing of who "
        "held it")
    table = pa.table({"year": [2001, 2002, None, 2001, 2002, None], "role": ["editor"] * 3 + ["director"] * 3,
                      "titles_with_role": [0, 1, 0, 1, 1, 1]})
    assert str(uncredited_roles(table)).startswith("in 2001 and the blank year no title has a credit as editor")
