"""A dashboard page whose query matches nothing says why, in the CLI's words, where the figures would be.

A review found that an empty selection (years outside the store's, a role nobody holds, a store whose titles
have no year) showed an empty table, an empty chart and nothing else, where the CLI's note says what the store
lacks. Each page here is checked against the note the CLI prints for the same question.
"""

from __future__ import annotations

import html as html_lib
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests._dashboard_store import build_store, dashboard_client
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: a production's crew list with no year: a film, and a series with credits but no episode
CREW_LIST = """title,kind,name,role,gender
Our Film,movie,Ann Archer,director,woman
Our Film,movie,Bob Baker,writer,man
Our Film,movie,Cara Cole,editor,woman
Our Show,tv_series,Dee Dunn,creator,woman
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-empty"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


@pytest.fixture(scope="module")
def no_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity import api

    tmp = tmp_path_factory.mktemp("web-no-years")
    (tmp / "crew.csv").write_text(CREW_LIST, encoding="utf-8")
    db = tmp / "crew.duckdb"
    api.ingest_crewlist(tmp / "crew.csv", db)
    return db


@pytest.fixture(scope="module")
def no_years_client(no_years: Path) -> Iterator[TestClient]:
    yield from dashboard_client(no_years)


def _note(*args: str) -> str:
    """The CLI's one-line note for ``args``, as a page says it: a sentence."""
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    notes = [line.removeprefix("crewparity: note: ") for line in result.stderr.splitlines()]
    assert len(notes) == 1, result.stderr
    return notes[0][:1].upper() + notes[0][1:] + "."


def _text(page: str) -> str:
    return html_lib.unescape(page)


def _empty_row(page: str, table: int = 0) -> str:
    """The text of a table's single "nothing here" row."""
    rows = re.findall(r'<tr><td colspan="\d+" class="note">([^<]*)</td></tr>', page)
    return html_lib.unescape(rows[table])


@pytest.mark.parametrize(("params", "args", "reason"), [
    ({"from": 1900, "to": 1910}, ["--from", "1900", "--to", "1910"], "the store's titles are from 2018 to 2020"),
    ({"roles": "casting_director"}, ["--roles", "casting_director"], "the store has no credits as casting_director"),
    ({"kind": "tv_mini_series"}, ["--kind", "tv_mini_series"], "the store has no titles of kind tv_mini_series"),
])
def test_an_empty_overview_says_why_as_the_cli_does(client: TestClient, store: Path, params: dict[str, object],
                                                    args: list[str], reason: str) -> None:
    kind = [] if "kind" in params else ["--kind", "movie"]  # the overview's default kind
    said = _note("share", "--by", "year,role", *kind, *args, "--db", str(store))
    assert reason in said
    r = client.get("/", params=params)
    assert r.status_code == 200
    headline = r.text[r.text.index('<div class="headline">'):]
    assert re.search(r'<p class="note empty-reason" role="status">([^<]*)</p>', headline)
    assert _text(re.findall(r'<p class="note empty-reason" role="status">([^<]*)</p>', headline)[0]) == said
    assert _empty_row(r.text) == said                  # the year-by-year table's row
    assert 'id="trend-chart"' not in r.text            # no empty chart ("no data for this selection")
    assert 'id="trend-legend"' not in r.text           # nor the legend of a chart that is not there


def test_a_role_asked_for_with_nobody_in_it_is_named(client: TestClient, store: Path) -> None:
    """The figures of the roles that have people, and one line naming the role that has none (the CLI's note
    under share --by role), not a missing figure to guess about."""
    said = _note("share", "--by", "role", "--roles", "director,editor", "--kind", "movie", "--db", str(store))
    assert "credited as editor" in said
    page = client.get("/", params={"roles": "director,editor"}).text
    assert page.count('<div class="figure">') == 1
    assert _text(re.search(r'<p class="note" id="absent-roles">([^<]*)</p>', page).group(1)) == said  # type: ignore[union-attr]
    assert 'id="absent-roles"' not in client.get("/", params={"roles": "director,writer"}).text


def test_an_empty_comparison_names_the_study_s_years(client: TestClient, store: Path) -> None:
    said = _note("compare", "celluloid_ceiling", "--from", "1900", "--to", "1910", "--db", str(store))
    assert "theirs are from 1998 to 2024" in said
    page = client.get("/compare", params={"study": "celluloid_ceiling", "from": 1900, "to": 1910}).text
    assert _empty_row(page) == said
    assert 'id="compare-chart"' not in page


def test_empty_rankings_say_why(client: TestClient, store: Path) -> None:
    page = client.get("/rankings", params={"min_episodes": 100}).text
    for i, rank in enumerate(("best", "worst")):
        result = run_cli("series", "--rank", rank, "--min-episodes", "100", "--db", str(store))
        assert result.returncode == 0, result.stderr
        note = result.stderr.splitlines()[0].removeprefix("crewparity: note: ")
        assert _empty_row(page, i) == note[:1].upper() + note[1:] + "."


def test_a_store_without_years(no_years_client: TestClient, no_years: Path) -> None:
    """A crew list without years: the overview's table has its "(no year)" rows, and the chart, which has no
    line to draw, says so; asking for years says the store's titles have none, as the CLI does."""
    page = no_years_client.get("/").text
    assert "(no year)" in page and 'id="trend-chart"' not in page
    note = _text(re.search(r'id="trend-chart-note">([^<]*)</p>', page).group(1))  # type: ignore[union-attr]
    assert note.startswith("No title in this selection has a year in the store, so there is no line to draw")
    said = _note("share", "--by", "year,role", "--kind", "movie", "--from", "2000", "--db", str(no_years))
    assert "no title in the store has a year, which --from and --to select by" in said
    assert _empty_row(no_years_client.get("/", params={"from": 2000}).text) == said


def test_a_series_without_episodes_says_why(no_years_client: TestClient, no_years: Path) -> None:
    found = no_years_client.get("/series", params={"query": "Our Show"}).text
    series_id = html_lib.unescape(re.search(r'href="/series/([^"]+)">Our Show</a>', found).group(1))  # type: ignore[union-attr]
    from urllib.parse import unquote

    series_id = unquote(series_id)
    page = no_years_client.get(f"/series/{series_id}").text
    assert "<h1>Our Show</h1>" in page                 # its name, not only its id
    assert 'id="seasons-chart"' not in page
    said = _note("series", series_id, "--db", str(no_years))
    row = _empty_row(page)
    assert row == said.replace("--include-pilots keeps them", 'the field "Pilots and specials" keeps them')
    assert row.startswith("The store holds no episodes for")
