"""The overview's year-by-year table reads as a journalist looks figures up: one row per year, the latest first, one
column per role holding the estimate (share_expected) with its counts and interval in the cell's tooltip; the
latest years are in view and the earlier ones fold under "Earlier years"; the CLI's table of every count (one row
per year and role) folds under "Every count", and the downloads keep that complete shape.

What a review found: on a synthetic store the table was ~820 rows (every year x six roles, fifteen columns),
too long to find a year's figures in or to compare the roles of one year.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.output import format_cell
from crewparity.report.overview import counts_text
from crewparity.web.app import RECENT_YEARS
from tests._dashboard_store import build_store, chromium_tab, dashboard_client, dashboard_server
from tests.conftest import run_cli, synth_store
from tests.test_browser import _need_browser

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "year-grid", seed=7)


def _grid(page: str, table_id: str) -> tuple[list[str], list[tuple[str, list[tuple[str, str]]]]]:
    """A grid's role columns and per row its year and (figure, tooltip) per role."""
    found = re.search(rf'<table class="data grid" id="{table_id}"[^>]*>(.*?)</table>', page, flags=re.S)
    assert found is not None, table_id
    body = found.group(1)
    roles = re.findall(r'<th scope="col" class="num">([^<]*)</th>', body)
    rows = []
    for year, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', body, flags=re.S):
        rows.append((html.unescape(year), [(html.unescape(text), html.unescape(title)) for title, text in
                                           re.findall(r'<td class="num[^"]*" title="([^"]*)">([^<]*)', cells)]))
    return roles, rows


def _cli_rows(page: str) -> list[dict[str, str]]:
    """The rows of the CLI line printed under the year-by-year table."""
    trend = [html.unescape(c) for c in re.findall(r"from the command line: <code>([^<]*)</code>", page)][1]
    assert trend.startswith("crewparity share --by year,role")
    r = run_cli(*shlex.split(trend)[1:], "-f", "csv")
    assert r.returncode == 0, r.stderr
    return list(csv.DictReader(io.StringIO(r.stdout)))


def _check_against_cli(page: str, rows: list[dict[str, str]]) -> list[str]:
    """Every (year, role) of the CLI is its grid cell (the estimate, the counts in the tooltip); returns the years."""
    roles, recent = _grid(page, "year-grid")
    earlier = _grid(page, "earlier-grid")[1] if 'id="earlier-grid"' in page else []
    grid = {year: dict(zip(roles, cells, strict=True)) for year, cells in [*recent, *earlier]}
    assert sorted(roles) == sorted({r["role"] for r in rows})  # in the headline's order, the CLI's is by name
    years = [y for y, _ in [*recent, *earlier]]
    dated = [int(y) for y in years if y.isdigit()]
    assert dated == sorted(dated, reverse=True)  # the latest year first
    assert len(recent) == min(RECENT_YEARS, len(years))
    for row in rows:
        year = row["year"] or format_cell(None, "year")
        text, title = grid[year][row["role"]]
        share = format_cell(float(row["share_expected"]), "share_expected") if row["share_expected"] else "—"
        assert text == share, (year, row["role"])
        counts = {**row, **{k: int(row[k]) for k in ("women", "men", "nonbinary", "unknown")},
                  "share_known": float(row["share_known"]) if row["share_known"] else None}
        assert title.startswith(f"{year}, {counts_text(counts, 'people')}"), title
    assert len(grid) == len({r["year"] for r in rows})
    return years


def test_the_hand_worked_store_s_grid_is_the_cli_s_figures(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = build_store(tmp_path_factory.mktemp("year-grid-small"))
    for client in dashboard_client(db):
        page = client.get("/", params={"roles": "director,writer"}).text
        rows = _cli_rows(page)
        assert _check_against_cli(page, rows) == ["2020", "2019", "2018"]
        assert 'id="earlier-years"' not in page  # three years: nothing to fold
        # the cell's tooltip has what the counts table's row has: counts, interval, small
        first = _grid(page, "year-grid")[1][0][1][0][1]
        assert "95% interval" in first and "small: fewer than" in first, first


def test_a_long_history_shows_the_latest_years_and_folds_the_rest(synth: Path) -> None:
    for client in dashboard_client(synth):
        page = client.get("/").text
        rows = _cli_rows(page)
        years = _check_against_cli(page, rows)
        assert len(years) > RECENT_YEARS and len(rows) > 5 * len(years) / 2  # the CLI's shape is several times longer
        summary = html.unescape(re.search(r'id="earlier-years"><summary>([^<]*)</summary>', page).group(1))  # type: ignore[union-attr]
        dated = [y for y in years[RECENT_YEARS:] if y.isdigit()]
        assert summary == f"Earlier years: {dated[-1]}–{dated[0]}, {len(years) - RECENT_YEARS} rows"
        # the full table of counts is the CLI's, folded; the CSV download is the CLI's too
        counts = page[page.index('id="every-count"'):]
        assert len(re.findall(r"<tr><td>", counts[:counts.index("</details>")])) == len(rows)
        csv_link = html.unescape(re.findall(r'<a href="([^"]*format=csv)" download>', page)[1])
        assert csv_link.startswith("/api/share?by=year%2Crole")
        assert list(csv.DictReader(io.StringIO(client.get(csv_link).text))) == rows


@pytest.fixture(scope="module")
def server(synth: Path) -> Iterator[str]:
    _need_browser()
    yield from dashboard_server(synth)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_grid_is_short_and_the_folds_open_without_javascript(server: str, width: int) -> None:
    with chromium_tab(width, 900) as tab:
        tab.goto(f"{server}/", timeout=120_000)  # the first visit computes the synthetic store's overview
        size: Any = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size[0] <= width, size  # the grid scrolls sideways in its own box
        assert size[1] < 5000, size  # the ~800-row table made the page ~25,000 px tall
        assert tab.locator("#year-grid tbody tr").count() == RECENT_YEARS
        assert not tab.locator("#earlier-grid").is_visible() and not tab.locator("#every-count table").is_visible()
        tab.click("#earlier-years summary")
        assert tab.locator("#earlier-grid").is_visible()
        tab.click("#every-count summary")
        assert tab.locator("#every-count table").is_visible()
