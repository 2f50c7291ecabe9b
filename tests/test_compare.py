"""`crewparity compare STUDY`: published figures (shipped with their sources) beside crewparity's estimate."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from crewparity.errors import ArgumentError
from crewparity.metrics.compare import COMPARE_COLUMNS, compare, published_figures, studies_path
from crewparity.store import open_store
from tests._metrics_store import N, build_loose_ends_store, build_store, write_dump
from tests.conftest import SHARED_DATA, run_cli, spec_dicts


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("compare"))


def _append(folder: Path, name: str, rows: list[list[str]]) -> None:
    with (folder / f"{name}.tsv").open("a", encoding="utf-8") as f:
        f.writelines("\t".join(r) + "\n" for r in rows)


@pytest.fixture(scope="module")
def model_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The metrics store plus "Model Show" (2019), whose directors' genders rest on the first-name model:
    Maria Lopez (called a woman) and Jordan Kim (called a man). E1 Maria, E2 Maria + Jordan, E3 Jordan + Bob."""
    from crewparity import api

    tmp = tmp_path_factory.mktemp("compare_model")
    dump = write_dump(tmp / "dump")
    _append(dump, "title.basics", [["tt0100009", "tvSeries", "Model Show", "Model Show", "0", "2019", N, "45", "Drama"]]
            + [[f"tt010900{i}", "tvEpisode", f"Part {i}", f"Part {i}", "0", "2019", N, "45", "Drama"] for i in (1, 2, 3)])
    _append(dump, "title.episode", [[f"tt010900{i}", "tt0100009", "1", str(i)] for i in (1, 2, 3)])
    _append(dump, "title.crew", [["tt0109001", "nm0000011", N], ["tt0109002", "nm0000011,nm0000012", N],
                                 ["tt0109003", "nm0000012,nm0000002", N]])
    _append(dump, "name.basics", [["nm0000011", "Maria Lopez", N, N, "director", N],
                                  ["nm0000012", "Jordan Kim", N, N, "director", N]])
    db = tmp / "model.duckdb"
    api.ingest_imdb(dump, db)
    return db


