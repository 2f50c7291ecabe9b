"""One list of spellings for a gender a user writes (crewparity.gender.spelling), read the same way by every
reader of such a column: ingest overrides, ingest crewlist, gender estimate's list and gender eval's labels.

Why: each reader had its own list, so `w` was a woman for gender estimate and an error for ingest overrides, and
`x` was nonbinary in gender estimate only, documented nowhere.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from crewparity.cli.gender_estimate import read_people
from crewparity.errors import InputError
from crewparity.gender import evaluate
from crewparity.gender.spelling import ACCEPTED_TEXT, GENDER_SPELLINGS, NOT_RECORDED
from crewparity.sources import crewlist, overrides

DOCS = Path(__file__).resolve().parents[1] / "docs"
#: every spelling as a user may write it: the list's own, upper case and padded
SPELLINGS = sorted(GENDER_SPELLINGS) + ["W", "Female", " NB ", "Non-Binary", "X"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _overrides(tmp: Path, values: list[str]) -> list[str]:
    f = _write(tmp / "o.csv", ["person_id", "gender"], [[f"nm{i}", v] for i, v in enumerate(values)])
    return overrides.read(f).column("gender").to_pylist()


def _crewlist(tmp: Path, values: list[str]) -> list[str | None]:
    f = _write(tmp / "c.csv", ["title", "name", "role", "gender"],
               [["Film", f"Person {i}", "director", v] for i, v in enumerate(values)])
    evidence = {pid: g for pid, g in crewlist.read(f).evidence}
    return [evidence.get(crewlist.person_id(f"Person {i}")) for i in range(len(values))]


def _estimate(tmp: Path, values: list[str]) -> list[str | None]:
    f = _write(tmp / "e.csv", ["name", "gender"], [[f"Person {i}", v] for i, v in enumerate(values)])
    genders = read_people(f)[1]
    assert genders is not None
    return genders


def _eval(tmp: Path, values: list[str]) -> list[str | None]:
    """The labels as gender eval scores them: woman / man, None for a row it leaves out (nonbinary: the model
    calls only woman or man)."""
    f = _write(tmp / "l.csv", ["name", "gender"], [[f"Person {i}", v] for i, v in enumerate(values)])
    labels = evaluate.read_labelled(f, "name", "gender").column("truth_raw").to_pylist()
    con = duckdb.connect()
    try:
        con.register("t", pa.table({"t": pa.array(labels, pa.string())}))
        return [r[0] for r in con.execute(f"SELECT {evaluate.truth_sql('t')} FROM t").fetchall()]
    finally:
        con.close()


READERS = {"overrides": _overrides, "crewlist": _crewlist, "estimate": _estimate, "eval": _eval}


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_takes_every_spelling_the_same_way(tmp_path: Path, reader: str) -> None:
    expected = [GENDER_SPELLINGS[v.strip().lower()] for v in SPELLINGS]
    if reader == "eval":
        expected = [None if g == "nonbinary" else g for g in expected]
    assert READERS[reader](tmp_path, SPELLINGS) == expected
    # the forms each reader took before the one list, still taken
    assert {"w", "x", "nb", "female", "f"} <= set(GENDER_SPELLINGS) and GENDER_SPELLINGS["x"] == "nonbinary"


@pytest.mark.parametrize("reader", READERS)
def test_any_other_spelling_is_one_line_naming_file_line_and_the_list(tmp_path: Path, reader: str) -> None:
    with pytest.raises(InputError) as info:
        READERS[reader](tmp_path, ["woman", "man", "femal"])
    message = str(info.value)
    assert ":4: column gender: 'femal' is not an allowed gender; expected " + ACCEPTED_TEXT in message
    assert "\n" not in message


def test_not_recorded_is_taken_where_a_gender_may_be_unknown_and_never_in_overrides(tmp_path: Path) -> None:
    values = ["woman", *NOT_RECORDED[1:], "Unknown"]
    assert _crewlist(tmp_path, values) == ["woman"] + [None] * (len(values) - 1)
    assert _estimate(tmp_path, values) == ["woman"] + [None] * (len(values) - 1)
    for blank in ("", "unknown"):
        with pytest.raises(InputError, match=r"o\.csv:3: column gender: .* is not an allowed gender; expected woman"):
            _overrides(tmp_path, ["woman", blank])


def test_the_docs_give_the_list() -> None:
    for doc in ("sources.md", "gender.md"):
        text = " ".join((DOCS / doc).read_text(encoding="utf-8").split())
        assert ACCEPTED_TEXT in text, doc
