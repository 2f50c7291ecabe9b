"""``gender guess --input FILE`` keeps a blank line as a row, so output row N is the file's line N.

A user review found blank lines dropped although the docs promise output in input order: after the first blank
line every row sat one line above its name, and pasting the output beside the input paired names with other
people's genders. A blank line is now a row with an empty name: gender unknown, source none.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crewparity.api_gender import read_names
from crewparity.gender.name_file import read_name_array
from tests.conftest import run_cli

LINES = ["Deborah Chow", "", "Jane Campion", "   ", "Bob Gale", ""]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_are_rows(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes(newline.join(LINES).encode() + newline.encode())
    assert read_name_array(path).to_pylist() == [line.strip() for line in LINES]
    assert read_names(path) == [line.strip() for line in LINES]


def test_csv_output_lines_up_with_the_input(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    r = run_cli("gender", "guess", "--input", str(path), "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(LINES)
    for line, row in zip(LINES, rows, strict=True):
        assert row["name"] == line.strip()
        if not line.strip():
            assert (row["gender"], row["p_woman"], row["source"]) == ("unknown", "", "none")
    assert [row["gender"] for row in rows][::2] == ["woman", "woman", "man"]


def test_json_and_a_headed_file_too(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name\n1,"Lynch, Jennifer"\n\n3,Bob Gale\n', encoding="utf-8")
    r = run_cli("gender", "guess", "-i", str(path), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert [(x["name"], x["gender"], x["source"]) for x in json.loads(r.stdout)] == [
        ("Lynch, Jennifer", "woman", "name_model"), ("", "unknown", "none"), ("Bob Gale", "man", "name_model")]
