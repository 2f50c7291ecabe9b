"""`crewparity ingest crewlist`: a production's own crew list, with aliases, stable ids and self-reported gender."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crewparity.cli import app
from crewparity.sources.crewlist import person_id, title_id
from tests._reliability import q
from tests.conftest import run_cli
from tests.test_source_wikidata import snapshot

runner = CliRunner()

LIST = """title,year,kind,name,role,gender,person_id
Our Film,2024,,Ana Lima,Director,F,
Our Film,2024,,Bo  Chen,DP,nonbinary,
Our Film,2024,,Cal Dee,Gaffer,,
Our Film,2024,,Dee Ray,Showrunner,,
Our Film,2024,,Ana Lima,Writer,woman,
Our Film,2024,,Nan Na,editor,,
"""


def test_crew_list_rows_and_evidence(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "crew.csv"
    f.write_text(LIST)
    r = runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    assert "role gaffer: 1" in r.output
    tid = title_id("Our Film", 2024, "movie")
    assert tid.startswith("crew:title:") and tid == title_id("our  film", 2024, "movie")
    assert q(store, "SELECT kind, name, year, source FROM titles WHERE title_id = ?", [tid]) == [
        ("movie", "Our Film", 2024, "crewlist")]
    got = q(store, "SELECT p.name, c.role, c.job FROM credits c JOIN people p USING (person_id) "
                   "WHERE c.title_id = ? ORDER BY ALL", [tid])
    assert got == [("Ana Lima", "director", "Director"), ("Ana Lima", "writer", "Writer"),
                   ("Bo Chen", "cinematographer", "DP"), ("Dee Ray", "executive_producer", "Showrunner"),
                   ("Nan Na", "editor", "editor")]
    assert q(store, "SELECT person_id, gender, source FROM resolved_gender WHERE person_id IN (?, ?) ORDER BY ALL",
             [person_id("Ana Lima"), person_id("Bo Chen")]) == sorted([
        (person_id("Ana Lima"), "woman", "crewlist"), (person_id("Bo Chen"), "nonbinary", "crewlist")])
    # no gender in the list: no crew-list evidence; what Nan Na gets is the first-name model's (or nothing)
    assert q(store, "SELECT count(*) FROM gender_evidence WHERE person_id = ?", [person_id("Nan Na")]) == [(0,)]
    (source,) = q(store, "SELECT source FROM resolved_gender WHERE person_id = ?", [person_id("Nan Na")])[0]
    assert source in ("name_model", "none")


def test_crewlist_outranks_imdb_but_not_overrides(store: Path, tmp_path: Path) -> None:
    pid, g = q(store, "SELECT person_id, gender FROM resolved_gender WHERE source = 'imdb' ORDER BY 1 LIMIT 1")[0]
    other = {"man": "woman", "woman": "man"}[g]
    f = tmp_path / "crew.csv"
    f.write_text(f"name,role,gender,person_id\nSomeone,director,{other},{pid}\n")
    assert runner.invoke(app, ["ingest", "crewlist", str(f), "--title", "Short One", "--year", "2023",
                               "--db", str(store)]).exit_code == 0
    assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]) == [(other, "crewlist")]
    assert q(store, "SELECT count(*) FROM people WHERE person_id = ?", [pid]) == [(1,)]  # the IMDb row stays
    assert q(store, "SELECT t.name, t.year FROM credits c JOIN titles t USING (title_id) "
                    "WHERE c.person_id = ? AND c.source = 'crewlist'", [pid]) == [("Short One", 2023)]
    o = tmp_path / "o.csv"
    o.write_text(f"person_id,gender\n{pid},{g}\n")
    assert runner.invoke(app, ["ingest", "overrides", str(o), "--db", str(store)]).exit_code == 0
    assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]) == [(g, "overrides")]


def test_reingest_replaces_its_titles_only(store: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("title,year,name,role,gender\nFilm A,2020,Ann One,director,woman\nFilm A,2020,Bob Two,editor,man\n")
    b.write_text("title,year,name,role\nFilm B,2021,Cy Three,director\n")
    for f in (a, b):
        assert runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)]).exit_code == 0
    a.write_text("title,year,name,role,gender\nFilm A,2020,Ann One,director,woman\n")
    assert runner.invoke(app, ["ingest", "crewlist", str(a), "--db", str(store)]).exit_code == 0
    assert q(store, "SELECT t.name, p.name FROM credits c JOIN titles t USING (title_id) JOIN people p USING (person_id) "
                    "WHERE c.source = 'crewlist' ORDER BY ALL") == [("Film A", "Ann One"), ("Film B", "Cy Three")]
    assert q(store, "SELECT person_id FROM gender_evidence WHERE source = 'crewlist'") == [(person_id("Ann One"),)]
    assert q(store, "SELECT count(*) FROM sources WHERE source = 'crewlist'") == [(2,)]


def test_a_list_that_contradicts_an_earlier_list_is_said(store: Path, tmp_path: Path) -> None:
    """A reviewer loaded a.csv (Sam Vale, director, woman), then b.csv (Sam Vale, director, man): exit 0, not a
    word, and Sam Vale was unknown. Inside one list the same thing is an error; across lists both rows are kept
    (neither file is wrong alone) and resolve to unknown, and the second load now says so on stderr."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("title,year,name,role,gender\nFilm A,2024,Sam Vale,Director,woman\nFilm A,2024,Kim Roe,Editor,man\n")
    b.write_text("title,year,name,role,gender\nFilm B,2024,Sam Vale,Director,man\n")
    first = run_cli("ingest", "crewlist", str(a), "--db", str(store))
    assert first.returncode == 0 and "warning" not in first.stderr, first.stderr
    second = run_cli("ingest", "crewlist", str(b), "--db", str(store))
    assert second.returncode == 0, second.stderr
    warnings = second.stderr.strip().splitlines()
    assert warnings == [
        "crewparity: warning: Sam Vale is man in b.csv:2 (Film B, 2024) but woman in a.csv:2 (Film A, 2024), from a "
        "crew list loaded before; both are kept, and Sam Vale's gender resolves to unknown until one list is corrected "
        'or an overrides file says which (crewparity gender explain "Sam Vale" shows the evidence)'], warnings
    assert "warning" not in second.stdout
    pid = person_id("Sam Vale")
    assert q(store, "SELECT gender FROM gender_evidence WHERE person_id = ? AND source = 'crewlist' ORDER BY 1",
             [pid]) == [("man",), ("woman",)]
    assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]) == [
        ("unknown", "crewlist")]
    # loading either list again says it again: the store still holds both
    again = run_cli("ingest", "crewlist", str(a), "--db", str(store))
    assert again.returncode == 0 and "Sam Vale is woman in a.csv:2 (Film A, 2024) but man in b.csv:2" in again.stderr
    # an override outranks both lists: the warning says it decides
    o = tmp_path / "o.csv"
    o.write_text(f"person_id,gender\n{pid},woman\n")
    assert run_cli("ingest", "overrides", str(o), "--db", str(store)).returncode == 0
    settled = run_cli("ingest", "crewlist", str(b), "--db", str(store))
    assert settled.returncode == 0
    assert "both are kept, and overrides evidence, which outranks crew lists, decides Sam Vale's gender" in \
        settled.stderr, settled.stderr
    assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]) == [("woman", "overrides")]


