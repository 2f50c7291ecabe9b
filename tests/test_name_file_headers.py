"""A file of names headed ``fullname``, ``full_name``, ``Name``, ``primaryName`` or ``person`` has a header.

A user review found a one-column file headed ``fullname`` read with its header as the first name. The headers
are one list (:data:`crewparity.gender.name_file.NAME_HEADERS`), compared trimmed and in any case, used by
``gender guess`` and ``gender estimate`` alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crewparity.gender.name_file import NAME_HEADERS, name_column, read_name_array
from tests.conftest import run_cli

HEADERS = ["name", "Name", "NAME", "fullname", "FullName", "full_name", "Full Name", "primaryName", "person",
           " Person "]


@pytest.mark.parametrize("header", HEADERS)
def test_a_one_column_file_with_a_names_header(tmp_path: Path, header: str) -> None:
    path = tmp_path / "names.txt"
    path.write_text(f"{header}\nDeborah Chow\nBob Gale\n", encoding="utf-8")
    assert read_name_array(path).to_pylist() == ["Deborah Chow", "Bob Gale"]


def test_the_names_column_of_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('nconst,primaryName,birthYear\nnm1,"Lynch, Jennifer",1968\nnm2,Bob Gale,1951\n', encoding="utf-8")
    assert read_name_array(path).to_pylist() == ["Lynch, Jennifer", "Bob Gale"]


def test_name_wins_over_person() -> None:
    assert name_column(["person", "Name"]) == 1
    assert name_column(["Full_Name", "id"]) == 0
    assert name_column(["Deborah Chow"]) is None and name_column(["Lynch", " Jennifer"]) is None
    assert NAME_HEADERS[0] == "name"


def test_guess_and_estimate_read_the_header_alike(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("FullName\nDeborah Chow\nBob Gale\n", encoding="utf-8")
    r = run_cli("gender", "guess", "-i", str(path), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert [x["name"] for x in json.loads(r.stdout)] == ["Deborah Chow", "Bob Gale"]
    r = run_cli("gender", "estimate", "-i", str(path), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["n"] == 2


def test_a_csv_without_one_names_the_headers_it_takes(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,,surname\n1,x,Chow\n", encoding="utf-8")
    r = run_cli("gender", "guess", "-i", str(path))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert f"{path}:1: a CSV needs a 'name' column (or full_name, fullname" in r.stderr
    assert r.stderr.rstrip().endswith("the header has: id, column 2 (no header), surname")


def _input_help(command: str) -> str:
    from crewparity.cli.docs import walk

    cmd = dict(walk())[("crewparity", "gender", command)]
    option = next(p for p in cmd.params if "--input" in p.opts)
    return " ".join(option.help.split())


@pytest.mark.parametrize("command", ["guess", "estimate"])
def test_help_lists_every_header_the_code_takes(command: str) -> None:
    """A review found ``gender guess --help`` naming 5 of the 8 headers that docs/gender.md and the code take: the
    help is now made from :data:`NAME_HEADERS`."""
    assert "name, full_name, fullname, full name, primaryName, primary_name, person or person_name (any case)" in \
        _input_help(command)
    for header in NAME_HEADERS:
        assert header in _input_help(command)


def test_docs_list_the_headers_the_code_takes() -> None:
    import re
    from pathlib import Path as P

    text = " ".join((P(__file__).parents[1] / "docs" / "gender.md").read_text(encoding="utf-8").split())
    listed = re.search(r"trimmed and in any case, is (.*?) \(`gender.name_file.NAME_HEADERS`", text)
    assert listed is not None
    assert re.findall(r"`([^`]+)`", listed.group(1)) == list(NAME_HEADERS)
