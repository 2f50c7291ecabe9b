"""`crewparity ingest overrides`: a person's own statement or a correction beats every other source."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from crewparity.cli import app
from tests.test_source_wikidata import snapshot

runner = CliRunner()


def _imdb_people(db: Path, n: int) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT person_id, gender FROM resolved_gender WHERE source = 'imdb' "
                           "ORDER BY person_id LIMIT ?", [n]).fetchall()
    finally:
        con.close()


def _resolved(db: Path, pid: str) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT gender, source, p_woman FROM resolved_gender WHERE person_id = ?",
                           [pid]).fetchall()[0]
    finally:
        con.close()


def test_override_wins_and_may_say_nonbinary(store: Path, tmp_path: Path) -> None:
    (a, ga), (b, _gb) = _imdb_people(store, 2)
    flipped = {"man": "woman", "woman": "man"}[ga]
    f = tmp_path / "o.csv"
    f.write_text(f"person_id,gender,note\n{a},{flipped.upper()},curated correction\n{b}, non-binary ,own statement\n"
                 f"{a},{flipped},same again is fine\n")
    r = runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    assert _resolved(store, a)[:2] == (flipped, "overrides")
    assert _resolved(store, b)[:2] == ("nonbinary", "overrides")
    con = duckdb.connect(str(store), read_only=True)
    ev = con.execute("SELECT person_id, gender, confidence, detail FROM gender_evidence WHERE source = 'overrides' "
                     "ORDER BY person_id").fetchall()
    con.close()
    assert [(p, g, c) for p, g, c, _ in ev] == sorted([(a, flipped, 1.0), (b, "nonbinary", 1.0)])
    assert any("o.csv:2 curated correction" == d for *_, d in ev)


def test_reingest_replaces_earlier_overrides(store: Path, tmp_path: Path) -> None:
    (a, ga), = _imdb_people(store, 1)
    f = tmp_path / "o.csv"
    f.write_text(f"person_id,gender\n{a},nonbinary\n")
    assert runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)]).exit_code == 0
    assert _resolved(store, a)[:2] == ("nonbinary", "overrides")
    f.write_text("person_id,gender,note\n")
    assert runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)]).exit_code == 0
    assert _resolved(store, a)[:2] == (ga, "imdb")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("person_id,gender,note\nnm1,woman,\nnm2,other,\n",
         "o.csv:3: column gender: 'other' is not an allowed gender; expected woman, man, nonbinary"),
        ("person_id,note\nnm1,x\n",
         "o.csv:1: missing column gender; the header has: person_id, note; required: person_id, gender; optional: note"),
        ("person_id;note\nnm1;x\n", "o.csv:1: missing column gender; the header, read as semicolon-separated, has: "
                                     "person_id, note; required: person_id, gender; optional: note"),
        ("Person ID\tGender\nnm1\twoman\n", "o.csv:1: missing column person_id; the header, read as tab-separated, "
                                            "has: Person ID, Gender; required: person_id, gender; optional: note"),
        ("person_id;gender;note\nnm1;woman\n", "o.csv:2: expected 3 fields, found 2"),
        ("person_id,gender,note\n,woman,\n", "o.csv:2: column person_id is empty"),
        ("person_id,gender,note\nnm1,woman,\nnm1,man,\n", "o.csv:3: nm1 is woman on line 2 and man here"),
        ("person_id,gender,note\nnm1,woman\n", "o.csv:2: expected 3 fields, found 2"),
        ("", "o.csv:1: empty file; expected a CSV header line (required: person_id, gender; optional: note)"),
        # a quote left open was read on to the end of the file: the lines after it one note, or no error at all
        ("person_id,gender,note\nnm1,woman,ok\nnm9900000003,woman,\"unterminated\n",
         "o.csv:3: a quoted field opened here is never closed (read on to line 3, the end of the file)"),
        ("person_id,gender,note\nnm1,woman,\"open\nnm2,man,swallowed\nnm3,man,too\n",
         "o.csv:2: a quoted field opened here is never closed (read on to line 4, the end of the file)"),
        ("person_id,gender,note\nnm1,woman,\"said\" twice\n", "o.csv:2: text after a closing quote"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_store(store: Path, tmp_path: Path, content: str, expected: str) -> None:
    f = tmp_path / "o.csv"
    f.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)])
    assert r.exit_code == 1
    assert expected in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_quoted_notes_that_close_are_read(store: Path, tmp_path: Path) -> None:
    """Strict reading refuses only what is broken: a note over two lines and a doubled quote inside one are
    read as before."""
    f = tmp_path / "o.csv"
    f.write_text('person_id,gender,note\nnm1,W,"two\nlines"\nnm2,man,"a ""quoted"" word"\n')
    assert runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)]).exit_code == 0
    con = duckdb.connect(str(store), read_only=True)
    got = con.execute("SELECT person_id, gender, detail FROM gender_evidence WHERE source = 'overrides' "
                      "ORDER BY person_id").fetchall()
    con.close()
    assert got == [("nm1", "woman", "o.csv:3 two\nlines"), ("nm2", "man", 'o.csv:4 a "quoted" word')]


def test_a_semicolon_separated_file_is_read(store: Path, tmp_path: Path) -> None:
    """The overrides file shares the crew list's reader: a header that is one cell holding semicolons (Excel's
    "CSV" where the decimal mark is a comma) is read with semicolons, a comma in a note is then text."""
    (a, ga), = _imdb_people(store, 1)
    f = tmp_path / "o.csv"
    f.write_text(f"Person_ID;Gender;Note\n{a};nonbinary;own statement, 2024\n")
    r = runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    assert _resolved(store, a)[:2] == ("nonbinary", "overrides")
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT detail FROM gender_evidence WHERE source = 'overrides'").fetchall() == [
        ("o.csv:2 own statement, 2024",)]
    con.close()


def test_latin1_file_names_its_line(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_bytes(b"person_id,gender,note\nnm1,woman,ok\nnm2,man,Jos\xe9\n")
    r = runner.invoke(app, ["ingest", "overrides", str(f), "--db", str(store)])
    assert r.exit_code == 1
    assert "o.csv" in r.output and "not valid UTF-8" in r.output


def test_the_user_is_told_who_loses_an_override_and_which_ids_the_store_lacks(store: Path, tmp_path: Path) -> None:
    """A reviewer's 2-row file silently dropped the 10 overrides loaded before, and a typo'd id was taken as
    it was: both are now said, one warning line each (the load itself still succeeds)."""
    from crewparity import api_sources
    from tests.conftest import run_cli

    (a, _ga), (b, _gb), (c, _gc) = _imdb_people(store, 3)
    f = tmp_path / "o.csv"
    f.write_text(f"person_id,gender\n{a},nonbinary\n{b},nonbinary\n{c},nonbinary\n")
    first = api_sources.ingest_overrides(f, store)
    assert first.warnings == []
    f.write_text(f"person_id,gender\n{a},nonbinary\nnm99000000O3,woman\n")
    second = api_sources.ingest_overrides(f, store)
    assert len(second.warnings) == 2, second.warnings
    assert second.warnings[0].startswith("2 people had overrides evidence that this file does not repeat")
    assert b in second.warnings[0] and c in second.warnings[0]
    # (a count of one in the singular: it read "1 of the file's person ids are ... their evidence")
    assert second.warnings[1].startswith("1 of the file's person ids is in neither the people nor the credits")
    assert "nm99000000O3" in second.warnings[1]
    assert _resolved(store, b)[1] != "overrides"                  # the replacement itself is as before
    r = run_cli("ingest", "overrides", str(f), "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("crewparity: warning:")] == [
        "crewparity: warning: 1 of the file's person ids is in neither the people nor the credits of this store "
        "(e.g. nm99000000O3); its evidence is kept, and counts once it is loaded"]
