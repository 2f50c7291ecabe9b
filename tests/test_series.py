"""`crewparity series`: episodes directed by women per season, worked out by hand on a small store."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.episodes import left_out_unnumbered, rank_seasons, series_episodes, series_seasons
from crewparity.store import open_store
from tests._dashboard_store import dashboard_client
from tests._metrics_store import LOOSE_ENDS, build_loose_ends_store, build_store
from tests.conftest import ingest_cli, run_cli, tmdb_responses

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("series"))


def _rows(db: Path, *args: object, **kwargs: object) -> list[dict[str, object]]:
    with open_store(db) as store:
        return series_seasons(store, *args, **kwargs).to_pylist()  # type: ignore[arg-type]


def test_seasons_any_excludes_the_pilot_and_counts_codirected_as_women(db: Path) -> None:
    rows = _rows(db, "tt0100001")
    assert rows == [
        # S1 without the pilot: E2 Bob (men), E3 Alice+Bob (women), E4 Chris (unknown); E5 has no director.
        {"series_id": "tt0100001", "series": "Harbour Lights", "season": 1, "total": 3, "women": 1, "men": 1,
         "nonbinary": 0, "unknown": 1, "no_director": 1, "share_known": 0.5, "inferred": 0},
        # S2: Alice (imdb), Dana (wikidata), Bob; "Pilot Light" is not a pilot.
        {"series_id": "tt0100001", "series": "Harbour Lights", "season": 2, "total": 3, "women": 2, "men": 1,
         "nonbinary": 0, "unknown": 0, "no_director": 0, "share_known": pytest.approx(2 / 3),
         "inferred": 0},
    ]


def test_include_pilots_and_fractional(db: Path) -> None:
    s1 = _rows(db, "harbour lights", season=1, include_pilots=True)
    assert [(r["total"], r["women"], r["men"], r["unknown"]) for r in s1] == [(4, 2, 1, 1)]
    frac = _rows(db, "tt0100001", season=1, codirected="fractional")
    assert len(frac) == 1
    # E3's two directors count half each: women 0.5, men 1 + 0.5, unknown 1.
    assert (frac[0]["women"], frac[0]["men"], frac[0]["unknown"], frac[0]["total"]) == (0.5, 1.5, 1.0, 3)
    assert frac[0]["share_known"] == pytest.approx(0.25)


def test_substring_matches_every_series_but_not_films(db: Path) -> None:
    rows = _rows(db, "HARBOUR")
    assert {(r["series"], r["season"]) for r in rows} == {
        ("Another Harbour Show", 1), ("Harbour Lights", 1), ("Harbour Lights", 2)}
    another = [r for r in rows if r["series_id"] == "tt0100002"][0]
    assert (another["total"], another["women"], another["men"], another["share_known"]) == (2, 0, 2, 0.0)


def test_unknown_series_and_bad_option_are_argument_errors(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(ArgumentError, match="no TV series"):
            series_seasons(store, "Nonexistent Show")
        with pytest.raises(ArgumentError, match="allowed: any, fractional"):
            series_seasons(store, "Harbour", codirected="half")


def test_episode_listing_shows_each_director_and_the_source(db: Path) -> None:
    with open_store(db) as store:
        rows = series_episodes(store, "tt0100001", season=1).to_pylist()
    e3 = [r for r in rows if r["title_id"] == "tt0101013"]
    assert {(r["director"], r["gender"], r["source"], r["evidence"]) for r in e3} == {
        ("Alice Ames", "woman", "imdb", "recorded"), ("Bob Brown", "man", "imdb", "recorded")}
    assert {r["counts_as"] for r in e3} == {"women"}
    e4 = [r for r in rows if r["title_id"] == "tt0101014"][0]
    assert (e4["gender"], e4["evidence"], e4["counts_as"]) == ("unknown", "unknown", "unknown")
    no_credit = [r for r in rows if r["title_id"] == "tt0101015"][0]
    assert no_credit["director_id"] is None and no_credit["counts_as"] is None
    assert "tt0101011" not in {r["title_id"] for r in rows}  # the pilot
    with open_store(db) as store:
        s2 = series_episodes(store, "tt0100001", season=2).to_pylist()
    dana = [r for r in s2 if r["director_id"] == "nm0000004"][0]
    assert (dana["gender"], dana["source"], dana["evidence"]) == ("woman", "wikidata", "recorded")


def test_rank_best_and_worst(db: Path) -> None:
    with open_store(db) as store:
        best = rank_seasons(store, "best", year_from=2015, year_to=2018, min_episodes=1).to_pylist()
        worst = rank_seasons(store, "worst", year_from=2015, year_to=2018, min_episodes=1).to_pylist()
        only_2018 = rank_seasons(store, "best", year_from=2018, year_to=2018, min_episodes=1).to_pylist()
        long_only = rank_seasons(store, "worst", min_episodes=3).to_pylist()
        default = rank_seasons(store, "best").to_pylist()  # the rules file's 6 episodes: no season here is as long
        with pytest.raises(ArgumentError, match="after"):
            rank_seasons(store, "best", year_from=2019, year_to=2015)
    # S1 (1 woman, 1 man, 1 unknown of 3) is no sure 40%: 1 of 3 if Chris is a man (tests/test_series_rank_unknowns.py)
    assert [(r["series_id"], r["season"], r["year"]) for r in best] == [("tt0100001", 2, 2018)]
    assert [(r["series_id"], r["season"], r["women"]) for r in worst] == [("tt0100002", 1, 0)]
    assert [r["season"] for r in only_2018] == [2]
    assert long_only == [] and default == []


def test_cli_json_table_and_errors(db: Path) -> None:
    res = run_cli("series", "Harbour Lights", "--format", "json", "--db", str(db))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [(r["season"], r["women"], r["total"]) for r in data] == [(1, 1, 3), (2, 2, 3)]
    table = run_cli("series", "Harbour Lights", "--season", "2", "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "crewparity series 'Harbour Lights' --season 2 --db" in table.stdout
    episodes = run_cli("series", "tt0100001", "--episodes", "--format", "csv", "--db", str(db))
    assert episodes.returncode == 0, episodes.stderr
    assert "Dana Diaz" in episodes.stdout
    bad = run_cli("series", "Harbour", "--codirected", "half", "--db", str(db))
    assert bad.returncode == 1
    assert "allowed: any, fractional" in bad.stderr and "Traceback" not in bad.stderr
    missing = run_cli("series", "No Such Show", "--db", str(db))
    assert missing.returncode == 1 and "no TV series" in missing.stderr


@pytest.fixture(scope="module")
def loose(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The metrics store plus "Loose Ends" (tests/_metrics_store.py): season 1, a specials season 0 and six
    episodes without a season number that aired in 2019, 2020 and 2021, all directed by a woman."""
    return build_loose_ends_store(tmp_path_factory.mktemp("loose_ends"))


