"""An address with no page says the page does not exist and links to the pages there are; a bad parameter's 400
keeps its words ("Change the parameters below and try again", with the form).

What a review found: /no-such-page answered "That did not work · Not Found · Change the parameters and try again":
there is no parameter to change at an unknown address.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAGES = {"/": "Overview", "/series": "Series", "/rankings": "Best & worst seasons", "/compare": "Comparison",
         "/method": "Method"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("not-found"))
    yield from dashboard_client(db)


@pytest.mark.parametrize("address", ["/no-such-page", "/overview", "/series/tt0300001/seasons", "/static/nope.css"])
def test_an_unknown_address_says_so_and_links_to_the_pages(client: Any, address: str) -> None:
    r = client.get(address)
    assert r.status_code == 404
    page = r.text
    assert "<h1>This page does not exist</h1>" in page
    assert f"There is no page at {address}." in html.unescape(page)
    assert "parameters" not in page.lower()
    listed = page[page.index('id="pages"'):]
    listed = listed[:listed.index("</ul>")]
    links = {href: html.unescape(text) for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', listed)}
    assert links == PAGES
    for href in links:
        assert client.get(href).status_code == 200, href


def test_the_address_is_escaped(client: Any) -> None:
    page = client.get("/<script>x()</script>").text
    assert "<script>x()" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page


def test_a_bad_parameter_keeps_its_words(client: Any) -> None:
    r = client.get("/", params={"from": "abc"})
    assert r.status_code == 400
    assert "<h1>That did not work</h1>" in r.text and "Change the parameters below and try again." in r.text
    assert 'id="pages"' not in r.text


def test_the_api_answers_json(client: Any) -> None:
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"error": "Not Found"}
