"""A trend chart says which unit it counts: the title, the y axis and the parity line follow ``--unit``.

For ``--unit titles`` the figure is the share of titles with at least one woman in the roles (docs/metrics.md),
not women's share of people: a 50% line is no parity mark for it (with as many women as men among the people,
a title with two or more of them has a woman more often than not), so it is left out and the chart says why.
For ``--unit credits`` the figure is women's share of the credits, and 50% is parity in credits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from crewparity.report import charts
from tests._dashboard_store import build_store
from tests.conftest import run_cli, spec_dicts


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("chart_units"))


def _texts(svg: str) -> list[str]:
    """The visible text of an SVG, a wrapped title's lines (one <tspan> each) joined by a space."""
    return [" ".join(re.sub(r"<[^>]+>", "", t.replace("</tspan>", " ")).split())
            for t in re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)]


def _chart(tmp_path: Path, store: Path, *args: str) -> tuple[str, list[str]]:
    out = tmp_path / "c.svg"
    r = run_cli("chart", "trend", "--roles", "director,writer", "--kind", "movie", *args, "-o", str(out),
                "--db", str(store))
    assert r.returncode == 0, r.stderr
    texts = _texts(out.read_text(encoding="utf-8"))
    return " ".join(texts), texts


def _rows() -> pa.Table:
    return pa.Table.from_pylist([
        {"year": y, "role": "director", "women": 2, "men": 6, "unknown": 1, "total": 9, "share_known": 0.25,
         "share_expected": 0.26, "ci_low": 0.1, "ci_high": 0.4} for y in (2018, 2019, 2020)])


def test_cli_trend_of_titles_says_titles_with_a_woman_and_draws_no_parity_line(tmp_path: Path, store: Path) -> None:
    text, texts = _chart(tmp_path, store, "--unit", "titles")
    assert "Share of titles with at least one woman director or writer, year by year" in text
    assert "Women's share" not in text and "women's share" not in text
    assert "share of titles with a woman (estimate)" in texts                     # the y axis
    assert "parity: 50%" not in texts
    assert "No parity line:" in text
    assert "unit: titles (a title counts once)" in text
    # the grey panel counts titles too: those where no woman is known and someone's gender is not
    assert any(t.startswith("Grey panel: share of titles with no woman known and someone's gender unknown")
               for t in texts), texts


def test_cli_trend_of_credits_says_credits(tmp_path: Path, store: Path) -> None:
    text, texts = _chart(tmp_path, store, "--unit", "credits")
    assert "Women's share of the director and writer credits, year by year" in text
    assert "women's share of the credits (estimate)" in texts
    assert "parity: 50%" in texts                                                # half the credits: parity
    assert any(t.startswith("Grey panel: share of credits whose person's gender is unknown") for t in texts)


def test_cli_trend_of_people_says_people(tmp_path: Path, store: Path) -> None:
    text, texts = _chart(tmp_path, store)
    assert "Women's share of directors and writers, year by year" in text
    assert "women's share of the people (estimate)" in texts
    assert "parity: 50%" in texts


def test_trend_chart_unit_titles_in_python() -> None:
    spec = charts.to_spec(charts.trend_chart(_rows(), unit="titles"))
    marks = [d["mark"] for d in spec_dicts(spec) if "mark" in d]
    assert marks and not [m for m in marks if m == "rule" or (isinstance(m, dict) and m.get("type") == "rule")]
    texts = _texts(charts.render_svg(charts.trend_chart(_rows(), unit="titles")))
    assert "share of titles with a woman (estimate)" in texts and "parity: 50%" not in texts
    # without a unit the chart keeps its general wording and the parity line
    texts = _texts(charts.render_svg(charts.trend_chart(_rows())))
    assert "women's share (estimate)" in texts and "parity: 50%" in texts


def test_trend_title_words() -> None:
    assert charts.trend_title(["director"], "titles") == "Share of titles with at least one woman director, year by year"
    assert charts.trend_title(["director", "executive_producer", "editor"], "titles") == (
        "Share of titles with at least one woman director, executive producer or editor, year by year")
    six = ["director", "writer", "producer", "executive_producer", "editor", "cinematographer"]
    assert charts.trend_title(six, "titles") == "Share of titles with at least one woman in the six key roles, year by year"
    assert charts.trend_title(six, "credits") == "Women's share of the credits in the six key roles, year by year"
    assert charts.trend_title(["editor"], "credits") == "Women's share of the editor credits, year by year"
    assert charts.trend_title(six, "people") == "Women's share of the people in the six key roles, year by year"
    assert charts.trend_title(["director", "writer"], "people") == "Women's share of directors and writers, year by year"


def test_the_report_and_the_dashboard_draw_the_titles_chart_as_the_cli_does(store: Path, tmp_path: Path) -> None:
    """The report's and the dashboard's trend charts take the unit too: no parity line for titles and the axis in
    the unit's words, under a title that says what is counted."""
    from tests._dashboard_store import dashboard_client

    out = tmp_path / "r.html"
    r = run_cli("report", "--unit", "titles", "-o", str(out), "--db", str(store))
    assert r.returncode == 0, r.stderr
    html = " ".join(out.read_text(encoding="utf-8").split())
    assert "Share of titles with at least one woman, by role" in html
    assert "share of titles with a woman" in html  # the y axis
    assert "No parity line" in html
    people = tmp_path / "p.html"
    assert run_cli("report", "-o", str(people), "--db", str(store)).returncode == 0
    assert "No parity line" not in people.read_text(encoding="utf-8")
    client = next(dashboard_client(store))
    page = " ".join(client.get("/", params={"unit": "titles"}).text.split())
    assert "Share of titles with at least one woman, by role" in page
    assert "No parity line" in page
