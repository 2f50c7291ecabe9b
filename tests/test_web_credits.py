"""The dashboard's credits page, ``/credits/{title_id}``, and its download, ``/api/credits/{title_id}``: a title's crew
person by person, as ``crewparity credits TITLE`` lists it, on the demo store.

Why: the dashboard showed a title's counts ("13 of 13 episodes") but not who they count; the CLI's ``credits`` did,
and a reader of the series page had no way to check a figure name by name without a terminal.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import shlex
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests._dashboard_store import dashboard_client
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

JESSICA_JONES = "tt2357547"
MATRIX = "tt0133093"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crewparity.demo import build_demo

    db = tmp_path_factory.mktemp("web-credits") / "demo.duckdb"
    build_demo(db, report=None)
    return db


@pytest.fixture(scope="module")
def client(demo: Path) -> Iterator[TestClient]:
    yield from dashboard_client(demo)


def _table_rows(page: str) -> list[str]:
    body = page[page.index('<table class="data" id="credits">'):]
    body = body[:body.index("</table>")]
    return re.findall(r"<tr data-role=.*?</tr>", body, flags=re.S)


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _command(page: str) -> str:
    found = re.findall(r"from the command line: <code>([^<]*)</code>", page)
    assert len(found) == 1, found
    return html_lib.unescape(found[0])


def test_jessica_jones_season_2_lists_its_13_women_directors(client: TestClient) -> None:
    res = client.get(f"/credits/{JESSICA_JONES}", params={"season": "2", "roles": "director"})
    assert res.status_code == 200
    page = res.text
    assert "<h1>Credits of Marvel&#39;s Jessica Jones, season 2</h1>" in page
    rows = [_text(r) for r in _table_rows(page)]
    assert len(rows) == 13
    assert all(r.startswith("director ") and " woman recorded " in r for r in rows), rows
    assert any("Uta Briesewitz" in r for r in rows)
    assert '<th scope="col">role</th>' in page and "<caption" in page  # headers and a caption, as every table
    summary = _text(page[page.index('id="credits-summary"'):].split("</p>")[0])
    assert "director: women 13, men 0, nonbinary 0, unknown 0" in summary
    assert _command(page).startswith(f"crewparity credits {JESSICA_JONES} --season 2 --roles director --db ")
    # the series navigation link is the current page's: the credits of a series are under Series
    assert re.search(r'<a href="/series" class="current" aria-current="page">Series</a>', page)


def test_an_inferred_gender_says_inferred_and_its_probability(client: TestClient) -> None:
    page = client.get(f"/credits/{MATRIX}", params={"roles": "director"}).text
    rows = [_text(r) for r in _table_rows(page)]
    assert [r.split(" (")[0].split(" nm")[0] for r in rows] == ["director Lana Wachowski", "director Lilly Wachowski"]
    assert all(re.search(r"\(inferred, p\(woman\) = 0\.\d\d\) inferred name_model", r) for r in rows), rows
    assert '<input name="season"' not in page  # a film has no season to pick
    assert "<th scope=\"col\">episodes</th>" not in page


@pytest.mark.parametrize("params", [{"season": "2", "roles": "director"}, {"roles": "all"}, {}])
def test_the_api_json_and_the_page_command_give_what_the_cli_prints(client: TestClient, demo: Path,
                                                                     params: dict[str, str]) -> None:
    page = client.get(f"/credits/{JESSICA_JONES}", params=params).text
    args = shlex.split(_command(page))[1:]
    assert args[-1] == str(demo)
    cli = run_cli(*args, "--format", "json")
    assert cli.returncode == 0, cli.stderr
    api = client.get(f"/api/credits/{JESSICA_JONES}", params={**params, "format": "json"})
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    assert api.content == cli.stdout.encode() or api.json() == json.loads(cli.stdout)
    assert len(api.json()) == len(_table_rows(page))
    # the page's JSON link is that route with the page's parameters
    links = [html_lib.unescape(h) for h in re.findall(r'<a href="([^"]*)">JSON</a>', page)]
    assert links and client.get(links[0]).json() == api.json()


def test_the_csv_download_is_the_clis_csv(client: TestClient, demo: Path) -> None:
    page = client.get(f"/credits/{JESSICA_JONES}", params={"season": "2", "roles": "director"}).text
    link = html_lib.unescape(re.findall(r'<a href="([^"]*)" download>CSV</a>', page)[0])
    assert urlsplit(link).path == f"/api/credits/{JESSICA_JONES}"
    res = client.get(link)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert res.headers["content-disposition"] == f'attachment; filename="credits-{JESSICA_JONES}-season-2.csv"'
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == 13 and {r["gender"] for r in rows} == {"woman"}
    cli = run_cli("credits", JESSICA_JONES, "--season", "2", "--roles", "director", "--format", "csv",
                  "--db", str(demo))
    assert cli.returncode == 0, cli.stderr
    assert list(csv.DictReader(io.StringIO(cli.stdout))) == rows


def test_an_empty_table_says_why_on_the_page_and_in_a_note_header(client: TestClient) -> None:
    page = client.get(f"/credits/{MATRIX}", params={"roles": "composer"}).text
    assert "The Matrix (1999, movie, tt0133093) has no credit in the store in the roles composer." in _text(page)
    api = client.get(f"/api/credits/{MATRIX}", params={"roles": "composer"})
    assert api.status_code == 200 and api.json() == []
    assert api.headers.get_list("crewparity-note") == [
        "The Matrix (1999, movie, tt0133093) has no credit in the store in the roles composer"]
    assert "crewparity-note" not in client.get(f"/api/credits/{MATRIX}").headers


def test_the_series_page_links_to_every_credit_and_each_season(client: TestClient) -> None:
    page = client.get(f"/series/{JESSICA_JONES}").text
    links = page[page.index('id="credits-links"'):].split("</p>")[0]
    assert re.findall(r'<a href="([^"]*)">([^<]*)</a>', links) == [
        (f"/credits/{JESSICA_JONES}", "every credit of this series"),
        (f"/credits/{JESSICA_JONES}?season=1", "season 1"), (f"/credits/{JESSICA_JONES}?season=2", "season 2")]
    for href, _ in re.findall(r'<a href="([^"]*)">([^<]*)</a>', links):
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(("params", "words"), [
    ({"season": "9"}, "Marvel's Jessica Jones (tt2357547) has no season 9; seasons: 1, 2"),
    ({"season": "two"}, "bad parameter: season: a whole number, not 'two'"),
    ({"roles": "dierctor"}, "dierctor"),
])
def test_a_bad_season_or_role_is_the_400_page_with_what_is_allowed(client: TestClient, params: dict[str, str],
                                                                    words: str) -> None:
    res = client.get(f"/credits/{JESSICA_JONES}", params=params)
    assert res.status_code == 400
    error = _text(re.findall(r'<p class="error" role="alert">(.*?)</p>', res.text, flags=re.S)[0])
    assert words in error
    if "roles" in params:
        assert "allowed:" in error and "director" in error.split("allowed:")[1]
        assert error.endswith("or all (every crew role)")
    # the form again, with the values as they were sent
    assert f'action="/credits/{JESSICA_JONES}"' in res.text
    for name, value in params.items():
        assert f'name="{name}" value="{value}"' in res.text
    api = client.get(f"/api/credits/{JESSICA_JONES}", params=params)
    assert api.status_code == 400 and words in api.json()["error"]


def test_a_season_of_a_film_is_refused(client: TestClient) -> None:
    res = client.get(f"/credits/{MATRIX}", params={"season": "1"})
    assert res.status_code == 400 and "has no episodes" in html_lib.unescape(res.text)


@pytest.mark.parametrize("title", ["tt9999999", "no such title at all"])
def test_an_unknown_title_is_the_404_page(client: TestClient, title: str) -> None:
    res = client.get(f"/credits/{title}")
    assert res.status_code == 404
    assert "<h1>This page does not exist</h1>" in res.text and 'id="pages"' in res.text
    assert title in html_lib.unescape(res.text)
    api = client.get(f"/api/credits/{title}")
    assert api.status_code == 404 and title in api.json()["error"]


@pytest.mark.browser
def test_in_a_browser_the_series_page_leads_to_the_credits_table(demo: Path) -> None:
    """One page load and one click: the link from the series page opens the credits table in chromium."""
    from tests._dashboard_store import chromium_tab, dashboard_server
    from tests.test_browser import _need_browser

    _need_browser()
    servers = dashboard_server(demo)
    server = next(servers)
    try:
        with chromium_tab() as tab:
            tab.goto(f"{server}/series/{JESSICA_JONES}")
            tab.get_by_role("link", name="season 2", exact=True).click()
            tab.wait_for_url(f"**/credits/{JESSICA_JONES}?season=2")
            assert tab.locator("h1").inner_text() == "Credits of Marvel's Jessica Jones, season 2"
            table = tab.get_by_role("table", name=re.compile("season 2: one row per person and role"))
            directors = table.locator('tr[data-role="director"]')
            assert directors.count() == 13
            assert all("woman" in t for t in directors.locator("td:nth-child(3)").all_inner_texts())
    finally:
        servers.close()
