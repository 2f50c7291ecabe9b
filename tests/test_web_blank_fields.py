"""An empty query parameter means "not set" (the parameter's default), on every page and every API endpoint.

The pages have no JavaScript, so a form sends every field, a blank one included: a review found that changing
the overview's Unit and clicking Show answered 400 ("from: Input should be a valid integer ... to: ...", and
"--roles is empty" once From and To were filled), and the rankings form likewise. A non-empty bad value still
answers 400 with its message.
"""

from __future__ import annotations

import html as html_lib
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crewparity.web.app import drop_blank_params
from tests._dashboard_store import SERIES_ID, build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: every page with a form, and what its answer shows when it has figures
PAGES = {
    "/": 'class="figure"',
    "/rankings": "&lt;b&gt;Loud&lt;/b&gt; Show",  # the worst list (six episodes, all by Ben)
    "/compare": '<div class="chart" id="compare-chart"><svg',
    f"/series/{SERIES_ID}": '<div class="chart" id="seasons-chart"><svg',
    "/series": 'name="query"',
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-blank"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


def _form(page: str) -> tuple[str, dict[str, str]]:
    """A page's filter form as a browser submits it: its action and every field's current value (a select's
    selected option, or its first)."""
    form = re.search(r'<form class="filters" method="get" action="([^"]*)"[^>]*>(.*?)</form>', page, flags=re.S)
    assert form is not None
    fields: dict[str, str] = {}
    for name, value in re.findall(r'<input name="([^"]+)"[^>]*?value="([^"]*)"', form.group(2)):
        fields[name] = html_lib.unescape(value)
    for name, options in re.findall(r'<select name="([^"]+)">(.*?)</select>', form.group(2), flags=re.S):
        values = re.findall(r'<option value="([^"]*)"\s*(selected)?', options)
        chosen = [v for v, selected in values if selected] or [values[0][0]]
        fields[name] = html_lib.unescape(chosen[0])
    return html_lib.unescape(form.group(1)), fields


@pytest.mark.parametrize("path", list(PAGES))
def test_every_form_submitted_with_its_text_fields_blank_shows_figures(client: TestClient, path: str) -> None:
    action, fields = _form(client.get(path).text)
    selects = set(re.findall(r'<select name="([^"]+)"', client.get(path).text))
    blank = {k: ("" if k not in selects else v) for k, v in fields.items()}
    r = client.get(f"{action}?{urlencode(blank)}")
    assert r.status_code == 200, (path, blank, r.text[:400])
    assert PAGES[path] in r.text, path


@pytest.mark.parametrize(("url", "shows"), [
    # the reviewer's requests, as the browser sent them
    ("/?roles=&kind=movie&from=&to=&sample=&unit=titles", "titles with a woman in the role"),
    ("/?roles=&kind=movie&from=2018&to=2020&sample=&unit=people", "director: 1 woman,"),
    ("/rankings?from=&to=&min_episodes=6&limit=50", "&lt;b&gt;Loud&lt;/b&gt; Show"),
    ("/rankings?from=&to=&min_episodes=&limit=", "&lt;b&gt;Loud&lt;/b&gt; Show"),
    ("/compare?study=&from=&to=&season_year=", '<div class="chart" id="compare-chart"><svg'),
    (f"/series/{SERIES_ID}?codirected=&include_pilots=", "3 of 3 episodes"),
])
def test_a_blank_field_is_its_default(client: TestClient, url: str, shows: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:400]
    assert shows in r.text


def test_a_blank_field_gives_the_same_page_as_no_field(client: TestClient) -> None:
    for blank, none in [("/?roles=&from=&to=&sample=&unit=", "/"),
                        ("/rankings?from=&to=&min_episodes=&limit=", "/rankings")]:
        assert client.get(blank).text == client.get(none).text, blank


@pytest.mark.parametrize(("blank", "same_as"), [
    ("/api/share?roles=&by=&kind=&from=&to=&sample=&unit=&format=", "/api/share"),
    ("/api/series?query=Harbour&season=&codirected=&episodes=&rank=&from=&to=&min_episodes=&limit=&undecided="
     "&include_pilots=&format=", "/api/series?query=Harbour"),
    ("/api/series?rank=best&query=&season=&from=&to=&min_episodes=&limit=&undecided=&format=",
     "/api/series?rank=best"),
    ("/api/distribution?roles=&kind=&from=&to=&sample=&by=&part=&format=", "/api/distribution"),
    ("/api/compare?study=dga&from=&to=&season_year=&format=", "/api/compare?study=dga"),
    ("/api/sources?format=", "/api/sources"),
    ("/api/evidence?format=", "/api/evidence"),
])
def test_the_api_takes_a_blank_parameter_as_not_given(client: TestClient, blank: str, same_as: str) -> None:
    got, want = client.get(blank), client.get(same_as)
    assert got.status_code == 200 == want.status_code, got.text[:400]
    assert got.content == want.content


@pytest.mark.parametrize(("url", "message"), [
    ("/?from=abc&to=", "from: a whole number, not 'abc'"),
    ("/?from=1800", "from: at least 1870, not 1800"),
    ("/api/share?to=3000", "to: at most 2100, not 3000"),
    ("/?roles=grip&from=&to=", "unknown role 'grip'"),
    ("/?roles=,&from=", "--roles is empty"),
    ("/rankings?from=&to=&min_episodes=0&limit=", "min_episodes"),
    ("/compare?study=oscars&from=", "unknown study"),
    ("/compare?from=x", "from: a whole number, not 'x'"),
    ("/api/share?from=abc&to=", "from: a whole number, not 'abc'"),
    ("/api/share?roles=grip&by=", "unknown role 'grip'"),
    ("/api/compare?study=&from=", "study"),
])
def test_a_bad_value_that_is_not_blank_still_answers_400(client: TestClient, url: str, message: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text[:400]
    text = r.json()["error"] if url.startswith("/api/") else html_lib.unescape(r.text)
    assert message in text


def test_every_kind_is_kind_all_and_a_blank_kind_is_the_default(client: TestClient) -> None:
    page = client.get("/").text
    menu = page[page.index('<select name="kind">'):]
    assert '<option value="all" >every kind</option>' in menu and '<option value=""' not in menu[:menu.index("</select>")]
    every = client.get("/?kind=all")
    assert every.status_code == 200 and "Titles: every kind of title" in every.text
    assert '<option value="all" selected>every kind</option>' in every.text
    assert "Titles: movie" in client.get("/?kind=").text          # the default, as every blank field


def test_drop_blank_params_keeps_every_other_parameter_as_it_came() -> None:
    assert drop_blank_params(b"roles=&kind=movie&from=&to=&sample=&unit=titles") == b"kind=movie&unit=titles"
    assert drop_blank_params(b"query=%20&q=a%2Cb&x=+&flag&y=%3D") == b"q=a%2Cb&y=%3D"
    assert drop_blank_params(b"") == b""