@pytest.fixture(scope="module")
def unscripted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The metrics store plus, in 2016, besides "Another Harbour Show" (two episodes by Bob): "Morning Talk"
    (Talk-Show, three episodes by Alice), "Night Desire" (Drama, but isAdult: two by Eve) and "Gala Night", a
    tvSpecial with one episode (by Dana): no series of the DGA's or Boxed In's kinds."""
    from crewparity import api

    tmp = tmp_path_factory.mktemp("compare_unscripted")
    dump = write_dump(tmp / "dump")
    _append(dump, "title.basics", [
        ["tt0100010", "tvSeries", "Morning Talk", "Morning Talk", "0", "2016", N, "45", "Talk-Show"],
        ["tt0100011", "tvSeries", "Night Desire", "Night Desire", "1", "2016", N, "45", "Drama"],
        ["tt0100012", "tvSpecial", "Gala Night", "Gala Night", "0", "2016", N, "45", "Drama"]]
        + [[f"tt011000{i}", "tvEpisode", f"Talk {i}", f"Talk {i}", "0", "2016", N, "45", "Talk-Show"] for i in (1, 2, 3)]
        + [[f"tt011100{i}", "tvEpisode", f"Desire {i}", f"Desire {i}", "1", "2016", N, "45", "Drama"] for i in (1, 2)]
        + [["tt0112001", "tvEpisode", "Gala Part 1", "Gala Part 1", "0", "2016", N, "45", "Drama"]])
    _append(dump, "title.episode", [[f"tt011000{i}", "tt0100010", "1", str(i)] for i in (1, 2, 3)]
            + [[f"tt011100{i}", "tt0100011", "1", str(i)] for i in (1, 2)] + [["tt0112001", "tt0100012", "1", "1"]])
    _append(dump, "title.crew", [[f"tt011000{i}", "nm0000001", N] for i in (1, 2, 3)]
            + [[f"tt011100{i}", "nm0000005", N] for i in (1, 2)] + [["tt0112001", "nm0000004", N]])
    db = tmp / "unscripted.duckdb"
    api.ingest_imdb(dump, db)
    return db


def test_shipped_figures_are_the_facts_with_a_source_on_every_row() -> None:
    shipped = list(csv.DictReader(studies_path().open(encoding="utf-8")))
    assert shipped and all(r["source"].strip() for r in shipped)
    assert {r["study"] for r in shipped} == {"celluloid_ceiling", "boxed_in", "dga_episodic", "usc_annenberg"}
    facts = SHARED_DATA / "facts" / "published_study_figures.csv"
    if facts.exists():
        assert shipped == list(csv.DictReader(facts.open(encoding="utf-8")))
    assert published_figures("usc_annenberg").num_rows == sum(1 for r in shipped if r["study"] == "usc_annenberg")


def test_usc_director_share_beside_ours(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["period"]: r for r in compare(store, "usc", 2016, 2017).to_pylist()}
    assert set(rows) == {"2016", "2017"}
    r = rows["2016"]
    # top 100 movies of 2016 by votes: Film One (Alice), Film Two (Bob), Harbour Movie (Frank): 1 of 3
    assert (r["published"], r["counted"]) == (pytest.approx(0.042), 3)
    assert r["crewparity"] == pytest.approx(1 / 3)
    assert r["difference"] == pytest.approx(1 / 3 - 0.042)
    assert r["ci_low"] < r["crewparity"] < r["ci_high"]
    assert "USC Annenberg" in r["published_source"] and r["caveat"].startswith("samples differ")
    # 2017: only Chris (unknown) directs: nothing to estimate, shown as null rather than 0
    assert rows["2017"]["crewparity"] is None and rows["2017"]["counted"] == 1


def test_dga_alias_counts_episodes_without_pilots(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["year"]: r for r in compare(store, "DGA", 2015, 2018).to_pylist()}
    assert rows[2015]["study"] == "dga_episodic" and rows[2015]["metric"] == "pct_episodes_directed_by_women"
    # 2015 episodes without the pilot: Bob / Alice+Bob / Chris -> 1 of 2 known; 2018: 2 of 3
    assert (rows[2015]["crewparity"], rows[2015]["counted"]) == (0.5, 3)
    assert rows[2018]["crewparity"] == pytest.approx(2 / 3)
    assert "season" in rows[2018]["caveat"]


def test_dga_leaves_out_specials_with_the_pilots_and_keeps_unnumbered_episodes(tmp_path: Path) -> None:
    """"Loose Ends" (tests/_metrics_store.py), 2019: season 1 (3 of 6 by Alice), two episodes without a season
    number (both Alice) and six specials of season 0 (all Alice). Episodes count by the year they aired, so an
    unnumbered episode counts; a special is no DGA episode (it made 2019 11 of 14)."""
    db = build_loose_ends_store(tmp_path)
    with open_store(db) as store:
        rows = {r["year"]: r for r in compare(store, "dga", 2019, 2021).to_pylist()}
    assert (rows[2019]["counted"], rows[2019]["crewparity"]) == (8, pytest.approx(5 / 8))
    assert (rows[2020]["counted"], rows[2020]["crewparity"]) == (2, pytest.approx(1.0))
    assert "pilots and specials excluded" in rows[2019]["caveat"]
    out = run_cli("compare", "dga", "--from", "2019", "--to", "2019", "-f", "csv", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert [int(r["counted"]) for r in csv.DictReader(out.stdout.splitlines())] == [8]


def test_celluloid_ceiling_roles_and_no_woman(db: Path) -> None:
    with open_store(db) as store:
        rows = compare(store, "celluloid_ceiling", 2016, 2017).to_pylist()
    overall = [r for r in rows if r["year"] == 2016 and "," in r["role"]]
    assert len(overall) == 1
    assert overall[0]["crewparity"] == pytest.approx(2 / 5) and overall[0]["counted"] == 5
    no_woman = [r for r in rows if r["metric"] == "pct_titles_with_no_woman_in_role" and r["role"] == "director"]
    # top 250 movies of 2017: only Film Three, whose director (Chris) is not known to be a woman
    assert no_woman and all(r["crewparity"] == 1.0 for r in no_woman)


def test_unknown_study_and_cli(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(ArgumentError, match=r"allowed: celluloid_ceiling, boxed_in, dga_episodic \(alias dga\)"):
            compare(store, "bechdel")
    res = run_cli("compare", "usc_annenberg", "--from", "2016", "--to", "2016", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "crewparity compare usc_annenberg --from 2016 --to 2016 --db" in res.stdout
    assert "theirs" in res.stdout and "samples differ" in res.stdout
    js = run_cli("compare", "boxed_in", "--format", "json", "--db", str(db))
    assert js.returncode == 0, js.stderr
    assert all(r["published_source"].startswith("Boxed In") for r in json.loads(js.stdout))
    bad = run_cli("compare", "nope", "--db", str(db))
    assert bad.returncode == 1 and "allowed:" in bad.stderr


def test_every_row_names_its_estimate_and_dga_has_a_real_one(db: Path) -> None:
    with open_store(db) as store:
        table = compare(store, "dga", 2015, 2018)
    assert tuple(table.column_names) == COMPARE_COLUMNS
    r = {row["year"]: row for row in table.to_pylist()}[2015]
    # 2015 without the pilot: Bob / Alice+Bob / Chris (no information): all three counted, Chris's episode as
    # missing at random (not dropped from `counted` while the interval rests on the other two, as before)
    assert r["estimate"] == "share_expected" and r["counted"] == 3 and r["titles"] == 3
    assert r["share_if_unknown_men"] == pytest.approx(1 / 3) and r["share_if_unknown_women"] == pytest.approx(2 / 3)
    assert r["ci_low"] < r["crewparity"] < r["ci_high"]


def test_dga_estimate_uses_the_directors_name_probabilities(model_db: Path) -> None:
    """An episode is directed by a woman with probability 1 - prod(1 - p_woman) over its name-model directors:
    the estimate is the share estimator's over those probabilities, not the name model's calls taken as fact."""
    from crewparity.gender.estimate import estimate_flat
    from crewparity.gender.resolve import estimate_calibration

    with open_store(model_db) as store:
        row = compare(store, "dga", 2019, 2019).to_pylist()[0]
        p = dict(store.rows("SELECT person_id, p_woman FROM resolved_gender WHERE source = 'name_model' "
                            "AND person_id IN ('nm0000011', 'nm0000012')"))
        calibration = estimate_calibration(store)
    maria, jordan = p["nm0000011"], p["nm0000012"]
    assert maria > 0.8 and jordan < 0.2  # called a woman and a man: share_known would say 2 of 3
    bins = np.array(sorted([round(maria, 2), round(1 - (1 - maria) * (1 - jordan), 2), round(jordan, 2)]))
    want = estimate_flat(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(3, dtype=np.int64), bins,
                         np.ones(3), calibration=calibration)
    assert row["estimate"] == "share_expected" and row["counted"] == 3
    assert row["crewparity"] == pytest.approx(float(want["share_expected"][0]))
    assert row["crewparity"] != pytest.approx(2 / 3)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(float(want["ci_low"][0])),
                                               pytest.approx(float(want["ci_high"][0])))


def test_a_top_n_sample_that_runs_short_says_so(db: Path) -> None:
    with open_store(db) as store:
        usc = {r["year"]: r for r in compare(store, "usc", 2016, 2017).to_pylist()}
        cc = compare(store, "celluloid_ceiling", 2016, 2016).to_pylist()
    # movies with votes: 2016 Film One, Film Two, Harbour Movie; 2017 Film Three
    assert (usc[2016]["titles"], usc[2017]["titles"]) == (3, 1)
    assert "only 3 movie titles with IMDb votes, fewer than their 100" in usc[2016]["caveat"]
    assert {r["titles"] for r in cc} == {3}
    res = run_cli("compare", "usc", "--from", "2016", "--to", "2017", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "fewer than the study's 100 titles in 2 years: 2016 (3), 2017 (1)" in " ".join(res.stderr.split())
    full = run_cli("compare", "dga", "--from", "2015", "--to", "2015", "--db", str(db))
    assert full.returncode == 0 and "fewer than" not in full.stderr


def test_no_woman_rows_are_over_titles_with_a_credit_in_the_role(db: Path) -> None:
    with open_store(db) as store:
        rows = {r["role"]: r for r in compare(store, "celluloid_ceiling", 2017, 2017).to_pylist()
                if r["metric"] == "pct_titles_with_no_woman_in_role"}
    # 2017's one movie, Film Three: director Chris (unknown), writer Gus, cinematographer Eve; no producer credit
    ep = rows["executive_producer"]
    assert (ep["titles"], ep["titles_with_role"], ep["counted"]) == (1, 0, 0)
    assert ep["crewparity"] is None and ep["difference"] is None  # not "100% of titles have no woman"
    d = rows["director"]
    assert d["estimate"] == "no_known_woman" and (d["titles_with_role"], d["uncertain"]) == (1, 1)
    assert (d["crewparity"], d["share_if_unknown_men"], d["share_if_unknown_women"]) == (1.0, 1.0, 0.0)
    assert rows["cinematographer"]["crewparity"] == 0.0
    assert "over the titles with a credit in the role" in d["caveat"]
    # the sample column says the unit of the row's figure: titles here, not the people figures' distinct people
    assert "distinct people" not in d["crewparity_sample"] and "no interval" in d["crewparity_sample"]
    assert "distinct people" not in d["caveat"]


def test_cli_caption_says_what_the_figures_are(db: Path) -> None:
    res = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "--db", str(db))
    assert res.returncode == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "difference = crewparity minus published" in out
    assert "share_expected =" in out and "no_known_woman =" in out and "titles" in out



def test_cli_caption_names_the_study_own_unit(db: Path) -> None:
    """share_expected is over the counted people for a study of people and over episodes for the DGA: every study's
    caption read "the counted people (the DGA: episodes)", naming the DGA under the Celluloid Ceiling's table."""
    people = " ".join(run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "--db", str(db))
                      .stdout.split())
    assert "share_expected = women's estimated share of the counted people with its 95% interval" in people
    assert "DGA" not in people
    episodes = " ".join(run_cli("compare", "dga", "--from", "2015", "--to", "2015", "--db", str(db)).stdout.split())
    assert "share_expected = women's estimated share of the counted episodes with its 95% interval" in episodes

