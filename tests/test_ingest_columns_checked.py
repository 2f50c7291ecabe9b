"""Every column of every IMDb file the ingest reads is checked, whether a statement uses it or not.

The ingest's always-true guard (``checked_sql``) names only the columns no statement reads
(``DumpFile.unread``); the others are cast and checked because a statement reads them. This file is what holds
that split honest: one bad value in any column of any file read, a wrong type in a number column, invalid
UTF-8 in a text column, must fail the ingest naming that file and line. A column a statement stops reading,
and that is not added to ``unread``, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity import api
from crewparity.errors import InputError
from crewparity.sources.imdb import FILES
from tests._reliability import copy_sample

#: (file, column, its place in the line, its type) for every column of every file the ingest reads
COLUMNS = [(spec.name, column, place, kind)
           for spec in FILES if spec.read
           for place, (column, kind) in enumerate(spec.columns.items())]
#: the data line given the bad value (the header is line 1)
LINE = 4


def test_the_split_names_real_columns() -> None:
    for spec in FILES:
        assert set(spec.unread) <= set(spec.columns), spec.name
    # the cases below cover every column read, so a guard-free file is safe only if they pass
    assert len(COLUMNS) == sum(len(s.columns) for s in FILES if s.read)
    assert {c for f, c, _p, _k in COLUMNS if f == "title.principals"} >= {"ordering", "characters"}


@pytest.mark.parametrize(("file", "column", "place", "kind"), COLUMNS,
                         ids=[f"{f}.{c}" for f, c, _p, _k in COLUMNS])
def test_a_bad_value_in_any_column_fails_the_ingest(file: str, column: str, place: int, kind: str,
                                                     tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "dump")
    path = folder / f"{file}.tsv"
    lines = path.read_bytes().split(b"\n")
    fields = lines[LINE - 1].split(b"\t")
    assert len(fields) > place
    # a number column gets text; a text column gets bytes that are not UTF-8
    fields[place] = b"abc" if kind != "VARCHAR" else b"bad \xff\xfe value"
    lines[LINE - 1] = b"\t".join(fields)
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as caught:
        api.ingest_imdb(folder, tmp_path / "store.duckdb")
    message = str(caught.value)
    assert f"{file}.tsv:{LINE}:" in message, message
    if kind != "VARCHAR":
        assert column in message and "abc" in message, message
    else:
        assert "not valid UTF-8" in message, message
