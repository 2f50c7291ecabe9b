"""The comparison's words for a sample short of the study's N: none is "no", one is singular, and a clause said
once above the table names the years it holds for.

A review found "this year the store has only 0 movie titles with IMDb votes" said once above a 17-year table on
the dashboard: zero is not "only", and a clause of one row's year, said once for every row, must name the years.

The dashboard's test store has one movie with IMDb votes in each of 2018, 2019 and 2020 and none before.
"""

from __future__ import annotations

import html as html_lib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests._dashboard_store import build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("compare-wording"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


def _said_once(page: str) -> str:
    """The list above the comparison table of what its rows share."""
    text = html_lib.unescape(page)
    block = text[text.index('id="every-row"'):]
    return block[:block.index("</dl>")]


def test_each_row_says_none_or_one_title_in_words(client: TestClient) -> None:
    rows = client.get("/api/compare", params={"study": "celluloid_ceiling"}).json()
    by_titles = {r["titles"]: r["caveat"] for r in rows}
    assert set(by_titles) == {0, 1}
    assert "this year the store has no movie title with IMDb votes (their sample: 250 titles a year)" in by_titles[0]
    assert "this year the store has only 1 movie title with IMDb votes, fewer than their 250" in by_titles[1]
    assert not any("only 0" in r["caveat"] or "1 movie titles" in r["caveat"] for r in rows)


def test_a_clause_every_row_shares_names_the_years_above_the_table(client: TestClient) -> None:
    """Before 2018 no year has a movie with votes: every row's caveat has the same "this year" clause, said once
    above the table, which must name the years (1998-2017: 9 of the study's years), not "this year"."""
    rows = client.get("/api/compare", params={"study": "celluloid_ceiling", "to": 2017}).json()
    years = sorted({r["year"] for r in rows})
    assert years == [1998, 2001, 2005, 2006, 2011, 2012, 2014, 2015, 2016, 2017]
    page = client.get("/compare", params={"study": "celluloid_ceiling", "to": 2017}).text
    above = _said_once(page)
    assert ("in each of the 10 years 1998, 2001, 2005\u20132006, 2011\u20132012, 2014\u20132017, the store has no "
            "movie title with IMDb votes (their sample: 250 titles a year)") in above
    assert "this year" not in above and "only 0" not in html_lib.unescape(page)


def test_a_clause_of_some_rows_stays_in_their_rows(client: TestClient) -> None:
    """2017 has no movie with votes and 2018 one: the clauses differ, so each stays in its row, of "this year"."""
    page = html_lib.unescape(client.get("/compare", params={"study": "celluloid_ceiling", "from": 2017,
                                                           "to": 2018}).text)
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert "this year the store has no movie title with IMDb votes" in body
    assert "this year the store has only 1 movie title with IMDb votes" in body
    assert "this year" not in _said_once(page)


def test_for_years_words() -> None:
    from crewparity.metrics.compare import for_years, year_ranges

    assert year_ranges([2014, 1998, 2015, 2016, 2001]) == "1998, 2001, 2014\u20132016"
    clause = "this year the store has only 1 movie title with IMDb votes, fewer than their 250"
    assert for_years(clause, [2019, 2019, None]) == "in 2019 the store has only 1 movie title with IMDb votes, " \
                                                    "fewer than their 250"
    assert for_years(clause, [2018, 2019]).startswith("in each of the 2 years 2018\u20132019, the store has only 1")
    assert for_years("samples differ", [2018, 2019]) == "samples differ"
