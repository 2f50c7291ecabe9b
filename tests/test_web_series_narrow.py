"""A series page's seasons table reads on a phone-sized window, in a real chromium.

What a review found: at 390 px (and at 800) the seasons table, which scrolls sideways in its own box, squeezed its
"women's share" column ("1 of 4 episodes with a director credit (25.0%); 1 more episode without one, not counted") to
about 90 px, one word a line: every season's row was ~250 px tall, a screen for three seasons.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_server
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("series-narrow"))
    yield from dashboard_server(store)


@pytest.mark.parametrize("width", [390, 800])
def test_a_season_s_row_is_a_few_lines_tall(server: str, width: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            tab.goto(f"{server}/series/{SERIES_ID}")
            rows, line, page_width = tab.evaluate(
                "(() => { const t = document.querySelector('#seasons');"
                " const rows = [...t.querySelectorAll('tbody tr')].map(r => [r.querySelector('.summary').textContent,"
                " r.getBoundingClientRect().height]);"
                " return [rows, parseFloat(getComputedStyle(t.querySelector('td')).lineHeight),"
                " document.documentElement.scrollWidth]; })()")
        finally:
            browser.close()
    assert len(rows) == 2 and "of 4 episodes" in rows[0][0]
    tall = [(text, height) for text, height in rows if height > 4 * line]
    assert not tall, f"seasons rows taller than four lines ({line} px a line) at {width} px: {tall}"
    assert page_width <= width  # the table scrolls in its own box; the page itself does not
