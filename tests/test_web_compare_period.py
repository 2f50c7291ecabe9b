"""A TV season in the comparison's table reads as one: "2019-20" stays on one line, in a real chromium.

What a review found: on /compare?study=dga (and boxed_in) the period column broke "2010-11" after its hyphen, so a
row read "2010-" over "11" beside figures of one season.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import build_store, dashboard_server
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("compare-period"))
    yield from dashboard_server(store)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_tv_season_stays_on_one_line(server: str, width: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            tab.goto(f"{server}/compare?study=dga")
            cells = tab.evaluate(
                "(() => { const t = document.querySelector('table.data');"
                " const i = [...t.querySelectorAll('thead th')].findIndex(h => h.textContent === 'period');"
                " return [...t.querySelectorAll('tbody tr')].map(r => { const range = document.createRange();"
                " range.selectNodeContents(r.children[i]); return [r.children[i].textContent,"
                " range.getClientRects().length]; }); })()")
        finally:
            browser.close()
    seasons = [(text, lines) for text, lines in cells if "-" in text]
    assert seasons, cells
    assert all(lines == 1 for _, lines in seasons), f"TV seasons broken over lines at {width} px: {seasons}"