def _ranked(table: object) -> list[tuple[object, object]]:
    return [(r["series"], r["season"]) for r in table.to_pylist()]  # type: ignore[attr-defined]


def test_episodes_without_a_season_number_are_one_row_of_the_series_but_never_a_ranked_season(loose: Path) -> None:
    with open_store(loose) as store:
        rows = series_seasons(store, LOOSE_ENDS).to_pylist()
        best = rank_seasons(store, "best")
        worst_every = rank_seasons(store, "worst", min_episodes=1)
        undecided = rank_seasons(store, "best", min_episodes=1, undecided=True)
        in_2021 = rank_seasons(store, "best", year_from=2021, year_to=2021)
        after = rank_seasons(store, "best", year_from=2022)
    # shown in the series' own table, last, as one row with season null (6 of 6 by Alice)
    assert (rows[-1]["season"], rows[-1]["total"], rows[-1]["women"]) == (None, 6, 6)
    assert [r["season"] for r in rows].count(None) == 1
    # ... but no season: 6 of 6 by women "in 2019" was on the best list as a season no one aired
    assert ("Loose Ends", None) not in _ranked(best) and ("Loose Ends", 1) in _ranked(best)
    assert None not in [season for _, season in _ranked(worst_every) + _ranked(undecided)]
    # how many series' unnumbered episodes were left out: by the years they aired, not by a season's length
    assert left_out_unnumbered(best) == left_out_unnumbered(worst_every) == left_out_unnumbered(undecided) == 1
    assert _ranked(in_2021) == [] and left_out_unnumbered(in_2021) == 1
    assert left_out_unnumbered(after) == 0


