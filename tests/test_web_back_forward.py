"""After a form is sent and the reader goes Back (or Forward), every filter form shows the selection its page's
figures are of, in a real chromium against a real server on 127.0.0.1.

What a review found: on the overview, a reader set From 2000 and Unit credits, clicked Show, then set To 2010 and
Kind "every kind" and clicked Show again; Back showed the figures of ``?from=2000&unit=credits`` (movies, from
2000 on) under a form that read To 2010 and "every kind": the browser refills a form with what was typed on it
before leaving, so the form named a selection the figures are not of. The same on the rankings and a series page.

The pages are also sent ``Cache-Control: no-store``, which has long kept a page out of browsers' back/forward
cache (a page kept whole there comes back with its typed values). Chromium 150 may keep such a page in its cache all
the same after a form was sent from it; a page without JavaScript cannot undo that (docs/dashboard.md says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_server
from tests.test_browser import _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("back-forward"))
    yield from dashboard_server(store)


@pytest.fixture()
def page(server: str) -> Iterator[object]:
    from tests._dashboard_store import chromium_tab

    with chromium_tab() as tab:
        yield tab


def _form(page: object) -> dict[str, str]:
    """The filter form's fields as the page shows them now."""
    return dict(page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('form.filters input, form.filters select')].map(e => [e.name, e.value])"))


def _sent(page: object, defaults: dict[str, str]) -> dict[str, str]:
    """What the page's address asks for, with the form's value for each field the address leaves out."""
    asked = dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))  # type: ignore[attr-defined]
    return {name: asked.get(name, default) for name, default in defaults.items()}


def _submit(page: object) -> None:
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("form.filters button[type=submit]")  # type: ignore[attr-defined]


def _back(page: object) -> None:
    page.go_back(wait_until="load")  # type: ignore[attr-defined]


def test_back_on_the_overview_shows_the_form_of_the_figures(server: str, page: object) -> None:
    page.goto(f"{server}/")  # type: ignore[attr-defined]
    first = _form(page)
    page.fill("input[name=from]", "2019")  # type: ignore[attr-defined]
    page.select_option("select[name=unit]", "credits")  # type: ignore[attr-defined]
    _submit(page)
    second = _form(page)
    assert second == _sent(page, first) and second["from"] == "2019"
    page.fill("input[name=to]", "2020")  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "all")  # type: ignore[attr-defined]
    _submit(page)   # typed on the second page, then sent from it
    _back(page)
    assert _form(page) == second, "Back: the form shows what was typed before leaving, not what the figures are of"
    _back(page)
    assert _form(page) == first
    page.go_forward(wait_until="load")  # type: ignore[attr-defined]
    assert _form(page) == second


def test_back_on_the_rankings_and_a_series_page_shows_their_forms(server: str, page: object) -> None:
    page.goto(f"{server}/rankings")  # type: ignore[attr-defined]
    first = _form(page)
    page.fill("input[name=limit]", "1")  # type: ignore[attr-defined]
    _submit(page)
    _back(page)
    assert _form(page) == first
    page.goto(f"{server}/series/{SERIES_ID}")  # type: ignore[attr-defined]
    first = _form(page)
    page.select_option("select[name=codirected]", "fractional")  # type: ignore[attr-defined]
    _submit(page)
    _back(page)
    assert _form(page) == first
    assert page.locator("#seasons th").nth(1).inner_text() == "directed by women"  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/", "/rankings", "/compare", "/series", f"/series/{SERIES_ID}", "/method",
                                  "/?from=abc"])
def test_pages_are_not_kept_for_back_and_forward(server: str, path: str) -> None:
    import urllib.error
    import urllib.request

    try:
        response = urllib.request.urlopen(f"{server}{path}")  # noqa: S310 - the test server on 127.0.0.1
    except urllib.error.HTTPError as exc:  # the 400 page, a page too
        response = exc
    assert response.headers["Cache-Control"] == "no-store"


def test_downloads_may_be_cached(server: str) -> None:
    import urllib.request

    response = urllib.request.urlopen(f"{server}/api/share?format=csv")  # noqa: S310
    assert response.headers["Cache-Control"] is None
