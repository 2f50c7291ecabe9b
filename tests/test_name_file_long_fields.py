"""A line or cell longer than any name (over the csv module's 131,072 characters) in a file of names.

A review found ``gender guess -i F`` (a CSV with a name column) and ``gender estimate -i F`` (a plain list whose
first line is read as CSV to look for a header) ending in a traceback, ``_csv.Error: field larger than field
limit (131072)``. No name is that long: such a file is refused with one line naming the file and the line, as any
other bad line is, whichever way the file is read (a plain list too, where the long line was guessed "unknown").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import InputError
from crewparity.gender.name_file import read_name_array
from tests.conftest import run_cli

LONG = "A" * 140_000

FILES = {
    "a CSV, the long name in its name column": ("people.csv", f"id,name\n1,Anna Berg\n2,{LONG}\n", 3),
    "a CSV, the long cell in another column": ("people.csv", f"id,name\n1,Anna Berg\n{LONG},Bob Gale\n", 3),
    "a plain list, the long line first": ("names.txt", f"{LONG}\nAnna Berg\n", 1),
    "a plain list, the long line later": ("names.txt", f"Anna Berg\nBob Gale\n{LONG}\n", 3),
    "a plain list with odd spaces, the long line later": ("names.txt", f"Anna\u00a0Berg\n\n{LONG}\n", 3),
    "a plain list, the long line in quotes": ("names.txt", f'Anna Berg\n"{LONG}"\n', 2),
}


@pytest.mark.parametrize("label", list(FILES))
@pytest.mark.parametrize("command", ["guess", "estimate"])
def test_a_field_longer_than_any_name_is_one_line_naming_it(tmp_path: Path, label: str, command: str) -> None:
    file, text, line = FILES[label]
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    r = run_cli("gender", command, "-i", str(path), "-f", "csv")
    assert r.returncode == 1, r.stdout[:200]
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr[-500:]
    assert r.stderr.startswith(f"crewparity: error: {path}:{line}: "), r.stderr[:300]
    assert "131,072 characters" in r.stderr and len(r.stderr) < 400


def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path: Path) -> None:
    """A quote that is never closed reads the rest of the file into one cell: the line to fix is the quote's."""
    path = tmp_path / "people.csv"
    path.write_text('id,name\n1,Anna Berg\n2,"Bob Gale\n' + "3,Carl Bo\n" * 20_000, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_name_array(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: a quoted field opened on this line is still open after 131,072 characters")
    assert "closing" in message


def test_a_long_name_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    name = "Anna " + "B" * 100_000
    path.write_text(f"id,name\n1,{name}\n", encoding="utf-8")
    assert read_name_array(path).to_pylist() == [name]