@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_report_and_dashboard_show_the_estimate_and_how_to_read_the_difference(db: Path, tmp_path: Path) -> None:
    import html as html_lib
    import warnings

    from crewparity.report import build_report
    from crewparity.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    report = html_lib.unescape(build_report(db, tmp_path / "r.html").read_text(encoding="utf-8"))
    section = report[report.index('id="compare"'):report.index('id="method"')]
    app = create_app(db)
    try:
        with TestClient(app) as client:
            page = html_lib.unescape(client.get("/compare", params={"study": "usc"}).text)
    finally:
        app.state.holder.close()
    for text in (section, page):
        assert "difference = ours minus theirs" in text
        assert "share_expected" in text and ">titles<" in text and ">estimate<" in text


# ------------------------------------------------------------------------- season_year: start or end
def test_season_year_end_compares_a_season_with_the_year_it_ends_in(db: Path) -> None:
    with open_store(db) as store:
        start = {r["period"]: r for r in compare(store, "dga").to_pylist()}
        end = {r["period"]: r for r in compare(store, "dga", season_year="end").to_pylist()}
        boxed = compare(store, "boxed_in", season_year="end").to_pylist()
    # episodes aired in 2018 (Harbour Lights season 2): 2 of 3; "2017-18" ends in 2018, "2018-19" starts in it
    assert (end["2017-18"]["year"], start["2017-18"]["year"]) == (2018, 2017)
    assert end["2017-18"]["crewparity"] == pytest.approx(2 / 3) == start["2018-19"]["crewparity"]
    assert end["2017-18"]["counted"] == start["2018-19"]["counted"] == 3
    assert start["2017-18"]["crewparity"] is None  # nothing aired in 2017
    assert end["2014-15"]["crewparity"] == start["2015-16"]["crewparity"] == 0.5
    for rows, word in ((end.values(), "ends"), (boxed, "ends"), (start.values(), "starts")):
        assert all(f"their TV season is compared with the calendar year it {word} in" in r["caveat"] for r in rows)


