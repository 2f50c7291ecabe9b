"""The DGA season lists claim only what the store shows: a season is on `--rank best` or `--rank worst` only
when the episodes whose director's gender is unknown cannot change that, and one default `--min-episodes`
(the rules file's dga.min_episodes, 6) is used by the CLI, the Python API, /api/series, /rankings and the report.

A hand-written store, every season of 2020 and every count worked out by hand (W = Wanda, a woman by her IMDb
label; M = Mike, a man; U = "U. V. Wu", initials only: unknown; N = Noa, nonbinary by a Wikidata statement):

  tt0500001 All Men Known      S1: 6 x M                      -> worst (every director known, none a woman)
                               S2: 3 x M                      -> worst only with --min-episodes 3 or less
  tt0500002 Men And Unknowns   S1: 5 x M, 1 x U               -> left out of worst: U could be a woman
  tt0500003 Nonbinary And U    S1: 5 x M, 1 x (N + U)         -> counted nonbinary, unknown 0, but U could be a
                                                                 woman: left out of worst too
  tt0500004 Sure Best          S1: 3 x W, 2 x M, 1 x U        -> best: 3 of 6 = 50% even if U is a man
                                                                 (share_known 3 of 5 = 60%)
  tt0500005 The Mirror         S1: 2 x W, 1 x M, 10 x U       -> share_known 67%, but 2 of 13 = 15% if the
                                                                 unknowns are men: left out of best
  tt0500006 Hopeless           S1: 1 x W, 5 x M, 1 x U        -> 1 of 6 known, 2 of 7 at most: on no list and not
                                                                 counted as left out
  tt0500007 Short Run          S1: 2 x W                      -> best only with --min-episodes 2 or less

`--undecided` (``undecided=True``, ``undecided=true``) lists the seasons left out, by the same rule: worst ->
Men And Unknowns (could_be_women 1) and Nonbinary And U (1; 1/2 with --codirected fractional, as Noa and U
share the episode); best -> The Mirror (could_be_women 10).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import crewparity
from crewparity.metrics.episodes import left_out_for_unknowns, rank_seasons
from crewparity.metrics.roles import dga_min_episodes
from crewparity.output import to_records
from crewparity.store import open_store
from tests._dashboard_store import dashboard_client
from tests._metrics_store import N, _title, write_files
from tests.conftest import run_cli

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

W, M, U, NB = "nm0500001", "nm0500002", "nm0500003", "nm0500004"
SERIES = {
    "tt0500001": ("All Men Known", {1: [M] * 6, 2: [M] * 3}),
    "tt0500002": ("Men And Unknowns", {1: [M] * 5 + [U]}),
    "tt0500003": ("Nonbinary And U", {1: [M] * 5 + [f"{NB},{U}"]}),
    "tt0500004": ("Sure Best", {1: [W] * 3 + [M] * 2 + [U]}),
    "tt0500005": ("The Mirror", {1: [W] * 2 + [M] + [U] * 10}),
    "tt0500006": ("Hopeless", {1: [W] + [M] * 5 + [U]}),
    "tt0500007": ("Short Run", {1: [W] * 2}),
}


def _build(tmp: Path) -> Path:
    from crewparity import api
    from crewparity.gender.resolve import resolve
    from crewparity.store import writing

    dump = tmp / "dump"
    dump.mkdir(parents=True)
    basics, episodes, crew = [], [], []
    for sid, (name, seasons) in SERIES.items():
        basics.append(_title(sid, "tvSeries", name, 2020))
        for season, directors in seasons.items():
            for i, directed_by in enumerate(directors, start=1):
                tid = f"tt{int(sid[2:]) * 1000 + season * 100 + i:010d}"
                basics.append(_title(tid, "tvEpisode", f"{name} {season}.{i}", 2020))
                episodes.append([tid, sid, str(season), str(i)])
                crew.append([tid, directed_by, N])
    write_files(dump, basics, episodes, crew, [
        [W, "Wanda West", N, N, "actress,director", N],
        [M, "Mike Moss", N, N, "actor,director", N],
        [U, "U. V. Wu", N, N, "director", N],
        [NB, "Noa Nash", N, N, "director", N],
    ], {sid: "100" for sid in SERIES})
    db = tmp / "ranks.duckdb"
    api.ingest_imdb(dump, db)
    with writing(db) as store:
        store.con.execute("INSERT INTO gender_evidence VALUES (?, 'nonbinary', 'wikidata', 1.0, 'P21 Q48270')", [NB])
        resolve(store)
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("rank_unknowns"))


def _rank(db: Path, rank: str, **kwargs: object) -> tuple[list[dict[str, object]], int | None]:
    with open_store(db) as store:
        table = rank_seasons(store, rank, **kwargs)  # type: ignore[arg-type]
    return table.to_pylist(), left_out_for_unknowns(table)


def _listed(rows: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(r["series"], r["season"]) for r in rows]


def test_the_store_counts_as_the_docstring_says(db: Path) -> None:
    with crewparity.open(db) as cp:
        seasons = {(r["series"], r["season"]): (r["total"], r["women"], r["men"], r["nonbinary"], r["unknown"])
                   for sid in SERIES for r in cp.series(sid).to_pylist()}
    assert seasons == {
        ("All Men Known", 1): (6, 0, 6, 0, 0), ("All Men Known", 2): (3, 0, 3, 0, 0),
        ("Men And Unknowns", 1): (6, 0, 5, 0, 1), ("Nonbinary And U", 1): (6, 0, 5, 1, 0),
        ("Sure Best", 1): (6, 3, 2, 0, 1), ("The Mirror", 1): (13, 2, 1, 0, 10),
        ("Hopeless", 1): (7, 1, 5, 0, 1), ("Short Run", 1): (2, 2, 0, 0, 0),
    }


def test_worst_lists_a_season_only_when_every_director_is_known(db: Path) -> None:
    rows, left_out = _rank(db, "worst")
    assert _listed(rows) == [("All Men Known", 1)]
    # Men And Unknowns (U alone) and Nonbinary And U (U beside Noa: counted nonbinary, its unknown column 0)
    assert left_out == 2
    assert rows[0]["unknown"] == 0 and rows[0]["women"] == 0


def test_best_counts_every_unknown_as_a_man(db: Path) -> None:
    rows, left_out = _rank(db, "best")
    assert _listed(rows) == [("Sure Best", 1)]
    sure = rows[0]
    assert (sure["unknown"], sure["share_known"], sure["share_if_unknown_men"]) == (1, pytest.approx(0.6), 0.5)
    assert left_out == 1  # The Mirror; Hopeless could reach 2 of 7 at most and is no near miss


def test_fractional_codirection_keeps_the_same_rule(db: Path) -> None:
    worst, worst_out = _rank(db, "worst", codirected="fractional")
    best, best_out = _rank(db, "best", codirected="fractional")
    assert _listed(worst) == [("All Men Known", 1)] and worst_out == 2
    assert _listed(best) == [("Sure Best", 1)] and best_out == 1


def test_the_left_out_count_ignores_the_row_limit_and_survives_an_empty_list(db: Path) -> None:
    rows, left_out = _rank(db, "worst", limit=1, min_episodes=1)
    assert _listed(rows) == [("All Men Known", 1)] and left_out == 2
    rows, left_out = _rank(db, "worst", min_episodes=10)
    assert rows == [] and left_out == 0
    rows, left_out = _rank(db, "best", min_episodes=10)
    assert rows == [] and left_out == 1  # The Mirror has 13 episodes


def test_one_default_for_min_episodes(db: Path) -> None:
    assert dga_min_episodes() == 6
    with crewparity.open(db) as cp:
        default = cp.series_rank("best")
        every = cp.series_rank("best", min_episodes=1)
        worst_every = cp.series_rank("worst", min_episodes=1)
    assert _listed(default.to_pylist()) == [("Sure Best", 1)]
    assert _listed(every.to_pylist()) == [("Short Run", 1), ("Sure Best", 1)]
    assert _listed(worst_every.to_pylist()) == [("All Men Known", 1), ("All Men Known", 2)]


def test_cli_lists_the_sure_seasons_and_says_how_many_it_left_out(db: Path) -> None:
    worst = run_cli("series", "--rank", "worst", "-f", "json", "--db", str(db))
    assert worst.returncode == 0, worst.stderr
    assert [(r["series"], r["season"]) for r in json.loads(worst.stdout)] == [("All Men Known", 1)]
    assert worst.stderr.startswith("crewparity: note: 2 seasons left out of the worst list: they have no episode "
                                   "known to be directed by a woman but some by a director of unknown gender")
    best = run_cli("series", "--rank", "best", "--db", str(db))
    assert best.returncode == 0, best.stderr
    assert "Sure Best" in best.stdout and "The Mirror" not in best.stdout and "Short Run" not in best.stdout
    assert "seasons of at least 6 episodes" in best.stdout
    assert best.stderr.startswith("crewparity: note: 1 season left out of the best list: it has under 40% of "
                                  "episodes known to be directed by women")
    every = run_cli("series", "--rank", "best", "--min-episodes", "1", "-f", "csv", "--db", str(db))
    assert every.returncode == 0 and "Short Run" in every.stdout


def test_cli_help_states_the_default_and_the_rule() -> None:
    text = " ".join(run_cli("series", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert re.search(r"default 6\b", text)
    assert "even if every director of unknown gender were a man" in text


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    yield from dashboard_client(db)


def test_api_and_dashboard_use_the_same_default_and_rule(client: TestClient) -> None:
    api = client.get("/api/series", params={"rank": "best"})
    assert api.status_code == 200
    assert [(r["series"], r["season"]) for r in api.json()] == [("Sure Best", 1)]
    worst = client.get("/api/series", params={"rank": "worst"}).json()
    assert [(r["series"], r["season"]) for r in worst] == [("All Men Known", 1)]
    page = client.get("/rankings").text
    assert "Sure Best" in page and "All Men Known" in page
    assert "The Mirror" not in page and "Men And Unknowns" not in page and "Short Run" not in page
    assert 'name="min_episodes" type="number" value="6"' in page
    assert "1 more season left out of this list" in page and "2 more seasons left out of this list" in page


def test_report_uses_the_same_default_and_rule(db: Path, tmp_path: Path) -> None:
    from crewparity.report import build_report

    html = build_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    best = html[html.index('id="best"'):html.index('id="worst"')]
    worst = html[html.index('id="worst"'):]
    assert "Sure Best" in best and "The Mirror" not in best and "Short Run" not in best
    assert "1 more season would reach 40%" in best
    assert "All Men Known" in worst and "Men And Unknowns" not in worst and "Nonbinary And U" not in worst
    assert "2 more seasons with no episode known to be directed by a woman" in worst


# -- the seasons left out, listed (--undecided) --------------------------------------------------------------

UNDECIDED = {
    # (rank, codirected): [(series, season, could_be_women)] in the list's order
    ("worst", "any"): [("Men And Unknowns", 1, 1), ("Nonbinary And U", 1, 1)],
    ("worst", "fractional"): [("Men And Unknowns", 1, 1.0), ("Nonbinary And U", 1, 0.5)],
    ("best", "any"): [("The Mirror", 1, 10)],
    ("best", "fractional"): [("The Mirror", 1, 10.0)],
}


@pytest.mark.parametrize("rank,codirected", list(UNDECIDED))
@pytest.mark.parametrize("min_episodes", [None, 1])
def test_undecided_lists_exactly_the_seasons_the_note_counts(db: Path, rank: str, codirected: str,
                                                             min_episodes: int | None) -> None:
    listed, counted = _rank(db, rank, codirected=codirected, min_episodes=min_episodes)
    undecided, also_counted = _rank(db, rank, codirected=codirected, min_episodes=min_episodes, undecided=True)
    assert [(r["series"], r["season"], r["could_be_women"]) for r in undecided] == UNDECIDED[rank, codirected]
    assert len(undecided) == counted == also_counted
    assert not set(_listed(undecided)) & set(_listed(listed))
    # the list's columns, plus what would decide each season
    assert list(undecided[0]) == [*listed[0], "could_be_women"]


def test_undecided_keeps_the_years_lengths_and_limit(db: Path) -> None:
    rows, counted = _rank(db, "worst", undecided=True, limit=1)
    assert _listed(rows) == [("Men And Unknowns", 1)] and counted == 2  # the count is before the limit
    assert _rank(db, "best", undecided=True, min_episodes=14) == ([], 0)  # The Mirror has 13 episodes
    assert _rank(db, "worst", undecided=True, year_from=2021) == ([], 0)


def test_python_api_mirrors_cli_undecided(db: Path) -> None:
    with crewparity.open(db) as cp:
        table = cp.series_rank("worst", undecided=True)
    res = run_cli("series", "--rank", "worst", "--undecided", "-f", "json", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == json.loads(json.dumps(to_records(table), default=str))


def test_cli_note_names_the_option_and_the_option_lists_them(db: Path) -> None:
    worst = run_cli("series", "--rank", "worst", "--db", str(db))
    assert "--undecided lists them" in worst.stderr
    listing = run_cli("series", "--rank", "worst", "--undecided", "--db", str(db), env={"COLUMNS": "200"})
    assert listing.returncode == 0, listing.stderr
    assert "Men And Unknowns" in listing.stdout and "Nonbinary And U" in listing.stdout
    assert "All Men Known" not in listing.stdout and "could_be_women" in listing.stdout
    assert "left out of the worst list" in listing.stdout  # the title says what this table is
    assert "crewparity series --rank worst --undecided" in listing.stdout  # the caption reproduces it
    assert "left out" not in listing.stderr  # no note counting what the table lists
    best = run_cli("series", "--rank", "best", "--undecided", "-f", "csv", "--min-episodes", "1", "--db", str(db))
    assert best.returncode == 0, best.stderr
    assert best.stdout.splitlines()[0].endswith(",could_be_women") and "The Mirror" in best.stdout
    empty = run_cli("series", "--rank", "best", "--undecided", "--min-episodes", "14", "--db", str(db))
    assert empty.returncode == 0 and "no series-season" in empty.stdout + empty.stderr


def test_cli_undecided_needs_rank(db: Path) -> None:
    res = run_cli("series", "Hopeless", "--undecided", "--db", str(db))
    assert res.returncode != 0 and "--undecided needs --rank best|worst" in res.stderr


def test_api_lists_the_undecided_and_the_dashboard_links_to_them(client: TestClient) -> None:
    api = client.get("/api/series", params={"rank": "worst", "undecided": "true"})
    assert api.status_code == 200
    assert [(r["series"], r["season"], r["could_be_women"]) for r in api.json()] == UNDECIDED["worst", "any"]
    assert client.get("/api/series", params={"query": "Hopeless", "undecided": "true"}).status_code == 400
    page = client.get("/rankings").text
    links = re.findall(r'<a href="([^"]*undecided=true[^"]*format=json[^"]*)"', page)
    assert len(links) == 2, links  # one under each list (and a CSV beside it)
    assert len(re.findall(r'<a href="[^"]*undecided=true[^"]*format=csv[^"]*" download>', page)) == 2
    seen = {}
    for link in links:
        res = client.get(link.replace("&amp;", "&"))
        assert res.status_code == 200
        rows = res.json()
        seen[rows[0]["series"]] = [(r["series"], r["season"]) for r in rows]
    assert seen == {"The Mirror": [("The Mirror", 1)],
                    "Men And Unknowns": [("Men And Unknowns", 1), ("Nonbinary And U", 1)]}
    # the link keeps the page's selection
    narrowed = client.get("/rankings", params={"min_episodes": 1, "from": 2019}).text
    assert all("min_episodes=1" in x and "from=2019" in x
               for x in re.findall(r'<a href="([^"]*undecided=true[^"]*)"', narrowed))


def test_report_names_the_command_that_lists_them(db: Path, tmp_path: Path) -> None:
    from crewparity.report import build_report

    html = build_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    best = html[html.index('id="best"'):html.index('id="worst"')]
    worst = html[html.index('id="worst"'):]
    assert "crewparity series --rank best --undecided" in best
    assert "crewparity series --rank worst --undecided" in worst
    years = build_report(db, tmp_path / "years.html", year_from=2019, year_to=2021).read_text(encoding="utf-8")
    assert "crewparity series --rank worst --undecided --from 2019 --to 2021 lists them" in years
