"""A report whose selection matches nothing says why, in the dashboard's (and the CLI's) words, and draws no empty
chart.

The dashboard's overview learnt to say why an empty selection is empty (years outside the store's, a role nobody
holds, a kind the store has no titles of) and to draw no chart then; the report still said only "No credits match
this selection." and drew a chart reading "no data for this selection". Each report here is checked against the
dashboard's overview for the same question (tests/test_web_empty_result.py checks the dashboard against the CLI).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.report import build_report
from tests._dashboard_store import build_store, dashboard_client
from tests.test_web_empty_result import CREW_LIST

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

REASON = re.compile(r'<p class="note empty-reason" role="status">([^<]*)</p>')


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("report-empty"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[Any]:
    yield from dashboard_client(store)


@pytest.fixture(scope="module")
def no_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity import api

    tmp = tmp_path_factory.mktemp("report-no-years")
    (tmp / "crew.csv").write_text(CREW_LIST, encoding="utf-8")
    db = tmp / "crew.duckdb"
    api.ingest_crewlist(tmp / "crew.csv", db)
    return db


@pytest.fixture(scope="module")
def no_years_client(no_years: Path) -> Iterator[Any]:
    yield from dashboard_client(no_years)


def _section(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i:page.index(end, i)]


def _empty_rows(page: str) -> list[str]:
    return [html_lib.unescape(r) for r in re.findall(r'<tr><td colspan="\d+" class="note">([^<]*)</td></tr>', page)]


#: the report's options and the same question as the dashboard's query parameters
CASES = [
    ({"year_from": 1900, "year_to": 1910}, {"from": 1900, "to": 1910}, "the store's titles are from 2018 to 2020"),
    ({"roles": "casting_director"}, {"roles": "casting_director"}, "the store has no credits as casting_director"),
    ({"kind": "tv_mini_series"}, {"kind": "tv_mini_series"}, "the store has no titles of kind tv_mini_series"),
]


@pytest.mark.parametrize(("options", "params", "reason"), CASES)
def test_an_empty_report_says_why_as_the_dashboard_does(store: Path, client: Any, tmp_path: Path,
                                                        options: dict[str, Any], params: dict[str, Any],
                                                        reason: str) -> None:
    said = REASON.findall(client.get("/", params=params).text)
    assert len(said) == 1 and reason in html_lib.unescape(said[0])
    page = build_report(store, tmp_path / "r.html", **options).read_text(encoding="utf-8")
    headline = _section(page, 'id="headline"', 'id="trend"')
    assert REASON.findall(headline) == said                       # the dashboard's sentence, where the figures would be
    trend = _section(page, 'id="trend"', "</table>")
    assert "<svg" not in trend                                    # no chart reading "no data for this selection"
    assert "no data for this selection" not in page
    assert _empty_rows(trend) == [html_lib.unescape(said[0])]     # the year-by-year table's row says it too


@pytest.mark.parametrize(("options", "params", "reason"), CASES[:1])
def test_an_empty_markdown_report_says_why(store: Path, client: Any, tmp_path: Path, options: dict[str, Any],
                                           params: dict[str, Any], reason: str) -> None:
    said = html_lib.unescape(REASON.findall(client.get("/", params=params).text)[0])
    out = build_report(store, tmp_path / "r.md", **options)
    md = out.read_text(encoding="utf-8")
    headline = md[md.index("## Headline"):md.index("## Year by year")]
    trend = md[md.index("## Year by year"):md.index("\n## ", md.index("## Year by year") + 1)]
    assert said in headline and said in trend
    assert "![" not in trend and not (tmp_path / "r_charts" / "trend.svg").exists()


def test_a_role_with_nobody_in_it_is_named(store: Path, client: Any, tmp_path: Path) -> None:
    """The report names a role asked for that has no one, as the dashboard does under its figures."""
    said = re.findall(r'<p class="note" id="absent-roles">([^<]*)</p>', client.get(
        "/", params={"roles": "director,editor"}).text)
    assert len(said) == 1 and "credited as editor" in said[0]
    page = build_report(store, tmp_path / "r.html", roles="director,editor").read_text(encoding="utf-8")
    headline = _section(page, 'id="headline"', 'id="trend"')
    assert headline.count('<div class="figure">') == 1
    assert re.findall(r'<p class="note" id="absent-roles">([^<]*)</p>', headline) == said
    md = build_report(store, tmp_path / "r.md", roles="director,editor").read_text(encoding="utf-8")
    assert html_lib.unescape(said[0]) in md


def test_a_store_without_years_says_there_is_no_line(no_years: Path, no_years_client: Any, tmp_path: Path) -> None:
    """No title has a year: the dashboard says so where its chart would be; the report drew an empty chart."""
    said = re.findall(r'<p class="note empty-reason" id="trend-chart-note">([^<]*)</p>', no_years_client.get("/").text)
    assert len(said) == 1 and "has a year" in said[0]
    page = build_report(no_years, tmp_path / "r.html").read_text(encoding="utf-8")
    trend = _section(page, 'id="trend"', "</table>")
    assert "<svg" not in trend and "(no year)" in trend
    assert re.findall(r'<p class="note empty-reason" id="trend-chart-note">([^<]*)</p>', trend) == said
    md = build_report(no_years, tmp_path / "r.md").read_text(encoding="utf-8")
    assert html_lib.unescape(said[0]) in md and not (tmp_path / "r_charts" / "trend.svg").exists()


def test_an_empty_season_list_says_why_as_the_cli_does(no_years: Path, tmp_path: Path) -> None:
    """A store with no series has empty best and worst lists: each says so in the CLI's words (series --rank),
    in the HTML and the Markdown report, instead of "no rows for this selection"."""
    from crewparity.metrics.empty import no_ranked_seasons

    for fmt in ("html", "md"):
        out = tmp_path / f"r.{fmt}"
        build_report(no_years, out)
        text = html_lib.unescape(" ".join(out.read_text(encoding="utf-8").split()))
        for rank in ("best", "worst"):
            reason = no_ranked_seasons(rank)
            assert reason[:1].upper() + reason[1:] + "." in text, (fmt, rank)
        assert "o rows for this selection" not in text, fmt
