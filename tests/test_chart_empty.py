"""An empty chart says in its own text why it is empty, and its subtitle claims no figure it does not show.

A store built from a crew list without a year column has credits but no year: a trend has nothing to place on
its axis. The chart said "no data for this selection" under a subtitle describing a line and a band; it now
says that no title has a year, and leaves out the line, band and role notes. A selection with no rows at all
gives the reason the CLI tables give (crewparity.metrics.empty).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.report import charts
from tests._dashboard_store import build_store
from tests.conftest import crewlist_store, run_cli


def _text(svg: str) -> str:
    """The visible text of an SVG, the lines of a wrapped text (one <tspan> each) joined by a space."""
    return " ".join(" ".join(re.sub(r"<[^>]+>", "", t.replace("</tspan>", " ")).split())
                    for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S))


def _chart(tmp_path: Path, db: Path, *args: str) -> str:
    out = tmp_path / "c.svg"
    r = run_cli("chart", *args, "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return _text(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def crew_no_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crewlist_store(tmp_path_factory.mktemp("crew_no_year"),
                          "title,name,role,gender\nOur Film,Ana Lima,director,woman\nOur Film,Bob Stone,writer,man\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("chart_empty"))


def test_trend_of_a_store_without_years_says_so(tmp_path: Path, crew_no_year: Path) -> None:
    text = _chart(tmp_path, crew_no_year, "trend")
    assert "nothing to draw year by year: no titles with a year in this store" in text
    assert "no data for this selection" not in text
    # no line, band or role drawn: the subtitle does not describe them
    assert "Line: estimate" not in text and "band" not in text and "No credits counted for" not in text
    assert "roles: director, writer" in text                          # what was asked for is still said


def test_trend_outside_the_stores_years_gives_the_tables_reason(tmp_path: Path, store: Path) -> None:
    text = _chart(tmp_path, store, "trend", "--from", "2100")
    assert "no credits match this selection: the store's titles are from 2018 to 2020" in text
    assert "Line: estimate" not in text and "no data for this selection" not in text
    text = _chart(tmp_path, store, "trend", "--unit", "titles", "--from", "2100")
    assert "No parity line" not in text                               # no line at all


def test_distribution_outside_the_stores_years_gives_the_tables_reason(tmp_path: Path, store: Path) -> None:
    text = _chart(tmp_path, store, "distribution", "--from", "2100")
    assert "no credits match this selection: the store's titles are from 2018 to 2020" in text
    assert "Bars: titles" not in text


def test_trend_chart_of_rows_without_a_year() -> None:
    table = pa.Table.from_pylist([{"year": None, "role": "director", "women": 1, "men": 0, "unknown": 0, "total": 1,
                                   "share_known": 1.0, "share_expected": 1.0, "ci_low": 0.2, "ci_high": 1.0}],
                                 schema=pa.schema([("year", pa.int32()), ("role", pa.string()), ("women", pa.int64()),
                                                   ("men", pa.int64()), ("unknown", pa.int64()), ("total", pa.int64()),
                                                   ("share_known", pa.float64()), ("share_expected", pa.float64()),
                                                   ("ci_low", pa.float64()), ("ci_high", pa.float64())]))
    assert charts.trend_empty_reason(table) == ("nothing to draw year by year: no titles with a year in this "
                                                "selection (crewparity share --by role counts them)")
    assert "no titles with a year in this selection" in _text(charts.render_svg(charts.trend_chart(table)))
    drawn = table.to_pylist()[0] | {"year": 2020}
    assert charts.trend_empty_reason(pa.Table.from_pylist([drawn])) is None


def test_a_long_reason_is_wrapped_to_the_chart() -> None:
    reason = "no credits match this selection: " + "word " * 60
    svg = charts.render_svg(charts.trend_chart(pa.table({"year": pa.array([], pa.int32()),
                                                         "share_known": pa.array([], pa.float64())}),
                                               empty_reason=reason))
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert width < 700 and "word word" in _text(svg)
