"""The faster IMDb ingest SQL gives the rows the plain formulation gives, and schedules its statements safely.

The ingest maps titleType by a CASE over IMDb's known types (regexp only for others), works out a principal's
role once per line, and builds the IMDb gender evidence on the second connection once people are in. Each test
compares with the straightforward SQL evaluated by DuckDB on the same lines, or checks what a failure leaves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from crewparity import api
from crewparity.errors import InputError
from crewparity.sources import imdb
from crewparity.store import writing
from tests.conftest import IMDB_SAMPLE

# Every category IMDb uses, with jobs that exercise the producer / writer rules, nulls and case.
PRINCIPAL_LINES = [
    ("producer", "executive producer"), ("producer", "Executive Producer"), ("producer", "co-executive producer"),
    ("producer", "producer"), ("producer", "\\N"), ("writer", "created by"), ("writer", "Created By"),
    ("writer", "novel"), ("writer", "\\N"), ("actor", "\\N"), ("actress", "\\N"), ("actress", "lead"),
    ("self", "\\N"), ("director", "\\N"), ("editor", "\\N"), ("editor", "assembly"), ("cinematographer", "\\N"),
    ("composer", "\\N"), ("production_designer", "\\N"), ("casting_director", "casting"),
    ("archive_footage", "\\N"), ("archive_sound", "\\N"), ("\\N", "\\N"), ("Producer", "producer"),
]
TITLE_TYPES = [*imdb.TITLE_TYPES, "tvFooBar", "radioSeries", "MOVIE", "odd", "\\N"]


def _dump(tmp_path: Path) -> Path:
    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    with open(folder / "title.principals.tsv", "a", encoding="utf-8") as fh:
        for i, (category, job) in enumerate(PRINCIPAL_LINES):
            fh.write(f"tt9000000\t{i + 1}\tnm{9000000 + i}\t{category}\t{job}\t\\N\n")
    with open(folder / "title.basics.tsv", "a", encoding="utf-8") as fh:
        for i, kind in enumerate(TITLE_TYPES):
            fh.write(f"tt{9100000 + i}\t{kind}\tT{i}\tT{i}\t0\t2000\t\\N\t90\tDrama\n")
    return folder


def _ingest(folder: Path, db: Path) -> None:
    with writing(db, fresh=True) as store:
        imdb.ingest(store, folder)


def test_kinds_and_roles_equal_the_plain_sql(tmp_path: Path) -> None:
    folder = _dump(tmp_path)
    db = tmp_path / "s.duckdb"
    _ingest(folder, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        basics = imdb.read_sql(folder / "title.basics.tsv", next(s for s in imdb.FILES if s.name == "title.basics"))
        # The expression the ingest used before the CASE: a regexp on every line.
        kind_diff = con.execute(f"""
            SELECT tconst, lower(regexp_replace(titleType, '([a-z])([A-Z])', '\\1_\\2', 'g')) FROM {basics}
            EXCEPT ALL SELECT title_id, kind FROM titles""").fetchall()
        assert kind_diff == []
        kinds = dict(con.execute("SELECT title_id, kind FROM titles WHERE title_id >= 'tt9100000'").fetchall())
        assert kinds["tt9100005"] == "tv_mini_series" and kinds["tt9100011"] == "tv_foo_bar"
        assert kinds[f"tt{9100000 + len(TITLE_TYPES) - 1}"] is None

        spec = next(s for s in imdb.FILES if s.name == "title.principals")
        principals = imdb.read_sql(folder / "title.principals.tsv", spec)
        cats = ", ".join(f"'{c}'" for c in imdb.PRINCIPAL_ROLES)
        role_case = " ".join(f"WHEN '{c}' THEN '{r}'" for c, r in imdb.PRINCIPAL_ROLES.items() if c != "producer")
        # The formulation the ingest used before working the role out once per line.
        plain = f"""
            SELECT tconst, nconst,
                   CASE WHEN category = 'producer' AND lower(job) LIKE '%executive producer%' THEN 'executive_producer'
                        WHEN category = 'producer' THEN 'producer'
                        WHEN category = 'writer' THEN 'creator'
                        ELSE CASE category {role_case} END END,
                   CASE WHEN category IN ('actor', 'actress') THEN category ELSE job END, 'imdb'
            FROM {principals}
            WHERE category IN ({cats}) OR (category = 'writer' AND lower(job) LIKE '%created by%')"""
        stored = "SELECT * FROM credits WHERE role NOT IN ('director', 'writer')"
        assert con.execute(f"SELECT count(*) FROM ({plain} EXCEPT ALL {stored})").fetchone() == (0,)
        assert con.execute(f"SELECT count(*) FROM ({stored} EXCEPT ALL {plain})").fetchone() == (0,)
        mine = con.execute("SELECT person_id, role, job FROM credits WHERE title_id = 'tt9000000' "
                           "ORDER BY person_id").fetchall()
    finally:
        con.close()
    # Spelled out for the added lines: (person, role, job) or absent.
    expected = {
        0: ("executive_producer", "executive producer"), 1: ("executive_producer", "Executive Producer"),
        2: ("executive_producer", "co-executive producer"), 3: ("producer", "producer"), 4: ("producer", None),
        5: ("creator", "created by"), 6: ("creator", "Created By"), 9: ("actor", "actor"),
        10: ("actor", "actress"), 11: ("actor", "actress"), 14: ("editor", None), 15: ("editor", "assembly"),
        16: ("cinematographer", None), 17: ("composer", None), 18: ("production_designer", None),
        19: ("casting_director", "casting"),
    }
    assert mine == [(f"nm{9000000 + i}", *expected[i]) for i in sorted(expected)]


def test_evidence_equals_a_sequential_ingest(tmp_path: Path) -> None:
    """The evidence built on the second connection is the one built after every file, on one connection."""
    folder = _dump(tmp_path)
    two, one = tmp_path / "two.duckdb", tmp_path / "one.duckdb"
    _ingest(folder, two)
    with writing(one, fresh=True) as store:
        imdb.ingest(store, folder, skip_bad=True)  # one connection, one statement at a time
    con = duckdb.connect(str(two), read_only=True)
    try:
        con.execute(f"ATTACH '{one}' AS one (READ_ONLY)")
        for table in ("gender_evidence", "credits", "people", "titles"):
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            assert n > 0
            for a, b in ((table, f"one.{table}"), (f"one.{table}", table)):
                assert con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchone() == (0,), table
    finally:
        con.close()


@pytest.mark.parametrize(
    ("bad_files", "blamed"),
    [
        (["title.basics"], "title.basics"),  # before people: the evidence never starts
        (["title.crew"], "title.crew"),  # after people: the evidence may run alongside, then is thrown away
        (["title.principals", "title.crew"], "title.crew"),  # the earliest step's error, as before
        (["name.basics", "title.principals"], "name.basics"),
    ],
)
def test_failure_alongside_the_evidence_leaves_the_store(tmp_path: Path, bad_files: list[str], blamed: str) -> None:
    db = tmp_path / "s.duckdb"
    api.ingest_imdb(IMDB_SAMPLE, db)
    before = duckdb.connect(str(db), read_only=True)
    counts = [before.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("titles", "credits", "gender_evidence")]
    before.close()
    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    for name in bad_files:
        with open(folder / f"{name}.tsv", "a", encoding="utf-8") as fh:
            fh.write("only\ttwo\n")
    lines = len((folder / f"{blamed}.tsv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError) as info:
        api.ingest_imdb(folder, db)
    assert info.value.path is not None and Path(info.value.path).name == f"{blamed}.tsv"
    assert info.value.line == lines
    after = duckdb.connect(str(db), read_only=True)
    try:
        assert [after.execute(f"SELECT count(*) FROM {t}").fetchone()
                for t in ("titles", "credits", "gender_evidence")] == counts
    finally:
        after.close()
    assert not list(tmp_path.glob("s.duckdb.tmp-*"))


def test_title_akas_is_not_read(tmp_path: Path) -> None:
    """Alternative titles are not stored, so title.akas is not read: a damaged one neither fails the ingest nor
    changes what is stored (reading it only to check it cost about a tenth of the ingest's CPU)."""
    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    assert (folder / "title.akas.tsv").exists()
    clean = tmp_path / "clean.duckdb"
    api.ingest_imdb(folder, clean)
    (folder / "title.akas.tsv").write_bytes(b"not\tthe header\n\xff\xfe only two\n")
    damaged = tmp_path / "damaged.duckdb"
    api.ingest_imdb(folder, damaged)
    con = duckdb.connect(str(damaged), read_only=True)
    try:
        con.execute(f"ATTACH '{clean}' AS clean (READ_ONLY)")
        for table in ("titles", "people", "credits", "gender_evidence", "resolved_gender"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0  # type: ignore[index]
            for a, b in ((table, f"clean.{table}"), (f"clean.{table}", table)):
                assert con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})").fetchone() == (0,), table
    finally:
        con.close()
