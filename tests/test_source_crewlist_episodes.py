"""A TV production's own crew list: the columns series, season, episode and episode_title make the series, its
episodes (linked to it as IMDb's are) and credits on each episode, so `crewparity series` reads the list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crewparity import api_sources
from crewparity.cli import app
from crewparity.sources.crewlist import episode_id, person_id, series_id, title_id
from tests._reliability import q
from tests.conftest import run_cli
from tests.test_source_wikidata import snapshot

runner = CliRunner()

# Season 1: a pilot (left out of the counts, as the DGA leaves pilots out), a man, then a woman and a nonbinary
# director co-directing; season 2: a woman twice, a director of no recorded gender once. The creator is credited on
# the series itself (no season, no episode); a gaffer is skipped as in any list.
SEASONS = """series,season,episode,episode_title,year,name,role,gender
My Show,,,,,Ana Lima,Created by,woman
My Show,1,1,Pilot,2015,Ana Lima,Director,woman
My Show,1,2,Second Night,2015,Bo Chen,Director,man
My Show,1,3,,2015,Cy Dee,Director,nonbinary
my show,1,3,,2015,Dee Ray,Director,woman
My Show,1,3,Third Night,2015,Gil Orr,Gaffer,
My Show,2,1,,2016,Eve Moss,Director,woman
My Show,2,2,Two Two,2016,Eve Moss,Director,woman
My Show,2,2,,2016,Eve Moss,Writer,woman
My Show,2,3,,2016,Xq Zv,Director,
"""


def _json(*args: str) -> list[dict[str, object]]:
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    rows: list[dict[str, object]] = json.loads(r.stdout)
    return rows


def test_a_crew_list_of_episodes_gives_the_series_per_season(tmp_path: Path) -> None:
    """Through the CLI in a real process: ingest the list, then `series` per season, `--episodes` and
    `share --by kind` read it, the episodes stored as IMDb's are (kind tv_episode, series_id, season, episode)."""
    f, db = tmp_path / "crew.csv", tmp_path / "tv.duckdb"
    f.write_text(SEASONS)
    r = run_cli("ingest", "crewlist", str(f), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "role gaffer: 1" in r.stdout
    sid = series_id("My Show")
    assert sid.startswith("crew:title:") and sid == series_id("my  SHOW")
    e13 = episode_id("My Show", 1, 3)
    assert e13 == f"{sid}:s1e3"
    assert q(db, "SELECT title_id, kind, name, year, series_id, season, episode, source FROM titles ORDER BY ALL") == [
        (sid, "tv_series", "My Show", 2015, None, None, None, "crewlist"),
        (episode_id("My Show", 1, 1), "tv_episode", "Pilot", 2015, sid, 1, 1, "crewlist"),
        (episode_id("My Show", 1, 2), "tv_episode", "Second Night", 2015, sid, 1, 2, "crewlist"),
        # its title comes from the gaffer's row: a skipped role still says what the episode is called
        (e13, "tv_episode", "Third Night", 2015, sid, 1, 3, "crewlist"),
        (episode_id("My Show", 2, 1), "tv_episode", None, 2016, sid, 2, 1, "crewlist"),
        (episode_id("My Show", 2, 2), "tv_episode", "Two Two", 2016, sid, 2, 2, "crewlist"),
        (episode_id("My Show", 2, 3), "tv_episode", None, 2016, sid, 2, 3, "crewlist"),
    ]
    assert q(db, "SELECT c.title_id, p.name, c.role FROM credits c JOIN people p USING (person_id) "
                 "WHERE c.title_id IN (?, ?) ORDER BY ALL", [sid, e13]) == [
        (sid, "Ana Lima", "creator"), (e13, "Cy Dee", "director"), (e13, "Dee Ray", "director")]

    seasons = _json("series", "My Show", "--db", str(db), "-f", "json")
    assert [(s["series_id"], s["series"], s["season"], s["total"], s["women"], s["men"], s["nonbinary"],
             s["unknown"]) for s in seasons] == [
        (sid, "My Show", 1, 2, 1, 1, 0, 0),  # the pilot left out; 1.3 has a woman among its directors
        (sid, "My Show", 2, 3, 2, 0, 0, 1)]
    assert _json("series", sid, "--db", str(db), "-f", "json") == seasons  # by its id, as series_id shows it
    episodes = _json("series", "my show", "--episodes", "--include-pilots", "--db", str(db), "-f", "json")
    assert [(e["season"], e["episode"], e["title"], e["year"], e["director"], e["gender"], e["source"],
             e["counts_as"], e["pilot"]) for e in episodes] == [
        (1, 1, "Pilot", 2015, "Ana Lima", "woman", "crewlist", "women", True),
        (1, 2, "Second Night", 2015, "Bo Chen", "man", "crewlist", "men", False),
        (1, 3, "Third Night", 2015, "Cy Dee", "nonbinary", "crewlist", "women", False),
        (1, 3, "Third Night", 2015, "Dee Ray", "woman", "crewlist", "women", False),
        (2, 1, None, 2016, "Eve Moss", "woman", "crewlist", "women", False),
        (2, 2, "Two Two", 2016, "Eve Moss", "woman", "crewlist", "women", False),
        (2, 3, None, 2016, "Xq Zv", "unknown", "none", "unknown", False)]
    # the episodes' credits count under their series' kind, as IMDb's do: 9 credits, the creator's on the series too
    (kind,) = _json("share", "--by", "kind", "--unit", "credits", "--roles", "director,writer,creator",
                    "--db", str(db), "-f", "json")
    assert (kind["kind"], kind["women"], kind["men"], kind["nonbinary"], kind["unknown"], kind["total"]) == (
        "tv_series", 6, 1, 1, 1, 9)


def test_a_list_per_season_keeps_the_other_seasons_and_the_series_credits(tmp_path: Path) -> None:
    """Season 2's list, loaded after season 1's, adds its episodes to the same series (the id is the series'
    title alone) and leaves season 1's credits on the series itself and its first year; loading a list again gives
    the same rows."""
    db = tmp_path / "tv.duckdb"
    one, two = tmp_path / "s1.csv", tmp_path / "s2.csv"
    one.write_text("series,season,episode,year,name,role,gender\nMy Show,,,2015,Ana Lima,creator,woman\n"
                   "My Show,1,1,2015,Bo Chen,director,man\n")
    two.write_text("title,series,season,episode,year,name,role,gender\n"
                   "My Show,My Show,2,1,2016,Eve Moss,director,woman\n")
    for f in (one, two):
        assert runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(db)]).exit_code == 0
    sid = series_id("My Show")
    assert q(db, "SELECT kind, year FROM titles WHERE title_id = ?", [sid]) == [("tv_series", 2015)]
    assert q(db, "SELECT t.season, p.name, c.role FROM credits c JOIN titles t USING (title_id) "
                 "JOIN people p USING (person_id) ORDER BY ALL") == [
        (1, "Bo Chen", "director"), (2, "Eve Moss", "director"), (None, "Ana Lima", "creator")]
    before = snapshot(db)
    assert runner.invoke(app, ["ingest", "crewlist", str(two), "--db", str(db)]).exit_code == 0
    after = snapshot(db)
    assert {t: v for t, v in after.items() if t != "sources"} == {t: v for t, v in before.items() if t != "sources"}
    r = runner.invoke(app, ["series", "My Show", "--db", str(db), "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert [line.split(",")[2:5] for line in r.output.splitlines()[1:]] == [["1", "1", "0"], ["2", "1", "1"]]


def test_a_mini_series_a_film_and_ids_that_do_not_collide(store: Path, tmp_path: Path) -> None:
    """One list of a mini-series (its kind said on one row) and a film, in a store of IMDb rows: the series is a
    tv_mini_series, the film is the film it always was (same id), and no crew-list id is an IMDb id."""
    f = tmp_path / "crew.csv"
    f.write_text("title,series,season,episode,kind,year,name,role,gender\n"
                 "Our Film,,,,,2024,Ana Lima,director,woman\n"
                 ",Short Run,1,1,,2023,Ana Lima,director,\n"
                 ",Short Run,1,2,tv_mini_series,2023,Bo Chen,director,man\n"
                 "Short Run,Short Run,1,2,tv episode,2023,Bo Chen,writer,\n")
    imdb_titles = q(store, "SELECT count(*) FROM titles")[0][0]
    r = runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    assert q(store, "SELECT title_id, kind, name, year, series_id, season, episode FROM titles "
                    "WHERE source = 'crewlist' ORDER BY ALL") == sorted([
        (title_id("Our Film", 2024, "movie"), "movie", "Our Film", 2024, None, None, None),
        (series_id("Short Run"), "tv_mini_series", "Short Run", 2023, None, None, None),
        (episode_id("Short Run", 1, 1), "tv_episode", None, 2023, series_id("Short Run"), 1, 1),
        (episode_id("Short Run", 1, 2), "tv_episode", None, 2023, series_id("Short Run"), 1, 2)])
    assert q(store, "SELECT count(*) FROM titles")[0][0] == imdb_titles + 4
    assert q(store, "SELECT count(*) FROM titles WHERE title_id LIKE 'crew:%' AND source <> 'crewlist'") == [(0,)]
    assert q(store, "SELECT count(DISTINCT title_id) = count(*) FROM titles") == [(True,)]
    r = runner.invoke(app, ["series", "short run", "--db", str(store), "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1].split(",")[1:6] == ["Short Run", "1", "2", "1", "1"]


def test_a_contradiction_across_lists_names_the_episode(store: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("series,season,episode,year,name,role,gender\nMy Show,1,2,2015,Sam Vale,director,woman\n")
    b.write_text("series,season,episode,year,name,role,gender\nMy Show,2,4,2016,Sam Vale,director,man\n")
    assert api_sources.ingest_crewlist(a, store).warnings == []
    (warning,) = api_sources.ingest_crewlist(b, store).warnings
    assert warning.startswith("Sam Vale is man in b.csv:2 (My Show S2E4, 2016) but woman in a.csv:2 "
                              "(My Show S1E2, 2015), "), warning
    assert q(store, "SELECT gender FROM resolved_gender WHERE person_id = ?", [person_id("Sam Vale")]) == [
        ("unknown",)]


HEAD = "series,season,episode,episode_title,year,kind,name,role\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEAD + "S,0,1,,2020,,A,director\n",
         "crew.csv:2: column season: '0' is not a season number; expected a whole number from 1"),
        (HEAD + "S,1,-2,,2020,,A,director\n",
         "crew.csv:2: column episode: '-2' is not an episode number; expected a whole number from 1"),
        (HEAD + "S,1,1,,2020,,A,director\nS,1.0,2,,2020,,A,director\n",
         "crew.csv:3: column season: '1.0' is not a season number"),
        (HEAD + "S,1,99999999999,,2020,,A,director\n", "crew.csv:2: column episode: '99999999999' is not an episode"),
        ("title,season,episode,name,role\nS,1,2,A,director\n",
         "crew.csv:2: column season is '1' but the list has no series column; expected the series' title in column "
         "series (an episode belongs to a series)"),
        ("title,series,season,episode,name,role\nS,S,1,2,A,director\nFilm,,,3,B,writer\n",
         "crew.csv:3: column episode is '3' but column series is empty"),
        ("title,series,episode_title,name,role\nFilm,,Pilot,B,writer\n",
         "crew.csv:2: column episode_title is 'Pilot' but column series is empty"),
        (HEAD + "S,1,,,2020,,A,director\n", "crew.csv:2: column episode is empty; expected the episode's number in "
                                            "its season (an episode has a season and a number; a row with neither "
                                            "credits the series itself)"),
        (HEAD + "S,,4,,2020,,A,director\n", "crew.csv:2: column season is empty; expected the episode's season"),
        (HEAD + "S,,,Pilot,2020,,A,director\n",
         "crew.csv:2: column episode_title is 'Pilot' but columns season and episode are empty"),
        ("title,series,season,episode,name,role\nPilot,S,1,1,A,director\n",
         "crew.csv:2: column title is 'Pilot' and column series is 'S'; expected the series' title or nothing in "
         "column title (an episode's own title goes in column episode_title)"),
        ("title,series,name,role\n,,A,director\n", "crew.csv:2: column title is empty"),
        (HEAD + "S,1,1,,2020,movie,A,director\n", "crew.csv:2: column kind: 'movie' in a row of the series 'S'; "
                                                  "expected tv_series or tv_mini_series (the series' kind), "
                                                  "tv_episode or nothing"),
        (HEAD + "S,,,,2020,tv_episode,A,creator\n",
         "crew.csv:2: column kind: 'tv_episode' but columns season and episode are empty"),
        (HEAD + "S,1,1,,2020,tv_series,A,director\nS,1,2,,2020,tv_mini_series,B,director\n",
         "crew.csv:3: the series 'S' is tv_series on line 2 and tv_mini_series here; expected one kind per series"),
        (HEAD + "S,1,1,Pilot,2020,,A,director\ns,1,1,Opening,2020,,B,writer\n",
         "crew.csv:3: episode 1.1 of 's' is titled 'Pilot' on line 2 and 'Opening' here; expected one title per "
         "episode"),
        (HEAD + "S,1,1,,2020,,A,director\nS,1,1,,2021,,B,writer\n",
         "crew.csv:3: episode 1.1 of 'S' is of 2020 on line 2 and of 2021 here; expected one year per episode"),
    ],
)
def test_bad_episode_columns_are_one_line_and_leave_the_store(store: Path, tmp_path: Path, content: str,
                                                              expected: str) -> None:
    f = tmp_path / "crew.csv"
    f.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "crewlist", str(f), "--db", str(store)])
    assert r.exit_code == 1
    assert r.output.startswith(f"crewparity: error: {tmp_path / expected}"), r.output
    assert len(r.output.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_an_episode_without_a_series_in_a_real_process(store: Path, tmp_path: Path) -> None:
    """As a user sees it: one line on stderr naming the file and line, exit code 1, nothing on stdout, the store as
    it was (and `series` still finds nothing of it)."""
    f = tmp_path / "crew.csv"
    f.write_text("title,year,season,episode,name,role\nZqx Show,2020,1,3,A,director\n")
    before = snapshot(store)
    r = run_cli("ingest", "crewlist", str(f), "--db", str(store))
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (f"crewparity: error: {f}:2: column season is '1' but the list has no series column; expected "
                        "the series' title in column series (an episode belongs to a series)\n")
    assert snapshot(store) == before
    r = run_cli("series", "Zqx Show", "--db", str(store))
    assert r.returncode == 1 and "no TV series or mini-series title contains 'Zqx Show'" in r.stderr


@pytest.mark.parametrize(("cell", "what"), [("tt2357547", "an IMDb title id"), ("TT2357547", "an IMDb title id"),
                                            ("tmdb:tv:60573", "a TMDB title id"),
                                            (series_id("My Show"), "a crew list's title id")])
def test_a_series_id_in_the_series_column_is_one_line_saying_what_it_takes(store: Path, tmp_path: Path, cell: str,
                                                                           what: str) -> None:
    """The series column takes the series' title. An id there was read as a title: the list made a series named
    "tt2357547" beside IMDb's, and its episodes counted under it. It is not taken as the id either: the list's
    episodes are titles of their own, and under the store's series each would stand beside IMDb's episode of the
    same place, its director counted twice."""
    f = tmp_path / "crew.csv"
    f.write_text(f"series,season,episode,name,role\nMy Show,1,1,A,director\n{cell},1,2,B,director\n")
    before = snapshot(store)
    r = run_cli("ingest", "crewlist", str(f), "--db", str(store))
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (f"crewparity: error: {f}:3: column series is {cell!r}, {what}; expected the series' title "
                        "(My Show): the list's episodes are titles of their own, and put under the store's series "
                        "they would count beside its episodes, twice\n")
    assert snapshot(store) == before


def test_a_series_title_that_looks_a_little_like_an_id_is_a_title(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    f = tmp_path / "crew.csv"
    f.write_text("series,season,episode,name,role\nTT Races,1,1,A,director\ntt,1,1,B,director\n24,1,1,C,director\n")
    api_sources.ingest_crewlist(f, db)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = con.execute("SELECT name FROM titles WHERE kind = 'tv_series' ORDER BY 1").fetchall()
    finally:
        con.close()
    assert names == [("24",), ("TT Races",), ("tt",)]