def test_a_list_that_agrees_or_corrects_itself_says_nothing(store: Path, tmp_path: Path) -> None:
    """No warning for the same gender in two lists, nor when a list is loaded again without the row that
    contradicted another (its earlier rows are replaced: nothing is left to contradict)."""
    from crewparity import api_sources

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("title,year,name,role,gender\nFilm A,2024,Sam Vale,Director,woman\n")
    b.write_text("title,year,name,role,gender\nFilm B,2024,Sam Vale,Writer,woman\nFilm B,2024,Kim Roe,Editor,\n")
    assert api_sources.ingest_crewlist(a, store).warnings == []
    assert api_sources.ingest_crewlist(b, store).warnings == []
    a.write_text("title,year,name,role,gender\nFilm A,2024,Sam Vale,Director,man\n")
    (warning,) = api_sources.ingest_crewlist(a, store).warnings
    assert warning.startswith("Sam Vale is man in a.csv:2 (Film A, 2024) but woman in b.csv:2 (Film B, 2024), ")
    b.write_text("title,year,name,role,gender\nFilm B,2024,Kim Roe,Editor,\n")
    assert api_sources.ingest_crewlist(b, store).warnings == []
    assert q(store, "SELECT gender, source FROM resolved_gender WHERE person_id = ?", [person_id("Sam Vale")]) == [
        ("man", "crewlist")]


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        ("title,year,name\nX,2020,A\n", [], "crew.csv:1: missing column role"),
        ("title,year,name,role\nX,2020,A,director\n,2020,B,writer\n", [], "crew.csv:3: column title is empty"),
        ("title,year,name,role\nX,20x0,A,director\n", [], "crew.csv:2: column year: '20x0' is not a year"),
        ("title,year,name,role,gender\nX,2020,A,director,maybe\n", [],
         "crew.csv:2: column gender: 'maybe' is not an allowed gender; expected woman, man, nonbinary"),
        ("title,year,kind,name,role\nX,2020,podcast,A,director\n", [], "crew.csv:2: column kind: 'podcast'"),
        ("name,role\nA,director\n", [], "crew.csv:1: missing column title"),
        ("name,role\n", ["--title", "X"], "crew.csv:2: no crew rows"),
        ("title,name,role,gender\nX,\"Ann Lee,director,woman\nX,Bob Ray,director,man\n", [],
         "crew.csv:2: a quoted field opened here is never closed (read on to line 3, the end of the file)"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_store(store: Path, tmp_path: Path, content: str, args: list[str],
                                                    expected: str) -> None:
    f = tmp_path / "crew.csv"
    f.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "crewlist", str(f), *args, "--db", str(store)])
    assert r.exit_code == 1
    assert expected in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    assert snapshot(store) == before