def test_cli_labels_the_unnumbered_row_and_notes_what_a_ranking_leaves_out(loose: Path) -> None:
    table = run_cli("series", "Loose Ends", "--db", str(loose), env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    assert "(no season)" in table.stdout
    js = run_cli("series", "Loose Ends", "-f", "json", "--db", str(loose))
    assert [r["season"] for r in json.loads(js.stdout)][-1] is None  # the data keeps the null
    csv_out = run_cli("series", "Loose Ends", "-f", "csv", "--db", str(loose))
    assert "(no season)" not in csv_out.stdout and csv_out.stdout.splitlines()[-1].startswith("tt0100004,Loose Ends,,6,")
    best = run_cli("series", "--rank", "best", "-f", "json", "--db", str(loose))
    assert best.returncode == 0, best.stderr
    assert None not in [r["season"] for r in json.loads(best.stdout)]
    assert ("crewparity: note: 1 series' episodes without a season number left out of the best list: they are "
            "no season") in best.stderr
    assert len([line for line in best.stderr.splitlines() if "season number" in line]) == 1
    quiet = run_cli("series", "--rank", "best", "--from", "2022", "-f", "json", "--db", str(loose))
    assert "season number" not in quiet.stderr


def test_charts_and_the_dashboard_label_the_unnumbered_row(loose: Path) -> None:
    from crewparity.report.charts import seasons_chart
    from crewparity.report.seasons_svg import seasons_svg

    with open_store(loose) as store:
        table = series_seasons(store, LOOSE_ENDS)
    spec = json.dumps(seasons_chart(table).to_dict())
    assert "(no season)" in spec and '"?"' not in spec
    svg = seasons_svg(table)
    assert ">(no season)</text>" in svg and ">?</text>" not in svg
    client: Iterator[TestClient] = dashboard_client(loose)
    c = next(client)
    try:
        page = c.get(f"/series/{LOOSE_ENDS}").text
        rankings = c.get("/rankings").text
    finally:
        next(client, None)
    assert "<td>(no season)</td>" in page and "<td>?</td>" not in page
    assert 'rowspan="1">(no season)</td>' in page  # the episode list too
    assert "Episodes without a season number are no season and are not ranked (1 series has some)" in rankings


def test_season_0_is_specials_left_out_as_pilots_are_and_kept_by_include_pilots(loose: Path) -> None:
    with open_store(loose) as store:
        seasons = [r["season"] for r in series_seasons(store, LOOSE_ENDS).to_pylist()]
        kept = series_seasons(store, LOOSE_ENDS, include_pilots=True).to_pylist()
        best = rank_seasons(store, "best")
        best_kept = rank_seasons(store, "best", include_pilots=True)
        listed = series_episodes(store, LOOSE_ENDS).to_pylist()
        every = series_episodes(store, LOOSE_ENDS, include_pilots=True).to_pylist()
        with pytest.raises(ArgumentError, match=r"season 0 holds specials.*--include-pilots keeps them"):
            series_seasons(store, LOOSE_ENDS, season=0)
        only_0 = series_seasons(store, LOOSE_ENDS, season=0, include_pilots=True).to_pylist()
    # six "Behind the Scenes" by Alice made season 0 a 6-of-6 season on the best list
    assert seasons == [1, None]
    assert ("Loose Ends", 0) not in _ranked(best) and ("Loose Ends", 1) in _ranked(best)
    assert {r["season"] for r in listed} == {1, None} and not any(r["special"] for r in listed)
    # --include-pilots keeps them, as it keeps pilots, and --episodes says which they are
    assert [(r["season"], r["total"], r["women"]) for r in kept] == [(0, 6, 6), (1, 6, 3), (None, 6, 6)]
    assert ("Loose Ends", 0) in _ranked(best_kept)
    assert {r["title"] for r in every if r["special"]} == {f"Behind the Scenes {i}" for i in range(1, 7)}
    assert not any(r["pilot"] for r in every if r["special"])
    assert [(r["season"], r["total"]) for r in only_0] == [(0, 6)]


def test_cli_and_dashboard_say_pilots_and_specials(loose: Path) -> None:
    helps = [" ".join(run_cli(*cmd, "--help", env={"COLUMNS": "200"}).stdout.split())
             for cmd in (("series",), ("chart",))]
    assert "Keep pilots and specials (season 0)" in helps[0]
    assert "seasons: keep pilots and specials (season 0)" in helps[1]
    bad = run_cli("series", "Loose Ends", "--season", "0", "--db", str(loose))
    assert bad.returncode == 1 and "season 0 holds specials" in bad.stderr and "Traceback" not in bad.stderr
    kept = run_cli("series", "Loose Ends", "--season", "0", "--include-pilots", "-f", "csv", "--db", str(loose))
    assert kept.returncode == 0, kept.stderr
    client: Iterator[TestClient] = dashboard_client(loose)
    c = next(client)
    try:
        page = c.get(f"/series/{LOOSE_ENDS}").text
        page_kept = c.get(f"/series/{LOOSE_ENDS}", params={"include_pilots": "true"}).text
        api = c.get("/api/series", params={"query": LOOSE_ENDS}).json()
        schema = c.get("/openapi.json").text
    finally:
        next(client, None)
    assert "Pilots and specials (season 0) are left out." in page and "Behind the Scenes" not in page
    assert 'Behind the Scenes 1 <span class="note">(special)</span>' in page_kept
    assert [r["season"] for r in api] == [1, None]
    assert "Keep pilots and specials (season 0) (--include-pilots)." in schema


def test_tmdb_specials_season_is_not_counted(shared_data: Path, tmp_path: Path) -> None:
    """The real TMDB responses: Silicon Valley's season 0 ("Making of Silicon Valley", a documentary, and
    "Ten Years Later", directed by Alec Berg in 2019) is no season of the show and not a DGA episode."""
    from crewparity.metrics.compare import compare

    db = ingest_cli("tmdb", *tmdb_responses(shared_data), db=tmp_path / "tmdb.duckdb")
    with open_store(db) as store:
        seasons = [r["season"] for r in series_seasons(store, "Silicon").to_pylist()]
        kept = [r["season"] for r in series_seasons(store, "Silicon", include_pilots=True).to_pylist()]
        y2019 = compare(store, "dga", 2019, 2019).to_pylist()[0]
    assert seasons == [1, 2, 3, 4, 5, 6] and kept == [0, 1, 2, 3, 4, 5, 6]
    # 2019: season 6's three directed episodes (one by a woman), not Alec Berg's documentary as a fourth
    assert (y2019["counted"], y2019["share_if_unknown_men"]) == (3, pytest.approx(1 / 3))
    assert "pilots and specials excluded" in y2019["caveat"]