def test_season_year_selects_by_the_year_compared_and_leaves_plain_years_alone(db: Path) -> None:
    with open_store(db) as store:
        assert [r["period"] for r in compare(store, "dga", 2018, 2018, season_year="end").to_pylist()] == ["2017-18"]
        assert [r["period"] for r in compare(store, "dga", 2018, 2018).to_pylist()] == ["2018-19"]
        for key in ("celluloid_ceiling", "usc"):
            assert (compare(store, key, 2016, 2017, season_year="end").to_pylist()
                    == compare(store, key, 2016, 2017, season_year="start").to_pylist())


def test_an_unknown_season_year_is_one_line_naming_the_allowed_values(db: Path) -> None:
    import crewparity

    with open_store(db) as store:
        with pytest.raises(ArgumentError, match=r"^unknown --season-year 'middle'; allowed: start, end$"):
            compare(store, "dga", season_year="middle")
    cp = crewparity.open(str(db))
    try:
        with pytest.raises(ArgumentError, match=r"^unknown season_year='middle'; allowed: start, end$"):
            cp.compare("dga", season_year="middle")
        assert cp.compare("dga", 2018, 2018, season_year="end")["period"].to_pylist() == ["2017-18"]
    finally:
        cp.close()
    bad = run_cli("compare", "dga", "--season-year", "middle", "--db", str(db))
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == ["crewparity: error: unknown --season-year 'middle'; allowed: start, end"]