COLUMNS = ("required: name, role (and title unless --title is given or the list has a series column); "
           "optional: year, kind, gender, person_id, series, season, episode, episode_title")
TITLE_HINT = "a list of one film can give the film with --title NAME (and its year with --year YEAR) instead"
LONG = ",".join(["title", "year", "Nom de la personne ayant travaillé sur le film en 2024"] +
                [f"c{i}" for i in range(17)])


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        # a European Excel export: the header read with commas is one cell, so it was "missing column name"
        # although the file has Name; it is read with semicolons, and what is missing is said of that header
        ("Name;Position;Gender\nAna Lima;Director;f\n", [],
         f"missing columns role, title; {TITLE_HINT}; the header, read as semicolon-separated, has: "
         f"Name, Position, Gender; {COLUMNS}"),
        ("Name;Position;Gender\nAna Lima;Director;f\n", ["--title", "Our Film", "--year", "2024"],
         f"missing column role; the header, read as semicolon-separated, has: Name, Position, Gender; {COLUMNS}"),
        ("title\tname\nOur Film\tAna Lima\n", [],
         f"missing column role; the header, read as tab-separated, has: title, name; {COLUMNS}"),
        ("name,role\nAna Lima,director\n", [], f"missing column title; {TITLE_HINT}; the header has: name, role; "
                                              f"{COLUMNS}"),
        ("title,year,name\nOur Film,2024,Ana Lima\n", ["--title", "Our Film"],
         f"missing column role; the header has: title, year, name; {COLUMNS}"),
        (LONG + "\n", [], "missing columns name, role; the header has: title, year, "
                          f"Nom de la personne ayant travaillé su..., {', '.join(f'c{i}' for i in range(9))}, "
                          f"... and 8 more; {COLUMNS}"),
        ("", [], f"empty file; expected a CSV header line ({COLUMNS})"),
    ],
)
def test_a_header_error_shows_the_header_as_read_and_the_columns(store: Path, tmp_path: Path, content: str,
                                                                 args: list[str], expected: str) -> None:
    """A coordinator's own list: the message shows the header as it was read (abbreviated when long), which
    columns are required and which optional in one fixed text whatever the options, and --title for a list
    without a title column."""
    f = tmp_path / "crew.csv"
    f.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "crewlist", str(f), *args, "--db", str(store)])
    assert r.exit_code == 1
    assert r.output.strip() == f"crewparity: error: {f}:1: {expected}"
    assert snapshot(store) == before


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_semicolon_or_tab_separated_list_is_read(store: Path, tmp_path: Path, sep: str) -> None:
    """Excel writes "CSV" with semicolons where the decimal mark is a comma; the header says so, and the list is
    read like its comma-separated twin (a comma inside a cell is then part of the name)."""
    f = tmp_path / "crew.csv"
    f.write_bytes(("\ufeffName;Role;Gender\nAna Lima;Director;f\nLynch, Jen;DoP;\n").replace(";", sep).encode())
    r = runner.invoke(app, ["ingest", "crewlist", str(f), "--title", "Our Film", "--year", "2024",
                            "--db", str(store)])
    assert r.exit_code == 0, r.output
    tid = title_id("Our Film", 2024, "movie")
    assert q(store, "SELECT p.name, c.role, c.job FROM credits c JOIN people p USING (person_id) "
                    "WHERE c.title_id = ? ORDER BY ALL", [tid]) == [
        ("Ana Lima", "director", "Director"), ("Lynch, Jen", "cinematographer", "DoP")]
    assert q(store, "SELECT person_id, gender, detail FROM gender_evidence WHERE source = 'crewlist' "
                    "AND split_part(detail, ' ', 1) = ?", [tid]) == [(person_id("Ana Lima"), "woman", f"{tid} crew.csv:2")]


def test_a_comma_separated_list_is_never_read_another_way(store: Path, tmp_path: Path) -> None:
    """Semicolons in a comma-separated list's cells (or in a header cell of a header that has several) are text."""
    f = tmp_path / "crew.csv"
    f.write_text("title,year,name,role;job\nOur Film; Part 2,2024,Ana;Lima,director\n")
    r = runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)])
    assert r.exit_code == 1
    assert r.output.strip() == (f"crewparity: error: {f}:1: missing column role; the header has: title, year, name, "
                                f"role;job; {COLUMNS}")
    f.write_text("title,year,name,role\nOur Film; Part 2,2024,Ana;Lima,director\n")
    assert runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)]).exit_code == 0
    assert q(store, "SELECT t.name, p.name FROM credits c JOIN titles t USING (title_id) JOIN people p "
                    "USING (person_id) WHERE c.source = 'crewlist'") == [("Our Film; Part 2", "Ana;Lima")]
