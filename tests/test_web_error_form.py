"""A page's 400 shows its form again with the values the reader sent, so they correct the one bad field.

A review found that the 400 page showed the message and a link to the overview: the roles, years, sample and
unit just entered were gone and had to be typed again.
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

from tests._dashboard_store import SERIES_ID, build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-error-form"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


def _form(page: str) -> tuple[str, dict[str, str]]:
    """The page's filter form as a browser would submit it: its action and each field's value (a select's
    selected option)."""
    form = re.search(r'<form class="filters" method="get" action="([^"]*)"[^>]*>(.*?)</form>', page, flags=re.S)
    assert form is not None, page[:3000]
    fields = {name: html_lib.unescape(value)
              for name, value in re.findall(r'<input name="([^"]+)"[^>]*?value="([^"]*)"', form.group(2))}
    for name, options in re.findall(r'<select name="([^"]+)">(.*?)</select>', form.group(2), flags=re.S):
        chosen = re.findall(r'<option value="([^"]*)"\s*selected', options)
        assert len(chosen) == 1, (name, options)
        fields[name] = html_lib.unescape(chosen[0])
    return form.group(1), fields


def _bad(client: TestClient, path: str, params: dict[str, str]) -> tuple[str, dict[str, str], str]:
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text[:2000]
    message = html_lib.unescape(re.search(r'<p class="error" role="alert">([^<]*)</p>', r.text).group(1))  # type: ignore[union-attr]
    return (*_form(r.text), message)


def test_the_overview_s_400_keeps_every_value(client: TestClient) -> None:
    sent = {"roles": "director,writer", "kind": "tv_series", "from": "2020", "to": "1990", "sample": "top:10",
            "unit": "titles"}
    action, fields, message = _bad(client, "/", sent)
    assert "--from 2020 is after --to 1990" in message
    assert action == "/" and fields == sent
    # the reader corrects the one bad field and sends the form again: figures
    assert client.get(action, params={**fields, "to": "2021"}).status_code == 200


def test_an_unknown_value_stays_as_sent(client: TestClient) -> None:
    """A value that is not one of the choices (a typo in a role, a kind or a study) is shown as sent, not
    replaced by the first choice."""
    _, fields, message = _bad(client, "/", {"roles": "directr", "kind": "all", "unit": "credits"})
    assert "unknown role 'directr'" in message
    assert fields == {"roles": "directr", "kind": "all", "from": "", "to": "", "sample": "", "unit": "credits"}
    _, fields, message = _bad(client, "/compare", {"study": "nosuch", "from": "2010"})
    assert "unknown study 'nosuch'" in message
    assert fields == {"study": "nosuch", "from": "2010", "to": "", "season_year": "start"}


def test_the_comparison_s_400_keeps_the_study_years_and_season_year(client: TestClient) -> None:
    action, fields, message = _bad(client, "/compare", {"study": "usc", "from": "2030", "to": "2020",
                                                        "season_year": "end"})
    assert "--from 2030 is after --to 2020" in message
    assert action == "/compare"
    assert fields == {"study": "usc_annenberg", "from": "2030", "to": "2020", "season_year": "end"}  # the alias' study


def test_the_rankings_400_keeps_every_value(client: TestClient) -> None:
    action, fields, message = _bad(client, "/rankings", {"from": "2000", "min_episodes": "abc", "limit": "20",
                                                         "all_series": "true"})
    assert message.startswith("bad parameter: min_episodes")
    assert action == "/rankings"
    assert fields == {"from": "2000", "to": "", "min_episodes": "abc", "limit": "20", "all_series": "true"}
    assert client.get(action, params={**fields, "min_episodes": "3"}).status_code == 200


def test_a_series_page_s_400_offers_the_search_with_what_was_asked(client: TestClient) -> None:
    action, fields, message = _bad(client, "/series/tt0999999", {})
    assert "no title with id 'tt0999999'" in message
    assert (action, fields) == ("/series", {"query": "tt0999999"})
    _, fields, _ = _bad(client, f"/series/{SERIES_ID}", {"include_pilots": "maybe"})
    assert fields == {"query": SERIES_ID}


def test_a_page_without_a_form_and_the_api_are_as_before(client: TestClient) -> None:
    r = client.get("/api/share", params={"from": "2020", "to": "1990"})
    assert r.status_code == 400 and "from 2020 is after" in r.json()["error"]
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and '<form class="filters"' not in missing.text
