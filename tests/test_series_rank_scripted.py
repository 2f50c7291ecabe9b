"""The DGA season lists (`series --rank`, `cp.series_rank`, /api/series, /rankings, the report) leave out the series
`compare dga` leaves out, as the DGA counts scripted series only: the rules file's dga study's `exclude_genres`
(IMDb's unscripted genres) and `exclude_adult`. `--all-series` (``all_series=True``) keeps them, and a note says how
many seasons were left out and why.

A hand-written store, every season of 2020 (M = Mike, a man; W = Wanda, a woman; U = "U. V. Wu", unknown):

  tt0700001 Scripted Men      Drama               S1: 6 x M          -> worst
  tt0700002 Island Love       Reality-TV          S1: 6 x M          -> worst only with --all-series
  tt0700003 Late Night Chat   Comedy,Talk-Show    S1: 6 x M, S2: 7 x M -> worst only with --all-series (both)
  tt0700004 After Dark        Drama, isAdult      S1: 6 x W          -> best only with --all-series
  tt0700005 Scripted Best     Drama               S1: 6 x W          -> best
  tt0700006 Reality Unknowns  Reality-TV          S1: 5 x M, 1 x U   -> left out of worst for U only with --all-series
  tt0700007 Quiz Short        Game-Show           S1: 3 x M          -> too short for the default 6 episodes
  tt0700008 Nature Notes      Documentary (mini)  S1: 6 x W          -> best only with --all-series
  tt0700009 Drama Loose       Drama               2 x M, no season   -> unnumbered, counted
  tt0700010 Reality Loose     Reality-TV          2 x M, no season   -> unnumbered, counted only with --all-series

Left out by default: worst 3 seasons (Island Love 1, Late Night Chat 1 and 2; with --min-episodes 3 Quiz Short too:
4), best 2 (After Dark 1, Nature Notes 1), worst --undecided 1 (Reality Unknowns 1).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crewparity
from crewparity.metrics import roles
from crewparity.metrics.episodes import left_out_excluded, left_out_for_unknowns, left_out_unnumbered, rank_seasons
from crewparity.metrics.samples import excluded_series_sql
from crewparity.store import open_store
from tests._dashboard_store import dashboard_client
from tests._metrics_store import N, _title, write_files
from tests.conftest import run_cli

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

W, M, U = "nm0700001", "nm0700002", "nm0700003"
#: series id: (kind, name, genres, adult, {season: directors}); season None: episodes without a season number
SERIES: dict[str, tuple[str, str, str, bool, dict[int | None, list[str]]]] = {
    "tt0700001": ("tvSeries", "Scripted Men", "Drama", False, {1: [M] * 6}),
    "tt0700002": ("tvSeries", "Island Love", "Reality-TV", False, {1: [M] * 6}),
    "tt0700003": ("tvSeries", "Late Night Chat", "Comedy,Talk-Show", False, {1: [M] * 6, 2: [M] * 7}),
    "tt0700004": ("tvSeries", "After Dark", "Drama", True, {1: [W] * 6}),
    "tt0700005": ("tvSeries", "Scripted Best", "Drama", False, {1: [W] * 6}),
    "tt0700006": ("tvSeries", "Reality Unknowns", "Reality-TV", False, {1: [M] * 5 + [U]}),
    "tt0700007": ("tvSeries", "Quiz Short", "Game-Show", False, {1: [M] * 3}),
    "tt0700008": ("tvMiniSeries", "Nature Notes", "Documentary", False, {1: [W] * 6}),
    "tt0700009": ("tvSeries", "Drama Loose", "Drama", False, {None: [M] * 2}),
    "tt0700010": ("tvSeries", "Reality Loose", "Reality-TV", False, {None: [M] * 2}),
}
WORST = [("Scripted Men", 1)]
WORST_ALL = [("Late Night Chat", 2), ("Island Love", 1), ("Late Night Chat", 1), ("Scripted Men", 1)]
BEST = [("Scripted Best", 1)]
BEST_ALL = [("After Dark", 1), ("Nature Notes", 1), ("Scripted Best", 1)]


def _build(tmp: Path) -> Path:
    from crewparity import api

    dump = tmp / "dump"
    dump.mkdir(parents=True)
    basics, episodes, crew = [], [], []
    for sid, (kind, name, genres, adult, seasons) in SERIES.items():
        row = _title(sid, kind, name, 2020, genres)
        row[4] = "1" if adult else "0"
        basics.append(row)
        for season, directors in seasons.items():
            for i, directed_by in enumerate(directors, start=1):
                tid = f"tt{int(sid[2:]) * 1000 + (season or 9) * 100 + i:010d}"
                basics.append(_title(tid, "tvEpisode", f"{name} {season}.{i}", 2020, genres))
                episodes.append([tid, sid, N if season is None else str(season), N if season is None else str(i)])
                crew.append([tid, directed_by, N])
    write_files(dump, basics, episodes, crew, [
        [W, "Wanda West", N, N, "actress,director", N],
        [M, "Mike Moss", N, N, "actor,director", N],
        [U, "U. V. Wu", N, N, "director", N],
    ], {sid: "100" for sid in SERIES})
    db = tmp / "scripted.duckdb"
    api.ingest_imdb(dump, db)
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("rank_scripted"))


def _rank(db: Path, rank: str, **kwargs: Any) -> tuple[list[tuple[object, object]], dict[str, int | None]]:
    with open_store(db) as store:
        table = rank_seasons(store, rank, **kwargs)
    counts = {"excluded": left_out_excluded(table), "unknowns": left_out_for_unknowns(table),
              "unnumbered": left_out_unnumbered(table)}
    return [(r["series"], r["season"]) for r in table.to_pylist()], counts


def test_unscripted_and_adult_series_are_left_out_and_counted(db: Path) -> None:
    assert _rank(db, "worst") == (WORST, {"excluded": 3, "unknowns": 0, "unnumbered": 1})
    assert _rank(db, "best") == (BEST, {"excluded": 2, "unknowns": 0, "unnumbered": 1})


def test_all_series_keeps_them(db: Path) -> None:
    # the Reality-TV season of men and an unknown is counted as left out for unknowns only when its series is kept,
    # and so are the Reality-TV series' episodes without a season number
    assert _rank(db, "worst", all_series=True) == (WORST_ALL, {"excluded": 0, "unknowns": 1, "unnumbered": 2})
    assert _rank(db, "best", all_series=True) == (BEST_ALL, {"excluded": 0, "unknowns": 0, "unnumbered": 2})


def test_the_count_follows_the_lengths_years_and_undecided_but_not_the_limit(db: Path) -> None:
    assert _rank(db, "worst", min_episodes=3)[1]["excluded"] == 4  # Quiz Short's 3 episodes too
    assert _rank(db, "worst", min_episodes=7) == ([], {"excluded": 1, "unknowns": 0, "unnumbered": 1})
    assert _rank(db, "worst", limit=1) == (WORST, {"excluded": 3, "unknowns": 0, "unnumbered": 1})
    assert _rank(db, "worst", year_from=2021)[1] == {"excluded": 0, "unknowns": 0, "unnumbered": 0}
    # --undecided: Reality Unknowns would be listed; it is counted as left out with its series
    assert _rank(db, "worst", undecided=True) == ([], {"excluded": 1, "unknowns": 0, "unnumbered": 1})
    assert _rank(db, "worst", undecided=True, all_series=True)[0] == [("Reality Unknowns", 1)]


def test_the_lists_leave_out_exactly_what_compare_dga_leaves_out(db: Path) -> None:
    st = roles.study("dga")
    with open_store(db) as store:
        dga_excluded = {r[0] for r in store.rows(excluded_series_sql(st.exclude_genres, st.exclude_adult) or "")}
        kept = {r["series_id"] for rank in ("best", "worst") for r in rank_seasons(store, rank).to_pylist()}
        every = {r["series_id"] for rank in ("best", "worst")
                 for r in rank_seasons(store, rank, all_series=True).to_pylist()}
    assert every - kept == dga_excluded & every == {"tt0700002", "tt0700003", "tt0700004", "tt0700008"}


def test_the_rule_is_read_from_the_rules_file(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # drop Reality-TV from the dga study's exclude_genres (as roles.toml's comment on Boxed In suggests): the lists
    # then keep Island Love, as compare dga would
    rules = roles.rules()
    dga = dict(rules["studies"]["dga_episodic"])
    dga["exclude_genres"] = [g for g in dga["exclude_genres"] if g != "Reality-TV"]
    changed = {**rules, "studies": {**rules["studies"], "dga_episodic": dga}}
    monkeypatch.setattr(roles, "rules", lambda: changed)
    rows, counts = _rank(db, "worst")
    assert rows == [("Island Love", 1), ("Scripted Men", 1)] and counts["excluded"] == 2
    assert counts["unknowns"] == 1 and counts["unnumbered"] == 2  # Reality Unknowns and Reality Loose are kept too


def test_python_api_mirrors_the_cli(db: Path) -> None:
    with crewparity.open(db) as cp:
        default = cp.series_rank("worst")
        every = cp.series_rank("worst", all_series=True)
    assert [(r["series"], r["season"]) for r in default.to_pylist()] == WORST and left_out_excluded(default) == 3
    assert [(r["series"], r["season"]) for r in every.to_pylist()] == WORST_ALL and left_out_excluded(every) == 0
    for table, extra in ((default, ()), (every, ("--all-series",))):
        res = run_cli("series", "--rank", "worst", *extra, "-f", "json", "--db", str(db))
        assert res.returncode == 0, res.stderr
        assert [(r["series"], r["season"]) for r in json.loads(res.stdout)] == [
            (r["series"], r["season"]) for r in table.to_pylist()]


def test_cli_note_says_how_many_and_why(db: Path) -> None:
    worst = run_cli("series", "--rank", "worst", "--db", str(db), env={"COLUMNS": "200"})
    assert worst.returncode == 0, worst.stderr
    assert "Scripted Men" in worst.stdout and "Island Love" not in worst.stdout
    assert "of scripted series" in worst.stdout  # the title says which series
    notes = [line for line in worst.stderr.splitlines() if "compare dga" in line]
    assert len(notes) == 1, worst.stderr
    note = notes[0]
    assert note.startswith("crewparity: note: 3 seasons of series tagged ")
    # the genres named are the rules file's, as compare dga's caveat names them
    assert all(g in note for g in roles.study("dga").exclude_genres) and "marks as adult" in note
    assert note.endswith("left out of the worst list, as compare dga leaves them out (the DGA counts scripted "
                         "series only; --all-series keeps them)")
    best = run_cli("series", "--rank", "best", "--db", str(db))
    assert "crewparity: note: 1 season" not in best.stderr and "note: 2 seasons of series tagged" in best.stderr
    kept = run_cli("series", "--rank", "worst", "--all-series", "--db", str(db), env={"COLUMNS": "200"})
    assert kept.returncode == 0, kept.stderr
    assert "Island Love" in kept.stdout and "Late Night Chat" in kept.stdout
    assert "compare dga" not in kept.stderr
    assert "crewparity series --rank worst --all-series" in kept.stdout  # the caption reproduces it
    assert "every series, unscripted and adult too" in kept.stdout
    undecided = run_cli("series", "--rank", "worst", "--undecided", "--db", str(db))
    assert "note: 1 season of series tagged" in undecided.stderr
    assert "left out of the worst list's undecided seasons, as compare dga" in undecided.stderr


def test_cli_all_series_needs_rank(db: Path) -> None:
    res = run_cli("series", "Scripted Men", "--all-series", "--db", str(db))
    assert res.returncode == 1 and res.stderr == "crewparity: error: --all-series needs --rank best|worst\n"


def test_cli_help_names_the_option_and_the_rule() -> None:
    text = " ".join(run_cli("series", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert "--all-series" in text and "exclude_genres and exclude_adult in data/roles.toml" in text
    assert "over the scripted series, as compare dga counts them" in text


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    yield from dashboard_client(db)


def test_api_and_dashboard(client: TestClient) -> None:
    api = client.get("/api/series", params={"rank": "worst"}).json()
    assert [(r["series"], r["season"]) for r in api] == WORST
    every = client.get("/api/series", params={"rank": "worst", "all_series": "true"}).json()
    assert [(r["series"], r["season"]) for r in every] == WORST_ALL
    page = client.get("/rankings").text
    assert "Scripted Men" in page and "Scripted Best" in page
    assert "Island Love" not in page and "After Dark" not in page and "Nature Notes" not in page
    assert "3 more seasons of series tagged " in page and "2 more seasons of series tagged " in page
    assert page.count("/rankings?") >= 2 and "all_series=true" in page  # the link that keeps them
    kept = client.get("/rankings", params={"all_series": "true"}).text
    assert all(name in kept for name in ("Island Love", "Late Night Chat", "After Dark", "Nature Notes"))
    assert "more seasons of series tagged" not in kept
    assert "crewparity series --rank worst --limit 50 --all-series" in kept
    assert '<option value="true" selected>' in kept


def test_report_says_how_many_and_names_the_option(db: Path, tmp_path: Path) -> None:
    from crewparity.report import build_report

    html = build_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    best = html[html.index('id="best"'):html.index('id="worst"')]
    worst = html[html.index('id="worst"'):]
    assert "Scripted Best" in best and "After Dark" not in best and "Nature Notes" not in best
    assert "Scripted Men" in worst and "Island Love" not in worst and "Late Night Chat" not in worst
    assert "2 more seasons of series tagged" in best and "crewparity series --rank best --all-series keeps" in best
    assert "3 more seasons of series tagged" in worst
    assert "crewparity series --rank worst --all-series keeps them" in worst
