"""A file of names that is not UTF-8: the ingest commands' words (the line, the byte, what was expected), and a
UTF-16 file named as such.

A review found ``gender guess -i``, ``gender estimate -i`` saying only ``u16.txt:1: not UTF-8 text`` (and ``gender
eval`` "cannot read as CSV" with DuckDB's words) where the ingest commands say which byte and what the file should
be (:func:`crewparity.errors.not_utf8`). A file saved as UTF-16 (Excel's "Unicode text", Windows' Notepad) starts
with a byte order mark, FF FE or FE FF, and is said to be UTF-16.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import InputError, not_utf8
from crewparity.gender import evaluate
from crewparity.gender.name_file import read_name_array
from tests.conftest import run_cli

NAMES = "expected one full name a line, or a CSV with a name column, saved as UTF-8"
LABELS = "expected a CSV of names and their genders, saved as UTF-8"


@pytest.mark.parametrize("command", ["guess", "estimate"])
def test_a_latin1_list_names_the_line_and_the_byte(tmp_path: Path, command: str) -> None:
    path = tmp_path / "lat.txt"
    data = "Anna Berg\nH\u00e9l\u00e8ne Dupont\n".encode("latin-1")
    path.write_bytes(data)
    r = run_cli("gender", command, "-i", str(path))
    assert r.returncode == 1
    assert r.stderr == f"crewparity: error: {path}:2: is not valid UTF-8 text (byte 0xE9); {NAMES}\n"
    assert r.stderr == f"crewparity: error: {not_utf8(path, NAMES, data)}\n"  # the ingest commands' helper


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", "FF FE"), ("utf-16-be", "FE FF")])
@pytest.mark.parametrize("command", ["guess", "estimate"])
def test_a_utf16_list_is_named_utf16(tmp_path: Path, command: str, codec: str, bom: str) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(("\ufeffAnna Berg\nBob Gale\n").encode(codec))
    r = run_cli("gender", command, "-i", str(path))
    assert r.returncode == 1
    assert r.stderr == (f"crewparity: error: {path}:1: is UTF-16 text (byte order mark {bom}), not UTF-8; {NAMES} "
                        "(iconv -f UTF-16 -t UTF-8 converts it)\n")


def test_gender_eval_says_the_same(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes("name,gender\nAnna Berg,f\nH\u00e9l\u00e8ne Dupont,f\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        evaluate.read_labelled(path, "name", "gender")
    assert str(info.value) == f"{path}:3: is not valid UTF-8 text (byte 0xE9); {LABELS}"
    path.write_bytes("name,gender\nAnna Berg,f\n".encode("utf-16"))  # Python writes its machine's order, with a BOM
    r = run_cli("gender", "eval", str(path))
    assert r.returncode == 1
    assert r.stderr.startswith(f"crewparity: error: {path}:1: is UTF-16 text (byte order mark FF FE), not UTF-8; "
                               f"{LABELS}")


def test_utf32_is_not_taken_for_utf16(tmp_path: Path) -> None:
    path = tmp_path / "u32.txt"
    path.write_bytes("Anna Berg\n".encode("utf-32"))
    with pytest.raises(InputError, match=r":1: is UTF-32 text \(byte order mark FF FE 00 00\), not UTF-8"):
        read_name_array(path)


def test_utf8_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes("\ufeffAnna Berg\nH\u00e9l\u00e8ne Dupont\n".encode())
    assert read_name_array(path).to_pylist() == ["Anna Berg", "H\u00e9l\u00e8ne Dupont"]
    path.write_bytes("\ufeffname,gender\nAnna Berg,f\n".encode())
    assert evaluate.read_labelled(path, "name", "gender").to_pylist() == [{"name": "Anna Berg", "truth_raw": "f"}]
