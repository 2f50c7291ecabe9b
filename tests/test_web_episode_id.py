"""An episode's IMDb id, searched or opened as a series, leads to its series with one click, in a real chromium.

What a review found: a production checking its own episode pasted the episode's id into the series search (or
opened /series/<episode id>); the page said "... is an episode of Harbour Nights (tt0300001), not a series; give the
series: crewparity series tt0300001", a command line for a terminal, and no link to the series' page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._dashboard_store import SERIES_ID, SERIES_NAME, build_store, chromium_tab, dashboard_server
from tests.test_browser import _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

EPISODE_ID = "tt0301012"  # Harbour Nights, season 1 episode 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("episode-id"))
    yield from dashboard_server(store)


@pytest.mark.parametrize(("path", "status"), [(f"/series?query={EPISODE_ID}", 200), (f"/series/{EPISODE_ID}", 400)])
def test_an_episode_id_links_to_its_series(server: str, path: str, status: int) -> None:
    with chromium_tab() as tab:
        response = tab.goto(f"{server}{path}")
        assert response is not None and response.status == status
        assert f"is an episode of {SERIES_NAME} ({SERIES_ID}), not a series" in tab.locator(".error").inner_text()
        link = tab.get_by_role("link", name=f"Open {SERIES_NAME} ({SERIES_ID})")
        with tab.expect_navigation():
            link.click()
        assert tab.url == f"{server}/series/{SERIES_ID}"
        assert tab.locator("h1").inner_text() == SERIES_NAME


def test_a_movie_id_has_no_such_link(server: str) -> None:
    with chromium_tab() as tab:
        tab.goto(f"{server}/series?query=tt0310001")
        assert "is a movie, not a series" in tab.locator(".error").inner_text()
        assert tab.locator("#series-of-episode").count() == 0
