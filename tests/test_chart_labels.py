"""Charts that stand alone in an article: titles, subtitles and a source line say what is drawn and from what;
axes say which share and which year; lines break where no year was counted; one legible colour per role."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from crewparity.errors import ArgumentError
from crewparity.report import charts
from tests._dashboard_store import build_store
from tests.conftest import ingest_cli, run_cli, spec_dicts, tmdb_responses

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROLES6 = ["director", "writer", "producer", "executive_producer", "editor", "cinematographer"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("chart_labels"))


def _text(value: Any) -> str:
    return " ".join(value) if isinstance(value, list) else str(value or "")


def _titles(spec: dict[str, Any]) -> list[str]:
    """Every chart title and subtitle of a spec, lines joined."""
    out = []
    for d in spec_dicts(spec):
        t = d.get("title")
        if isinstance(t, dict):
            out.append(_text(t.get("text")))
            out.append(_text(t.get("subtitle")))
    return out


def _axis_titles(spec: dict[str, Any], channel: str) -> set[str]:
    return {str(enc[channel]["title"]) for d in spec_dicts(spec) if isinstance(enc := d.get("encoding"), dict)
            and isinstance(enc.get(channel), dict) and enc[channel].get("title")}


def _svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)]


def _line_paths(svg: str, colour: str) -> list[str]:
    """The ``d`` of every line path stroked in ``colour`` (vl-convert writes one path per line)."""
    out = []
    for tag in re.findall(r"<path[^>]*>", svg):
        if f'stroke="{colour}"'.lower() in tag.lower() and 'aria-roledescription="line mark"' in tag:
            m = re.search(r'\bd="([^"]+)"', tag)
            if m:
                out.append(m.group(1))
    return out


def _dga_rows() -> list[dict[str, Any]]:
    ours = {2015: 0.31, 2016: 0.33, 2018: 0.35}
    return [{"study": "dga_episodic", "period": f"{y}-{(y + 1) % 100:02d}", "year": y, "role": "director",
             "metric": "pct_episodes_directed_by_women", "published": 0.14 + 0.01 * (y - 2010),
             "published_sample": "episodes of scripted series under DGA agreements",
             "published_source": "DGA Episodic Television Director Diversity Report",
             "crewparity": ours.get(y), "ci_low": ours[y] - 0.05 if y in ours else None,
             "ci_high": ours[y] + 0.05 if y in ours else None,
             "crewparity_sample": "every tv_series title in the store"}
            for y in range(2010, 2024)]


def _celluloid_rows() -> list[dict[str, Any]]:
    rows = []
    for role in [",".join(ROLES6), *ROLES6]:
        for y in (1998, 2006, 2016, 2017, 2018):
            rows.append({"study": "celluloid_ceiling", "year": y, "period": str(y), "role": role,
                         "metric": "pct_women_of_individuals", "published": 0.2, "crewparity": 0.25,
                         "ci_low": 0.2, "ci_high": 0.3})
    for role in ROLES6:
        for y in (2017, 2019):
            rows.append({"study": "celluloid_ceiling", "year": y, "period": str(y), "role": role,
                         "metric": "pct_titles_with_no_woman_in_role", "published": 0.8, "crewparity": None,
                         "ci_low": None, "ci_high": None})
    return rows


# ------------------------------------------------------------------------------------------- compare
def test_compare_names_the_study_the_share_and_the_season_year() -> None:
    chart = charts.compare_chart(_dga_rows(), source="Source: crewparity test")
    spec = charts.to_spec(chart)
    titles = " ".join(_titles(spec))
    assert "DGA Episodic Television Director Diversity Report" in titles
    assert "Theirs: episodes of scripted series under DGA agreements" in titles
    assert "Ours: every tv_series title in the store" in titles
    assert "Source: crewparity test" in titles                     # the source line, below the chart
    assert _axis_titles(spec, "y") >= {"episodes directed by women (%)"}
    assert "share" not in _axis_titles(spec, "y")
    x_titles = _axis_titles(spec, "x")
    assert any("TV season, by its first year" in t and "2010-11" in t for t in x_titles), x_titles
    assert charts.render_png(chart).startswith(PNG_MAGIC)


def test_compare_lines_and_bands_break_where_no_year_was_counted() -> None:
    """Published 1998, 2006, 2016-2018: three pieces, never a line from 1998 to 2006 to 2016."""
    rows = [r for r in _celluloid_rows() if r["role"] == "director" and r["metric"] == "pct_women_of_individuals"]
    spec = charts.to_spec(charts.compare_chart(rows))
    values = next(d["values"] for d in spec_dicts(spec) if isinstance(d.get("values"), list)
                  and any(isinstance(v, dict) and "who" in v for v in d["values"]))
    theirs = {v["year"]: v["share"] for v in values if v["who"] == "published (theirs)"}
    assert set(theirs) == set(range(1998, 2019))
    assert all(theirs[y] is None for y in (*range(1999, 2006), *range(2007, 2016)))
    ours_gaps = [v for v in values if v["who"] == "crewparity (ours)" and v["year"] == 2000]
    assert ours_gaps and ours_gaps[0]["lo"] is None and ours_gaps[0]["hi"] is None   # the band breaks too
    svg = charts.render_svg(charts.compare_chart(rows))
    paths = _line_paths(svg, charts.THEIRS_COLOUR)
    assert len(paths) == 1 and paths[0].count("M") == 3, paths


def test_compare_draws_every_figure_when_asked_and_says_which() -> None:
    rows = _celluloid_rows()
    spec = charts.to_spec(charts.compare_chart(rows, max_panels=None))
    panels = next(d["concat"] for d in spec_dicts(spec) if "concat" in d)
    assert len(panels) == 13
    titles = " ".join(_titles(spec))
    assert "The Celluloid Ceiling" in titles
    assert "Shown: women's share of people in the key roles, directors, writers, producers" in titles
    assert "titles with no woman director, writer, producer, executive producer, editor, cinematographer" in titles
    panel_titles = {_text(p["title"]["text"]) for p in panels}
    assert {"women's share of producers", "titles with no woman editor",
            "titles with no woman cinematographer"} <= panel_titles
    # The library default keeps 4 panels (the report and dashboard show the table beside it): and says so.
    spec4 = charts.to_spec(charts.compare_chart(rows))
    assert "4 of the study's 13 figures" in " ".join(_titles(spec4))


def test_compare_selection_by_role_and_metric() -> None:
    rows = charts.select_compare(_celluloid_rows(), roles=["producer", "editor"],
                                 metrics=charts.parse_metrics("no-woman"))
    assert {(r["role"], r["metric"]) for r in rows} == {("producer", "pct_titles_with_no_woman_in_role"),
                                                        ("editor", "pct_titles_with_no_woman_in_role")}
    key = charts.select_compare(_celluloid_rows(), roles=ROLES6, metrics=charts.parse_metrics("people"))
    assert ",".join(ROLES6) in {r["role"] for r in key}
    assert charts.parse_metrics("all") is None
    with pytest.raises(ArgumentError, match="unknown metric 'bogus'"):
        charts.parse_metrics("bogus")


def _no_woman_rows() -> list[dict[str, Any]]:
    from crewparity.metrics.compare import describe_sample
    from crewparity.metrics.roles import study

    ours = describe_sample(study("celluloid_ceiling"), "pct_titles_with_no_woman_in_role")
    with_role = {("director", 2017): 22, ("director", 2019): 20, ("executive_producer", 2017): 7,
                 ("executive_producer", 2019): 4}
    return [{"study": "celluloid_ceiling", "year": y, "period": str(y), "role": role,
             "metric": "pct_titles_with_no_woman_in_role", "published": 0.8, "crewparity": 0.7,
             "estimate": "no_known_woman", "ci_low": None, "ci_high": None, "counted": n, "titles": 40,
             "titles_with_role": n, "published_sample": "top 250 domestic grossing films",
             "crewparity_sample": ours} for (role, y), n in with_role.items()]


def test_no_woman_panels_say_their_unit_no_interval_and_how_many_titles() -> None:
    """The no-woman figures count titles with a credit in the role, have no interval and may rest on 4 titles:
    the subtitle says so (not the people figures' "distinct people ... our 95% interval") and each panel its
    number of titles."""
    spec = charts.to_spec(charts.compare_chart(_no_woman_rows(), max_panels=None))
    titles = " ".join(_titles(spec))
    assert "distinct people" not in titles and "95% interval" not in titles
    assert "over the titles with a credit in the role" in titles and "no interval" in titles
    panels = {_text(p["title"]["text"]): _text(p["title"].get("subtitle"))
              for p in next(d["concat"] for d in spec_dicts(spec) if "concat" in d)}
    assert panels == {"titles with no woman director": "ours over 20-22 titles a year with the credit",
                      "titles with no woman executive producer": "ours over 4-7 titles a year with the credit"}
    one = [r for r in _no_woman_rows() if r["role"] == "executive_producer" and r["year"] == 2019]
    single = " ".join(_titles(charts.to_spec(charts.compare_chart(one))))
    assert "Ours rests on 4 titles with a credit in the role." in single and "95% interval" not in single
    # Both kinds of figure in one chart: each its own line, the interval only on the people's
    both = charts.to_spec(charts.compare_chart(_no_woman_rows() + [
        dict(r, metric="pct_women_of_individuals", estimate="share_expected", ci_low=0.1, ci_high=0.3,
             crewparity_sample="top 250 movie titles per year by IMDb votes; distinct people per year in: director")
        for r in _no_woman_rows()[:2]], max_panels=None))
    subtitle = next(_text(d["title"]["subtitle"]) for d in spec_dicts(both)
                    if isinstance(d.get("title"), dict) and "Theirs" in _text(d["title"].get("subtitle")))
    assert "Ours (women among the people): top 250 movie titles per year by IMDb votes; distinct people per year in: " \
           "director; bar and band: our 95% interval." in subtitle
    assert "Ours (titles with no woman): top 250" in subtitle and "no interval" in subtitle


def test_compare_subtitle_states_each_published_sample_with_its_years() -> None:
    """Boxed In covered broadcast only until 2014-15 and broadcast, cable and streaming from 2015-16: the
    subtitle says both, with their seasons, not the first row's sample for every year."""
    broadcast = "one random episode of every prime-time series; broadcast"
    wider = "one random episode of every prime-time series; broadcast, cable, streaming"
    rows = [{"study": "boxed_in", "year": y, "period": f"{y}-{(y + 1) % 100:02d}", "role": "creator,director",
             "metric": "pct_women_of_individuals", "published": 0.25, "crewparity": 0.23, "ci_low": 0.2,
             "ci_high": 0.26, "published_sample": broadcast if y < 2015 else wider,
             "crewparity_sample": "every tv_series title in the store"} for y in (2005, 2011, 2014, 2015, 2017)]
    titles = " ".join(_titles(charts.to_spec(charts.compare_chart(rows))))
    assert ("Theirs: one random episode of every prime-time series; broadcast (2005-06 to 2014-15), then broadcast, "
            "cable, streaming (2015-16 to 2017-18).") in titles
    shown = " ".join(_titles(charts.to_spec(charts.compare_chart(rows[3:]))))
    assert f"Theirs: {wider}." in shown and "(2015-16" not in shown     # one sample over the years shown: no years


def test_year_ticks_are_whole_years_spaced_to_fit() -> None:
    spec = charts.to_spec(charts.compare_chart(_dga_rows()))
    axes = [d["axis"] for d in spec_dicts(spec) if d.get("field") == "year" and isinstance(d.get("axis"), dict)]
    assert axes
    for axis in axes:
        assert axis["format"] == "d" and axis["labelOverlap"] is True
        values = axis["values"]
        assert all(isinstance(v, int) for v in values)
        assert len(values) <= 560 // 48 and len({b - a for a, b in zip(values, values[1:], strict=False)}) == 1
    svg = charts.render_svg(charts.compare_chart(_dga_rows()))
    years = sorted(int(t) for t in _svg_texts(svg) if re.fullmatch(r"\d{4}", t))
    assert years and all(b - a >= 2 for a, b in zip(years, years[1:], strict=False)), years  # no "2010 2011"
    small = charts.to_spec(charts.compare_chart(_celluloid_rows(), max_panels=None))
    for axis in (d["axis"] for d in spec_dicts(small) if d.get("field") == "year" and isinstance(d.get("axis"), dict)):
        assert len(axis["values"]) <= 5          # 1998-2018 in a small panel: every 5 or 10 years


# ----------------------------------------------------------------------------------- trend, colours
def _trend_rows(roles: list[str]) -> pa.Table:
    return pa.Table.from_pylist([
        {"year": y, "role": r, "women": 2, "men": 6, "unknown": 1, "total": 9, "share_known": 0.25,
         "share_expected": 0.26, "ci_low": 0.1, "ci_high": 0.4} for r in roles for y in (2018, 2019, 2020)])


def _colour_scale(spec: dict[str, Any]) -> dict[str, str]:
    enc = next(d["color"] for d in spec_dicts(spec) if isinstance(d.get("color"), dict)
               and d["color"].get("field") == "series" and "scale" in d["color"])
    return dict(zip(enc["scale"]["domain"], enc["scale"]["range"], strict=True))


def test_each_role_keeps_one_distinct_print_legible_colour() -> None:
    six = _colour_scale(charts.to_spec(charts.trend_chart(_trend_rows(ROLES6))))
    assert six == {r: charts.ROLE_COLOURS[r] for r in ROLES6}
    assert len(set(six.values())) == 6
    two = _colour_scale(charts.to_spec(charts.trend_chart(_trend_rows(["producer", "director"]))))
    assert two == {"director": charts.ROLE_COLOURS["director"], "producer": charts.ROLE_COLOURS["producer"]}

    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    # No pale colour that fades on paper (the old pale yellow was 0.78), and not the sky blue beside the blue.
    assert all(luminance(c) < 0.45 for c in six.values()), six
    assert "#56B4E9" not in six.values() and "#F0E442" not in six.values()
    assert charts.GENDER_COLOURS["unknown"] not in six.values()


def test_unknown_panel_and_parity_line_are_labelled() -> None:
    chart = charts.trend_chart(_trend_rows(["director", "writer"]), title="T")
    spec = charts.to_spec(chart)
    colours = [d["color"] for d in spec_dicts(spec) if isinstance(d.get("color"), dict)
               and d["color"].get("field") == "series"]
    assert len(colours) == 3 and all(c == colours[0] for c in colours)   # band, line, unknown panel: one legend
    assert colours[0]["legend"] is not None
    assert not [d for d in spec_dicts(spec) if "strokeDash" in d and isinstance(d["strokeDash"], dict)
                and d["strokeDash"].get("field")]                          # no dash style without a legend
    texts = _svg_texts(charts.render_svg(chart))
    assert "parity: 50%" in texts
    assert {"director", "writer"} <= set(texts)
    assert "Grey panel: share of those counted whose gender is unknown, per role (colours as above)" in texts


def test_describe_and_source_line(store: Path) -> None:
    text = charts.describe(roles=["director", "executive_producer"], kinds="movie", sample="top:250",
                           year_from=2000, year_to=2024, unit="people")
    assert text == ("roles: director, executive producer · kind: movie · sample: top 250 titles of each year by "
                    "IMDb votes · years: 2000-2024 · unit: people (a person counts once per year and role)")
    # no --from/--to: the years the data covers, named as the report's overview names them
    assert "years: all years (2015-2019)" in charts.describe(years=[2019, 2015, 2017])
    import crewparity

    cp = crewparity.open(str(store))
    try:
        line = charts.source_line(cp.store)
    finally:
        cp.close()
    assert line.startswith(f"Source: crewparity {crewparity.__version__}; credits: IMDb non-commercial datasets (")
    assert "loaded 20" in line and f"store {store.name}" in line and str(store.parent) not in line


# ------------------------------------------------------------------------------------------------ CLI
def _cli_svg_text(tmp_path: Path, store: Path, *args: str) -> str:
    out = tmp_path / "c.svg"
    r = run_cli("chart", *args, "-o", str(out), "--db", str(store))
    assert r.returncode == 0, r.stderr
    return " ".join(_svg_texts(out.read_text(encoding="utf-8")))


def test_cli_trend_says_roles_kind_sample_years_unit_and_source(tmp_path: Path, store: Path) -> None:
    text = _cli_svg_text(tmp_path, store, "trend", "--roles", "director,writer", "--kind", "movie",
                         "--sample", "top:2", "--from", "2018", "--to", "2020", "--unit", "credits")
    for words in ("Women's share of the director and writer credits, year by year", "roles: director, writer",
                  "kind: movie", "sample: top 2 titles of each year by IMDb votes", "years: 2018-2020",
                  "unit: credits", "Source: crewparity", f"store {store.name}", "parity: 50%"):
        assert words in text, words


def test_cli_seasons_names_the_series_id_by_its_source(tmp_path: Path, shared_data: Path) -> None:
    """A series loaded from TMDB is named as TMDB's, not as an IMDb id (the subtitle said "IMDb tmdb:tv:...")."""
    db = ingest_cli("tmdb", *tmdb_responses(shared_data), db=tmp_path / "tmdb.duckdb")
    text = _cli_svg_text(tmp_path, db, "seasons", "Silicon")
    assert "TMDB tmdb:tv:" in text and "IMDb tmdb:" not in text


def test_cli_distribution_names_its_roles(tmp_path: Path, store: Path) -> None:
    text = _cli_svg_text(tmp_path, store, "distribution", "--roles", "director,writer", "--kind", "movie")
    assert "How many women a title employs as directors and writers" in text
    assert "roles: director, writer" in text and "kind: movie" in text and "Source: crewparity" in text


def test_cli_compare_chooses_figures(tmp_path: Path, store: Path) -> None:
    text = _cli_svg_text(tmp_path, store, "compare", "celluloid_ceiling", "--roles", "producer,editor",
                         "--metric", "no-woman")
    assert "The Celluloid Ceiling" in text
    assert "Shown: titles with no woman producer, editor" in text
    assert "women's share of" not in text
    assert "over the titles with a credit in the role" in text and "95% interval" not in text
    assert "Published figures: " in text and "Source: crewparity" in text
    png = tmp_path / "dga.png"
    r = run_cli("chart", "compare", "dga", "-o", str(png), "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert png.read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize("args,message", [
    (["chart", "compare", "celluloid_ceiling", "--metric", "bogus"], "unknown metric 'bogus'"),
    (["chart", "trend", "--metric", "people"], "--metric is for chart compare"),
])
def test_cli_metric_errors(tmp_path: Path, store: Path, args: list[str], message: str) -> None:
    # This checkout's package, not an installed one, whatever the working folder.
    src = str(Path(charts.__file__).resolve().parents[2])
    r = run_cli(*args, "-o", "x.svg", "--db", str(store), cwd=tmp_path, env={"PYTHONPATH": src})
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.glob("x.*"))
