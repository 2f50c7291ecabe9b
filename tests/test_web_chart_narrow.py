"""On a phone-sized window a chart keeps readable text and scrolls sideways in its own box, in a real chromium.

What a review found: at 390 px the overview's trend chart (drawn 627 px wide) and the comparison's chart were
shrunk to the window (max-width: 100%), their 10-11 px axis labels and legend to ~6 px: not readable. A chart now
keeps at least 85% of the width it is drawn at; the page itself still never scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import build_store, chromium_tab, dashboard_server
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("chart-narrow"))
    yield from dashboard_server(store)


@pytest.mark.parametrize(("path", "box"), [("/", "#trend-chart"), ("/compare", "#compare-chart")])
def test_a_chart_keeps_its_text_readable_at_390_px(server: str, path: str, box: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
            tab.goto(f"{server}{path}")
            drawn, shown, box_scroll, box_width, page_scroll, page_width = tab.evaluate(
                f"(() => {{ const b = document.querySelector('{box}'); const s = b.querySelector('svg');"
                " return [parseFloat(s.getAttribute('width')), s.getBoundingClientRect().width, b.scrollWidth,"
                " b.clientWidth, document.documentElement.scrollWidth, document.documentElement.clientWidth]; })()")
        finally:
            browser.close()
    assert drawn > 390
    assert shown >= 0.85 * drawn - 1, f"the chart is shown at {shown / drawn:.0%} of its size: its text is too small"
    assert box_scroll > box_width  # it scrolls in its own box ...
    assert page_scroll <= page_width  # ... and the page does not


def test_a_chart_still_fits_a_wide_window(server: str) -> None:
    with chromium_tab() as tab:
        tab.goto(f"{server}/")
        scroll, width = tab.evaluate("(() => { const b = document.querySelector('#trend-chart');"
                                     " return [b.scrollWidth, b.clientWidth]; })()")
    assert scroll <= width
