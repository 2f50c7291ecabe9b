"""A CSV header with an empty cell: messages name it "column N (no header)", never DuckDB's "column1"/"column00".

A user review saw ``column00`` in an error about their file. The crew-list, overrides and Wikidata readers use
Python's csv module (an empty header cell stays empty, and the column is ignored); ``gender eval`` reads with
DuckDB, which names an empty header cell after its place. Both now describe the header the same way
(:func:`crewparity.errors.header_cells`), on one line with the file and line 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import InputError, header_cells
from crewparity.gender.evaluate import read_labelled
from crewparity.sources import crewlist
from tests.conftest import run_cli


def test_header_cells_names_the_empty_ones_by_place() -> None:
    assert header_cells(["name", "", "gender", " "]) == "name, column 2 (no header), gender, column 4 (no header)"


def test_header_cells_abbreviates_a_long_header() -> None:
    """A long header (a one-cell header of a whole export, a spreadsheet of 40 columns) stays a line one reads."""
    assert header_cells(["x" * 41, "y" * 40]) == "x" * 37 + "..., " + "y" * 40
    assert header_cells([f"c{i}" for i in range(1, 15)]) == ", ".join(f"c{i}" for i in range(1, 13)) + ", ... and 2 more"
    assert header_cells(["a\tb  c"]) == "a b c"


def test_a_crew_list_missing_a_column_under_an_empty_header_cell(tmp_path: Path) -> None:
    path = tmp_path / "crew.csv"
    path.write_text("title,year,,role\nOur Film,2020,Jane Doe,director\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        crewlist.read(path)
    message = str(info.value)
    assert message == (f"{path}:1: missing column name; the header has: title, year, column 3 (no header), role; "
                       "required: name, role (and title unless --title is given or the list has a series column); "
                       "optional: year, kind, gender, person_id, series, season, episode, episode_title")
    assert "\n" not in message


def test_a_crew_list_with_an_extra_unnamed_column_is_read(tmp_path: Path) -> None:
    """A spreadsheet's export often ends its header with an empty cell: that column is not one crewparity reads,
    so the list is read as it is."""
    path = tmp_path / "crew.csv"
    path.write_text("title,year,name,role,\nOur Film,2020,Jane Doe,director,note\n", encoding="utf-8")
    assert len(crewlist.read(path).credits) == 1


@pytest.mark.parametrize("columns", [3, 12])
def test_gender_eval_shows_the_empty_cell_not_duckdbs_name(tmp_path: Path, columns: int) -> None:
    """DuckDB calls the cell "column1" in a 3-column file and "column00"-style names in a 10+ column one."""
    header = [f"c{i}" for i in range(columns)]
    header[1] = ""
    header[-1] = "name"
    path = tmp_path / "labelled.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["x"] * (columns - 1) + ["Jane Doe"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_labelled(path, "name", "gender")
    message = str(info.value)
    assert message.startswith(f"{path}:1: no column 'gender'; the header has: c0, column 2 (no header), ")
    assert "column0" not in message and "column1" not in message
    with pytest.raises(InputError):  # DuckDB's made-up name is not a column of the file
        read_labelled(path, "column1" if columns < 10 else "column01", "name")


def test_gender_eval_cli(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text("name,,sex\nJane Doe,x,f\n", encoding="utf-8")
    r = run_cli("gender", "eval", str(path))
    assert r.returncode == 1
    assert r.stderr.strip() == (f"crewparity: error: {path}:1: no column 'gender'; the header has: name, "
                                "column 2 (no header), sex")
