"""Accessibility basics of the dashboard, in a real chromium against a real server on 127.0.0.1: what a screen
reader or a keyboard user gets.

What a review found:

* the overview's trend chart and the comparison's chart were ``<svg role="img">`` with no name: role="img" hides the
  SVG's own text, so a screen reader said "image" and nothing more (the series page's chart, drawn by hand, had its
  <title>);
* the navigation marked the page one is on in bold only, with nothing a screen reader says (aria-current);
* a keyboard user tabbed through the seven links of the navigation on every page before reaching the form or
  the figures: there was no link to skip them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_server
from tests.test_browser import _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

#: each page, the navigation link that names it, and a word its chart's name holds ("" = no chart)
PAGES = {
    "/": ("Overview", "Women's share"),
    "/compare": ("Comparison", "Celluloid Ceiling"),
    f"/series/{SERIES_ID}": ("Series", "Harbour Nights"),
    "/rankings": ("Best & worst seasons", ""),
    "/method": ("Method", ""),
    f"/credits/{SERIES_ID}": ("Series", ""),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("a11y"))
    yield from dashboard_server(store)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from tests._dashboard_store import chromium_tab

    with chromium_tab() as tab:
        yield tab


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_has_a_name(server: str, page: object, path: str) -> None:
    page.goto(f"{server}{path}")  # type: ignore[attr-defined]
    names = page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('main svg')].filter(s => !s.parentElement.closest('svg')).map(s =>"
        " [s.getAttribute('role'), s.getAttribute('aria-label') || (s.querySelector(':scope > title') || {}).textContent"
        " || ''])")
    word = PAGES[path][1]
    if not word:
        assert names == []
        return
    assert names, f"no chart on {path}"
    assert all(role == "img" and name.strip() for role, name in names), names
    assert any(word in name for _, name in names), names
    assert page.get_by_role("img", name=word).count() >= 1  # type: ignore[attr-defined]  # as the browser exposes it


@pytest.mark.parametrize("path", list(PAGES))
def test_the_navigation_says_which_page_this_is(server: str, page: object, path: str) -> None:
    page.goto(f"{server}{path}")  # type: ignore[attr-defined]
    current = page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('header nav a[aria-current=page]')].map(a => a.textContent)")
    assert current == [PAGES[path][0]]


@pytest.mark.parametrize("path", ["/", "/rankings", "/compare", "/method"])
def test_the_first_tab_skips_to_the_page(server: str, page: object, path: str) -> None:
    page.goto(f"{server}{path}")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    first = page.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")  # type: ignore[attr-defined]
    assert first == ["Skip to the content", "#content"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().width") > 0  # type: ignore[attr-defined]  # seen when focused
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    after = page.evaluate("document.activeElement.closest('main') !== null")  # type: ignore[attr-defined]
    assert after, "after the skip link, Tab goes on into the page, past the navigation"


@pytest.mark.parametrize("path", ["/", "/rankings", "/compare", "/series", f"/series/{SERIES_ID}", f"/credits/{SERIES_ID}",
                                  "/?from=abc"])
def test_every_field_has_a_label(server: str, page: object, path: str) -> None:
    page.goto(f"{server}{path}")  # type: ignore[attr-defined]
    fields = page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('main input, main select')].map(e => [e.name, e.labels.length])")
    assert fields and all(n == 1 for _, n in fields), fields