def test_cli_season_year_option(db: Path) -> None:
    res = run_cli("compare", "dga", "--from", "2018", "--to", "2018", "--season-year", "end", "--db", str(db))
    assert res.returncode == 0, res.stderr
    out = " ".join(res.stdout.split())
    assert "crewparity compare dga --from 2018 --to 2018 --season-year end --db" in out
    assert "2017-18" in out and "2018-19" not in out and "calendar year it ends in" in out
    js = run_cli("compare", "dga", "--season-year", "end", "--format", "json", "--db", str(db))
    assert js.returncode == 0, js.stderr
    rows = {r["period"]: r for r in json.loads(js.stdout)}
    assert rows["2017-18"]["year"] == 2018 and rows["2017-18"]["crewparity"] == pytest.approx(2 / 3)
    helped = run_cli("compare", "--help")
    assert "--season-year" in helped.stdout and "unaffected" in " ".join(helped.stdout.split())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_api_and_dashboard_take_season_year(db: Path) -> None:
    from tests._dashboard_store import dashboard_client

    for client in dashboard_client(db):
        end = client.get("/api/compare", params={"study": "dga", "from": 2018, "to": 2018, "season_year": "end"})
        assert end.status_code == 200, end.text
        [row] = end.json()
        assert (row["period"], row["year"]) == ("2017-18", 2018) and row["crewparity"] == pytest.approx(2 / 3)
        assert "calendar year it ends in" in row["caveat"]
        start = client.get("/api/compare", params={"study": "dga", "from": 2018, "to": 2018})
        assert [r["period"] for r in start.json()] == ["2018-19"]
        bad = client.get("/api/compare", params={"study": "dga", "season_year": "middle"})
        assert bad.status_code >= 400 and "allowed: start, end" in bad.text
        page = client.get("/compare", params={"study": "dga", "season_year": "end"})
        assert page.status_code == 200 and "calendar year it ends in" in page.text
        assert 'value="end" selected' in page.text


