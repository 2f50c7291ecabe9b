"""Reading a file of names (``gender guess --input``): the Arrow reading gives exactly the plain Python rules' names.

The rule the reader promises (and the one it had before it read with Arrow): the text decoded as UTF-8 (a BOM
dropped), ``str.splitlines``, each line ``str.strip``-ed, a blank line kept as an empty name (so the rows keep
the file's order); a header naming a column of names (``name``, ``full_name``, ``fullname``, ``primaryName``,
``person`` ..., any case) makes it a CSV. The oracle below spells that rule out in plain Python; every input is
checked against it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.api_gender import read_names
from crewparity.errors import InputError
from crewparity.gender import name_file
from crewparity.gender.name_file import read_name_array
from tests.conftest import SHARED_DATA


def plain_rules(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    if not lines:
        return []
    cols = [c.strip().lower() for c in next(csv.reader([lines[0]]), [])]
    headers = ("name", "full_name", "fullname", "full name", "primaryname", "primary_name", "person", "person_name")
    found = [h for h in headers if h in cols]
    if found:
        i = cols.index(found[0])
        return [row[i] if row else "" for row in csv.reader(lines[1:])]
    return [ln.strip() for ln in lines]


ODD_FILES = {
    "unix": b"Deborah Chow\nJet Wilkinson\n",
    "no final newline": b"Deborah Chow\nJet Wilkinson",
    "windows": b"Deborah Chow\r\nJet Wilkinson\r\n",
    "a lone carriage return": b"Deborah Chow\rJet Wilkinson\n",
    "old mac": b"Deborah Chow\rJet Wilkinson\r",
    "blank lines and spaces": b"\n\n  Deborah Chow \t\n \n\tJet Wilkinson\n\n",
    "BOM": b"\xef\xbb\xbfDeborah Chow\nJet Wilkinson\n",
    "only newlines": b"\n\n\n",
    "only a BOM": b"\xef\xbb\xbf",
    "vertical tab and form feed": b"Deborah\x0bChow\nJet\x0cWilkinson\n",
    "file separators": b"Deborah\x1cChow\x1d\nJet\x1eWilkinson\x1f\n",
    "NEL": "Deborah Chow\u0085Jet Wilkinson\n".encode(),
    "no-break space at the ends": "\u00a0Deborah Chow\u00a0\n".encode(),
    "no-break space inside": "Deborah\u00a0Chow\n".encode(),
    "line separator": "Deborah Chow\u2028Jet Wilkinson\u2029Leslie Nielsen\n".encode(),
    "ideographic space": "\u3000Bong Joon-ho\u3000\n".encode(),
    "typographic quote, no space": "Sinéad O\u2019Connor\nJosé Padilha\n".encode(),
    "thin space": "Ava\u2009DuVernay\u2009\n".encode(),
    "accents": "Agnès Varda\nCéline Sciamma\nŁukasz Żal\n".encode(),
    "commas, not a CSV": b"Lynch, Jennifer\nGale, Bob\n",
    "CSV with a name column": b'id,name\n1,"Lynch, Jennifer"\n2,Zetna Fuentes\n\n',
    "CSV, windows": b'name,id\r\n" Jane Campion ",1\r\nAva DuVernay,2\r\n',
    "a NUL inside": b"Deborah\x00Chow\n",
    "whitespace only lines": b" \t \r\n\t\n",
    "a fullname header": b"FullName\nDeborah Chow\n\nJet Wilkinson\n",
    "a primaryName column": b"nconst,primaryName\nnm1,Deborah Chow\n\nnm2,Jet Wilkinson\n",
    "blank lines with a lone carriage return": b"Deborah Chow\r\rJet Wilkinson\n\n",
}


@pytest.mark.parametrize("label", list(ODD_FILES))
def test_arrow_reading_equals_the_plain_rules(label: str, tmp_path: Path) -> None:
    data = ODD_FILES[label]
    path = tmp_path / "names.txt"
    path.write_bytes(data)
    got = read_name_array(path)
    assert got.type == pa.string()
    assert got.to_pylist() == plain_rules(data)
    assert read_names(path) == plain_rules(data)


def test_the_fast_path_is_taken_where_it_is_exact() -> None:
    """The cases that must go the plain way do, and a plain file (with accents, CRLF) does not."""
    assert not name_file._needs_python_rules(ODD_FILES["unix"])
    assert not name_file._needs_python_rules(ODD_FILES["windows"])
    assert not name_file._needs_python_rules(ODD_FILES["accents"])
    assert not name_file._needs_python_rules(ODD_FILES["typographic quote, no space"])
    for label in ("a lone carriage return", "old mac", "vertical tab and form feed", "file separators", "NEL",
                  "no-break space at the ends", "line separator", "ideographic space", "thin space"):
        assert name_file._needs_python_rules(ODD_FILES[label]), label


def test_benchmark_names_read_as_the_plain_rules(tmp_path: Path) -> None:
    """Every name of both public benchmarks, one a line, with the names as they are (spaces, accents, quotes)."""
    names: list[str] = []
    for file, col in (("santamaria_mihaljevic_2018.csv", "full_name"), ("sebo_2021_swiss_physicians.csv", "fname")):
        with (SHARED_DATA / "benchmarks" / file).open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            names += [row[col] for row in reader if col in row]
    assert len(names) > 10_000
    data = ("\n".join(names) + "\n").encode()
    path = tmp_path / "names.txt"
    path.write_bytes(data)
    assert read_name_array(path).to_pylist() == plain_rules(data)


@pytest.mark.parametrize(("data", "line"), [(b"Deborah Chow\nJ\xe9r\xf4me\n", 2), (b"\xff\n", 1),
                                            (b"A\nB\nC \xed\xa0\x80\n", 3)])
def test_not_utf8_names_the_line(data: bytes, line: int, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_name_array(path)
    assert f"latin1.txt:{line}: is not valid UTF-8 text (byte 0x" in str(err.value)


def test_a_csv_without_a_name_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b"id,full\n1,Jane Campion\n")
    with pytest.raises(InputError, match="needs a 'name' column"):
        read_name_array(path)
    short = tmp_path / "short.csv"
    short.write_bytes(b"id,name\n1,Jane Campion\n2\n")
    with pytest.raises(InputError, match="too few fields: 1 where the header has 2") as err:
        read_name_array(short)
    assert "short.csv:3" in str(err.value)
