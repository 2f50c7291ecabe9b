"""The overview says what "(small group)" and the table's ``small`` mean, as ``crewparity share`` says under its
table ("small = fewer than 30 counted: read with care"), in a real chromium.

What a review found: on the demo store three of five headline figures carried "(small group)" and most rows of the
year-by-year table "small", and nothing on the page said what that is: a journalist could quote "57.1% of directors
are women" off 28 people without knowing the page had flagged it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crewparity.metrics.roles import small_group_threshold
from tests._dashboard_store import build_store, chromium_tab, dashboard_server
from tests.test_browser import _need_browser

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    store: Path = build_store(tmp_path_factory.mktemp("small-note"))
    yield from dashboard_server(store)


def _notes(server: str, query: str) -> tuple[int, str, str]:
    with chromium_tab() as tab:
        tab.goto(f"{server}/{query}")
        flags = tab.locator(".headline .small-flag").count()
        headline = tab.locator("#small-headline").all_inner_texts()
        grid = tab.locator("#small-grid").all_inner_texts()  # under the year x role grid, for its "*"
        if tab.locator("#every-count summary").count():
            tab.click("#every-count summary")  # the table of every count, folded under the grid, with its own note
        table = tab.locator("#small-trend").all_inner_texts()
    return flags, " ".join(headline), " ".join(grid) + "|" + " ".join(table)


def test_the_overview_says_what_small_means(server: str) -> None:
    flags, headline, table = _notes(server, "")
    n = small_group_threshold()
    assert flags >= 1  # every figure of the hand-worked store counts a handful of people
    assert headline == (f"(small group): fewer than {n} counted, too few to quote as a finding; the 95% interval "
                        "says how far the figure can be off: read with care.")
    assert table == (f"* small: fewer than {n} counted in that year and role: read with care.|"
                     f"small: fewer than {n} counted in that row: read with care.")


def test_no_note_when_nothing_is_small(server: str) -> None:
    flags, headline, table = _notes(server, "?from=2100")  # a year with no title: no figure, no flag
    assert flags == 0 and headline == "" and table == "|"