def test_compare_chart_axis_names_the_season_year_used(db: Path) -> None:
    from crewparity.report import charts

    with open_store(db) as store:
        end = compare(store, "dga", 2015, 2018, season_year="end").to_pylist()
        start = compare(store, "dga", 2015, 2018).to_pylist()
    assert "by its last year (2015 = the 2014-15 season)" in json.dumps(charts.compare_chart(end).to_dict())
    assert "by its first year (2015 = the 2015-16 season)" in json.dumps(charts.compare_chart(start).to_dict())


# ------------------------------------------------------------------------- the difference as shown
@pytest.mark.parametrize(("difference", "shown"), [
    (-0.0004, "0.0 pts"),  # the editor row of a synth store at 0.01 (2016, celluloid_ceiling) showed "-0.0 pts"
    (0.0004, "0.0 pts"), (0.0, "0.0 pts"), (-0.0, "0.0 pts"),
    (-0.006, "-0.6 pts"), (0.091, "+9.1 pts"), (-0.2312, "-23.1 pts"),
])
def test_a_difference_that_rounds_to_zero_has_no_sign(difference: float, shown: str) -> None:
    """The CLI's compare table, the report and the dashboard all show the difference through format_cell."""
    from crewparity.output import format_cell

    assert format_cell(difference, "difference") == shown


# ------------------------------------------------------------------ a study's sample leaves out series
def test_dga_and_boxed_in_leave_out_unscripted_and_adult_series_and_say_so(unscripted_db: Path) -> None:
    """2016: the talk show (Alice x3), the adult series (Eve x2) and the tvSpecial's episode (Dana) made the DGA's
    figure 6 of 8 episodes by women; the scripted series of its kinds leave "Another Harbour Show" (Bob x2)."""
    with open_store(unscripted_db) as store:
        [dga] = compare(store, "dga", 2016, 2016).to_pylist()
        [boxed] = compare(store, "boxed_in", 2016, 2016).to_pylist()
    assert (dga["counted"], dga["titles"], dga["share_if_unknown_women"]) == (2, 2, 0.0)
    assert dga["crewparity"] < 0.2
    # Boxed In's people: Bob alone (Alice and Eve worked on the series left out)
    assert (boxed["counted"], boxed["titles"], boxed["share_if_unknown_women"]) == (1, 1, 0.0)
    for row in (dga, boxed):
        assert "tagged News, Talk-Show" in row["crewparity_sample"] and "or Adult on IMDb" in row["crewparity_sample"]
        assert "series IMDb marks as adult (isAdult)" in row["caveat"]
    assert "Reality-TV" in dga["caveat"]
    out = run_cli("compare", "dga", "--from", "2016", "--to", "2016", "--db", str(unscripted_db))
    assert out.returncode == 0, out.stderr
    assert "tagged News, Talk-Show, Reality-TV" in " ".join(out.stdout.split())


def test_episode_estimates_honour_kinds_and_excluded_series(unscripted_db: Path) -> None:
    from crewparity.metrics.compare import episode_estimates
    from crewparity.metrics.samples import excluded_series_sql

    with open_store(unscripted_db) as store:
        def total(**kw: object) -> int:
            return sum(r["total"] for r in episode_estimates(store, 2016, 2016, **kw).to_pylist())  # type: ignore[arg-type]

        assert total() == 8                                        # every episode: the tvSpecial's too
        assert total(kinds=["tv_series"]) == 7
        assert total(kinds=["tv_mini_series"]) == 0
        talk = excluded_series_sql(["Talk-Show"])
        assert total(kinds=["tv_series"], exclude_series=talk) == 4
        assert total(kinds=["tv_series"], exclude_series=excluded_series_sql(adult=True)) == 5
        assert excluded_series_sql() is None


