"""A line repeated in title.principals is stored twice but counted once: no figure changes.

title.principals is the one IMDb file whose repeated key, (tconst, ordering), the ingest does not check: the exact
check costs more than reading the file (docs/reliability.md). This test pins down why that is safe for the
figures: every query table takes each (title, person, role) once (``key_credits`` is built from the DISTINCT
credits, the episode directors likewise) and IMDb's actress/actor evidence is a per-person flag, so a dump with
repeated producer, editor, cinematographer, director and cast lines gives the same query tables, genders and
answers as the dump without them. If a query table ever reads the raw credits without that DISTINCT, this fails.
"""

from __future__ import annotations

from pathlib import Path

import crewparity
from crewparity.api import ingest_imdb
from crewparity.schema import DERIVED_TABLES
from tests._reliability import copy_sample, q

# (tconst, ordering) of the sample lines written a second time: a producer and an editor of the same title, a
# cinematographer and a director; an actress line (IMDb's gender evidence) is added to them. title.principals'
# director lines are not stored (title.crew lists the directors), so four of the five repeats are.
REPEATED = {("tt0000003", "2"), ("tt0000003", "4"), ("tt0000001", "3"), ("tt0000001", "2")}


def _with_repeats(folder: Path) -> int:
    f = folder / "title.principals.tsv"
    lines = f.read_text(encoding="utf-8").split("\n")[:-1]
    again = [x for x in lines if tuple(x.split("\t")[:2]) in REPEATED]
    again += [next(x for x in lines if x.split("\t")[3] == "actress")]
    f.write_text("".join(f"{x}\n" for x in [*lines, *again]), encoding="utf-8")
    return len(again)


def _table(db: Path, table: str) -> list[tuple[object, ...]]:
    return sorted(q(db, f"SELECT * FROM {table}"), key=repr)


def test_repeated_principals_lines_change_no_query_table_and_no_answer(tmp_path: Path) -> None:
    plain, repeated = copy_sample(tmp_path / "plain"), copy_sample(tmp_path / "repeated")
    added = _with_repeats(repeated)
    assert added == 5
    for folder in (plain, repeated):
        ingest_imdb(folder, tmp_path / f"{folder.name}.duckdb")
    a, b = tmp_path / "plain.duckdb", tmp_path / "repeated.duckdb"

    # the raw credits hold the repeats (stored twice, as documented) ...
    n_a, n_b = q(a, "SELECT count(*) FROM credits")[0][0], q(b, "SELECT count(*) FROM credits")[0][0]
    assert n_b == n_a + added - 1
    # ... and nothing built from them does
    for table in ("gender_evidence", "resolved_gender", *DERIVED_TABLES):
        assert _table(a, table) == _table(b, table), table

    sa, sb = crewparity.open(a), crewparity.open(b)
    roles = ["director", "producer", "editor", "cinematographer", "composer", "writer"]
    for unit in ("credits", "people", "titles"):
        for by in (["role"], ["year"], ["title"]):
            ta = sa.share(roles=roles, by=by, unit=unit).to_pylist()
            assert ta and ta == sb.share(roles=roles, by=by, unit=unit).to_pylist(), (unit, by)
    assert sa.share(roles=["producer"], by=["role"], unit="credits").to_pylist()[0]["total"] == 7
    assert sa.distribution().to_pylist() == sb.distribution().to_pylist()
