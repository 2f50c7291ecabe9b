"""Charts: drawn from real metric tables, rendered offline to SVG and PNG, unknown genders always visible."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.errors import ArgumentError
from crewparity.report import charts
from tests._dashboard_store import SERIES_ID, build_store
from tests.conftest import run_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def client(store: Path):  # type: ignore[no-untyped-def]
    import crewparity

    cp = crewparity.open(str(store))
    yield cp
    cp.close()


def _texts(svg: str) -> list[str]:
    """The visible text of an SVG (vl-convert writes each label as a <text> element)."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)]


def _no_external_reference(svg: str) -> None:
    urls = set(re.findall(r"(?:https?:)?//[^\s\"')]+", svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert "@import" not in svg and "<script" not in svg


def test_seasons_chart_labels_each_season_and_shows_unknown_in_grey(client) -> None:  # type: ignore[no-untyped-def]
    svg = charts.render_svg(charts.seasons_chart(client.series(SERIES_ID)))
    texts = _texts(svg)
    assert "1 of 4" in texts and "3 of 3" in texts
    assert "Harbour Nights: episodes by director gender" in texts
    # Season 1 has one episode by a director of unknown gender: a grey bar, and "unknown" in the legend.
    assert "unknown" in texts
    assert re.search(rf'<path[^>]*fill="{charts.GENDER_COLOURS["unknown"]}"', svg, flags=re.I)
    for colour in (charts.GENDER_COLOURS["women"], charts.GENDER_COLOURS["men"]):
        assert colour.lower() in svg.lower()
    _no_external_reference(svg)


def test_trend_chart_from_share_by_year_and_role(client) -> None:  # type: ignore[no-untyped-def]
    table = client.share(roles="director,writer", by="year,role", kinds="movie")
    svg = charts.render_svg(charts.trend_chart(table, title="Directors and writers"))
    texts = _texts(svg)
    assert "Directors and writers" in texts
    assert {"director", "writer"} <= set(texts)          # one line per role, in the legend
    assert {"2018", "2019", "2020"} <= set(texts)        # whole years on the axis...
    year_labels = [t for t in texts if re.fullmatch(r"\d{4}", t)]
    assert len(year_labels) == len(set(year_labels))     # ...each printed once (no 2019.5 shown as "2019")
    assert "Grey panel: share of those counted whose gender is unknown, per role (colours as above)" in texts
    _no_external_reference(svg)


def test_distribution_chart_keeps_titles_with_unknown_genders(client) -> None:  # type: ignore[no-untyped-def]
    table = client.distribution(roles="director,writer", kinds="movie")
    svg = charts.render_svg(charts.distribution_chart(table))
    texts = _texts(svg)
    assert {"0", "1", "2", "3-5", "6-9", "10+"} <= set(texts)
    assert "someone's gender unknown" in texts


def test_compare_chart_puts_ours_beside_theirs() -> None:
    table = pa.table({"year": [2018, 2019], "role": ["director", "director"],
                      "metric": ["pct_women_of_individuals"] * 2, "published": [0.08, 0.12],
                      "crewparity": [0.10, None], "ci_low": [0.05, None], "ci_high": [0.16, None]})
    svg = charts.render_svg(charts.compare_chart(table))
    texts = _texts(svg)
    assert "crewparity (ours)" in texts and "published (theirs)" in texts
    assert charts.OURS_COLOUR.lower() in svg.lower() and charts.THEIRS_COLOUR.lower() in svg.lower()


def test_png_and_svg_files(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    chart = charts.seasons_chart(client.series(SERIES_ID))
    png = charts.save(chart, tmp_path / "s.png")
    svg = charts.save(chart, tmp_path / "s.svg")
    assert png.read_bytes().startswith(PNG_MAGIC) and png.stat().st_size > 5000
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")
    with pytest.raises(ArgumentError, match=r"\.svg or \.png"):
        charts.save(chart, tmp_path / "s.gif")


def test_empty_selection_draws_a_message_not_an_error() -> None:
    svg = charts.render_svg(charts.trend_chart(pa.table({"year": pa.array([], pa.int32()),
                                                         "share_known": pa.array([], pa.float64())})))
    assert "no data for this selection" in _texts(svg)


def test_missing_columns_are_named() -> None:
    with pytest.raises(ArgumentError, match="season"):
        charts.seasons_chart(pa.table({"women": [1], "men": [2], "total": [3]}))


def test_palette_is_okabe_ito_and_genders_distinct() -> None:
    assert len(set(charts.GENDER_COLOURS.values())) == 4
    okabe = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert {charts.GENDER_COLOURS[g] for g in ("women", "men", "nonbinary")} <= okabe


def test_markup_in_a_name_is_text_in_the_svg() -> None:
    table = pa.table({"series": ["<script>alert(1)</script>"], "season": [1], "women": [1], "men": [0],
                      "nonbinary": [0], "unknown": [0], "total": [1]})
    svg = charts.inline_svg(charts.seasons_chart(table))
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_cli_chart_writes_svg_and_png(tmp_path: Path, store: Path) -> None:
    out_svg, out_png = tmp_path / "trend.svg", tmp_path / "jj.png"
    r = run_cli("chart", "trend", "--kind", "movie", "-o", str(out_svg), "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert "director" in _texts(out_svg.read_text(encoding="utf-8"))
    r = run_cli("chart", "seasons", "Harbour", "-o", str(out_png), "--db", str(store))
    assert r.returncode == 0, r.stderr
    assert out_png.read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize("args,message", [
    (["chart", "pie", "-o", "x.svg"], "unknown chart 'pie'"),
    (["chart", "trend", "-o", "x.gif"], ".svg or .png"),
    (["chart", "seasons", "-o", "x.svg"], "needs a series"),
    (["chart", "trend", "--roles", "grip", "-o", "x.svg"], "unknown role 'grip'"),
    # an option the chart kind does not use is named, never silently ignored (even at its default value)
    (["chart", "compare", "dga", "--sample", "top:10", "--kind", "movie", "--unit", "titles", "-o", "x.svg"],
     "chart compare does not use --kind, --sample, --unit (--kind and --sample are for chart trend, distribution; "
     "--unit is for chart trend); chart compare takes --roles, --from/--to, --metric"),
    (["chart", "compare", "dga", "--include-pilots", "--codirected", "any", "-o", "x.svg"],
     "chart compare does not use --codirected, --include-pilots (--codirected and --include-pilots are for chart "
     "seasons)"),
    (["chart", "seasons", "Harbour", "--from", "2010", "--roles", "director", "-o", "x.svg"],
     "chart seasons does not use --roles, --from (--roles and --from are for chart trend, compare, distribution); "
     "chart seasons takes --codirected, --include-pilots"),
    (["chart", "seasons", "Harbour", "--kind", "tv_series", "--sample", "all", "--unit", "people", "--metric", "all",
      "-o", "x.svg"], "chart seasons does not use --kind, --sample, --unit, --metric"),
    (["chart", "trend", "--codirected", "fractional", "--include-pilots", "-o", "x.svg"],
     "chart trend does not use --codirected, --include-pilots"),
    (["chart", "distribution", "--unit", "people", "-o", "x.svg"],
     "chart distribution does not use --unit (--unit is for chart trend)"),
    (["chart", "distribution", "--metric", "people", "-o", "x.svg"], "--metric is for chart compare"),
])
def test_cli_chart_bad_arguments(tmp_path: Path, store: Path, args: list[str], message: str) -> None:
    r = run_cli(*args, "--db", str(store), cwd=tmp_path)
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("x.*"))


def test_trend_line_breaks_where_a_year_was_not_counted() -> None:
    """2015, then 2018-2019: the line must not run through 2016 and 2017 as if they had figures."""
    rows = [{"year": y, "role": "director", "women": 2, "men": 6, "unknown": 0, "total": 8, "share_known": s,
             "share_expected": s, "ci_low": s - 0.1, "ci_high": s + 0.1} for y, s in ((2015, 0.2), (2018, 0.3),
                                                                                       (2019, 0.35))]
    svg = charts.render_svg(charts.trend_chart(pa.Table.from_pylist(rows)))
    top = svg[svg.index("mark-line"):]
    path = re.search(r'\bd="([^"]+)"', top)
    assert path is not None
    assert path.group(1).count("M") == 2, path.group(1)      # two pieces: 2015 alone, then 2018-2019
    gapless = [dict(r, year=y) for r, y in zip(rows, (2017, 2018, 2019), strict=True)]
    svg = charts.render_svg(charts.trend_chart(pa.Table.from_pylist(gapless)))
    path = re.search(r'\bd="([^"]+)"', svg[svg.index("mark-line"):])
    assert path is not None and path.group(1).count("M") == 1


def test_cli_chart_takes_each_kinds_own_options(tmp_path: Path, store: Path) -> None:
    for args in (["seasons", "Harbour", "--codirected", "fractional", "--include-pilots"],
                 ["distribution", "--roles", "director", "--kind", "movie", "--sample", "all", "--from", "2000",
                  "--to", "2030"],
                 ["compare", "dga", "--roles", "director", "--metric", "episodes", "--from", "2000", "--to", "2030"]):
        r = run_cli("chart", *args, "-o", str(tmp_path / "c.svg"), "--db", str(store))
        assert r.returncode == 0, (args, r.stderr)