def test_excluded_series_come_from_series_index(unscripted_db: Path) -> None:
    """series_index carries each series' genres and adult flag, so the series to leave out are picked from the
    series alone, not from every title."""
    from crewparity.metrics.samples import excluded_series_sql

    with open_store(unscripted_db) as store:
        sql = excluded_series_sql(["Talk-Show"], adult=True)
        assert sql is not None and "FROM series_index" in sql and "titles" not in sql
        assert sorted(r[0] for r in store.rows(sql)) == ["tt0100010", "tt0100011"]


def test_exclusion_rules_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    from crewparity.metrics import roles

    shipped = roles.rules()
    dga = roles.study("dga")
    assert "Talk-Show" in dga.exclude_genres and dga.exclude_adult and roles.study("boxed_in").exclude_adult
    assert not roles.study("celluloid_ceiling").excludes

    def with_study(key: str, **values: object) -> None:
        changed = copy.deepcopy(shipped)
        changed["studies"][key].update(values)
        monkeypatch.setattr(roles, "rules", lambda: changed)

    with_study("dga_episodic", exclude_genres="News")
    with pytest.raises(ArgumentError, match=r"^studies.dga_episodic.exclude_genres in .*roles.toml must be a list"):
        roles.study("dga")
    with_study("dga_episodic", exclude_adult="yes")
    with pytest.raises(ArgumentError, match="exclude_adult in .*roles.toml must be true or false"):
        roles.study("dga")
    with_study("celluloid_ceiling", exclude_adult=True)
    with pytest.raises(ArgumentError, match='go with sample = "all" and kinds among tv_series, tv_mini_series'):
        roles.study("celluloid_ceiling")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_report_and_dashboard_notes_name_the_series_left_out(unscripted_db: Path, tmp_path: Path) -> None:
    import html as html_lib

    from crewparity.report import build_report
    from tests._dashboard_store import dashboard_client

    report = html_lib.unescape(build_report(unscripted_db, tmp_path / "r.html").read_text(encoding="utf-8"))
    section = " ".join(report[report.index('id="compare"'):report.index('id="method"')].split())
    assert "sample all, unit episodes, leaving out series tagged News, Talk-Show, Reality-TV" in section
    for client in dashboard_client(unscripted_db):
        page = " ".join(html_lib.unescape(client.get("/compare", params={"study": "boxed_in"}).text).split())
        assert "leaving out series tagged News, Talk-Show, Game-Show, Documentary, Sport or Adult on IMDb" in page
        assert "series IMDb marks as adult (isAdult)." in page


def test_an_unknown_study_names_the_aliases_that_work_too(db: Path) -> None:
    want = "allowed: celluloid_ceiling, boxed_in, dga_episodic (alias dga), usc_annenberg (aliases usc, annenberg)"
    with open_store(db) as store:
        with pytest.raises(ArgumentError) as err:
            compare(store, "nope")
    assert want in str(err.value)
    bad = run_cli("compare", "nope", "--db", str(db))
    assert bad.returncode == 1 and want in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_note_says_what_titles_holds_for_each_study(db: Path, tmp_path: Path) -> None:
    """The DGA rows' ``titles`` are the episodes counted, but the note under every table said "titles: the titles
    in our sample that year"."""
    import html as html_lib
    import warnings

    from crewparity.report import build_report
    from crewparity.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    dga = run_cli("compare", "dga", "--from", "2015", "--to", "2018", "--db", str(db))
    usc = run_cli("compare", "usc", "--from", "2016", "--to", "2016", "--db", str(db))
    assert dga.returncode == 0 and usc.returncode == 0, dga.stderr + usc.stderr
    episodes = "titles: the episodes counted that year"
    dga_text, usc_text = " ".join(dga.stdout.split()), " ".join(usc.stdout.split())
    assert episodes in dga_text and "titles: the titles" not in dga_text
    assert "titles: the titles in our sample that year" in usc_text and episodes not in usc_text
    report = html_lib.unescape(build_report(db, tmp_path / "r.html").read_text(encoding="utf-8"))
    dga_section = report[report.index("<h3>DGA Episodic"):report.index('id="method"')]
    dga_section = dga_section[:dga_section.index("<h3>", 1)] if "<h3>" in dga_section[1:] else dga_section
    assert episodes in dga_section and "titles: the titles" not in dga_section
    app = create_app(db)
    try:
        with TestClient(app) as client:
            pages = {key: html_lib.unescape(client.get("/compare", params={"study": key}).text)
                     for key in ("dga", "usc")}
    finally:
        app.state.holder.close()
    assert episodes in pages["dga"] and "titles: the titles" not in pages["dga"]
    assert "titles: the titles in our sample that year" in pages["usc"]


