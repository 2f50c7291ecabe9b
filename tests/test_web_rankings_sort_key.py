"""The best list's order can be read without scrolling: the column it is sorted by is in view, in a real chromium.

What a review found: at 1280 px on a synthetic store the best list's table ran past the page (it scrolls in its own
box) and its last columns, share_if_unknown_men (the sort key) and inferred, were out of view; the visible
share_known read 83%, 80%, 67%, 67%, 100%, 100%, ..., an order a reader takes for a broken sort. The sort key stands
beside the season now, and the long column names may break at their underscores.
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
    store: Path = build_store(tmp_path_factory.mktemp("rank-sort"))
    yield from dashboard_server(store)


def _in_view(server: str, width: int) -> dict[str, list[float]]:
    """Per column of the first list: [its header's right edge, the table box's visible right edge]."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            tab.goto(f"{server}/rankings?min_episodes=1")
            return dict(tab.evaluate(
                "(() => { const t = document.querySelector('table.data'); const edge = t.getBoundingClientRect().left"
                " + t.clientWidth; return [...t.querySelectorAll('thead th')].map(h => [h.textContent,"
                " [h.getBoundingClientRect().right, edge]]); })()"))
        finally:
            browser.close()


@pytest.mark.parametrize("width", [1024, 700])
def test_the_best_list_s_sort_key_is_in_view(server: str, width: int) -> None:
    columns = _in_view(server, width)
    right, edge = columns["share_if_unknown_men"]
    assert right <= edge + 1, f"share_if_unknown_men out of view at {width} px: {columns}"
    order = list(columns)
    assert order.index("share_if_unknown_men") < order.index("total")  # the figures a list is read by come first
    assert order[-1] == "inferred"