# ------------------------------------------------------------------------- what each row says it counts
def test_each_row_s_sample_names_the_roles_that_row_counts(db: Path) -> None:
    """A per-role row (director, counted over directors alone) said "distinct people per year in: director,
    writer, producer, ...": the key-role set's words, not the row's. Each row's crewparity_sample and caveat name
    the roles it counts, in the API, the CLI's CSV and the report's study table."""
    with open_store(db) as store:
        rows = compare(store, "celluloid_ceiling", 2017, 2017).to_pylist()
    people = [r for r in rows if r["metric"] == "pct_women_of_individuals"]
    assert {r["role"] for r in people} >= {"director", "writer", "editor"}
    for r in people:
        named = f"distinct people per year in: {r['role'].replace(',', ', ')}"
        assert r["crewparity_sample"].endswith(named), r
        assert named + ";" in r["caveat"] + ";", r
    director = next(r for r in people if r["role"] == "director")
    assert "writer" not in director["crewparity_sample"] and "writer" not in director["caveat"]
    no_woman = [r for r in rows if r["metric"] == "pct_titles_with_no_woman_in_role"]
    assert no_woman
    for r in no_woman:
        others = [o for o in ("director", "writer", "editor", "cinematographer") if o != r["role"]]
        assert f"({r['role']})" in r["crewparity_sample"], r
        assert not any(o in r["crewparity_sample"] for o in others), r
    out = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "-f", "csv", "--db", str(db))
    assert out.returncode == 0, out.stderr
    by_role = {(r["role"], r["metric"]): r for r in csv.DictReader(out.stdout.splitlines())}
    assert by_role[("director", "pct_women_of_individuals")]["crewparity_sample"].endswith(
        "distinct people per year in: director")
    # the caption's words for the study as a whole do not give the role rows the whole set either
    table = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "distinct people per year in the role each figure names, or in all of director," in " ".join(table.stdout.split())


def test_the_report_s_study_table_names_each_row_s_roles(db: Path, tmp_path: Path) -> None:
    import html as html_lib

    from crewparity.report import build_report

    report = html_lib.unescape(build_report(db, tmp_path / "r.md", fmt="md").read_text(encoding="utf-8"))
    section = report[report.index("The Celluloid Ceiling"):]
    line = next(ln for ln in section.splitlines()
                if "| 2017 | 2017 | director | pct\\_women\\_of\\_individuals |" in ln)
    assert "distinct people per year in: director |" in line and "cinematographer" not in line


def test_a_chart_of_role_panels_does_not_give_them_the_role_set_s_words(db: Path) -> None:
    """The compare chart's subtitle said our sample from its first row: with a panel per role that row's roles
    were not every panel's. It says the study's words for all its figures."""
    from crewparity.report import charts

    with open_store(db) as store:
        table = compare(store, "celluloid_ceiling", 2017, 2017)
    spec = charts.to_spec(charts.compare_chart(table, max_panels=None))
    subtitles = " ".join(" ".join(t["subtitle"]) if isinstance(t.get("subtitle"), list) else str(t.get("subtitle"))
                         for t in (d["title"] for d in spec_dicts(spec) if isinstance(d.get("title"), dict)))
    ours = next(line for line in subtitles.split("Ours") if "women among the people" in line)
    assert "distinct people per year in the role each figure names, or in all of director, writer" in ours
    assert "per year in: director" not in subtitles
