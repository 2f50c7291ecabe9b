"""The comparison's rows are one line each: a long caveat, sample or role set shows its first words and opens to the
whole text (a <details>, no JavaScript), on a laptop and at 390 px; the downloads keep every word on every row.

What a review found: each row of /compare carried its own caveat ("this year the store has only 4 movie titles with
IMDb votes, fewer than their 250"), our sample's words and a six-role set, each wrapped to three to five lines in its
column: rows of 80-120 px (Celluloid Ceiling, 95 rows on a synthetic store), a table one could not scan down its
figures.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.web.app import FOLD_AT
from tests._dashboard_store import chromium_tab, dashboard_client, dashboard_server
from tests.conftest import synth_store
from tests.test_browser import _need_browser

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

STUDIES = ("celluloid_ceiling", "usc_annenberg", "boxed_in", "dga")


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "compare-rows", seed=7)


@pytest.fixture(scope="module")
def client(synth: Path) -> Iterator[Any]:
    yield from dashboard_client(synth)


def _cells(page: str) -> tuple[list[str], list[list[str]]]:
    table = page[page.index('<table class="data">'):]
    table = table[:table.index("</table>")]
    heads = re.findall(r'<th scope="col">([^<]*)</th>', table)
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in re.findall(r"<tr>(.*?)</tr>", table,
                                                                                       flags=re.S)[1:]]
    return heads, rows


@pytest.mark.parametrize("study", STUDIES)
def test_long_cells_fold_and_keep_their_words(client: Any, study: str) -> None:
    api = client.get("/api/compare", params={"study": study}).json()
    heads, rows = _cells(client.get("/compare", params={"study": study}).text)
    assert len(rows) == len(api)
    folds = 0
    for row, data in zip(rows, api, strict=True):
        for name, cell in zip(heads, row, strict=True):
            folded = re.fullmatch(r"<details><summary>([^<]*)</summary>([^<]*)</details>", cell)
            text = html.unescape(folded.group(2) if folded else cell)
            if name in ("role", "caveat", "published_sample", "crewparity_sample"):
                assert (len(text) > FOLD_AT) == (folded is not None), (name, text)
            if folded is None:
                continue
            folds += 1
            preview = html.unescape(folded.group(1))
            assert preview.endswith("…") and len(preview) < FOLD_AT + 12, preview
            if name == "role":  # a role set: the whole set, and how many
                assert text.replace(", ", ",") == data["role"] and preview.startswith(f"{text.count(',') + 1} roles: ")
            else:  # the row's own clauses (what every row shares is said once above the table), every word of them
                assert set(text.split("; ")) <= set(str(data[name]).split("; ")), (name, text)
    if study in ("celluloid_ceiling", "usc_annenberg", "boxed_in"):
        assert folds, study


@pytest.fixture(scope="module")
def server(synth: Path) -> Iterator[str]:
    _need_browser()
    yield from dashboard_server(synth)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_every_row_is_one_line_and_a_fold_opens(server: str, width: int) -> None:
    with chromium_tab(width, 900) as tab:
        for study in STUDIES:
            tab.goto(f"{server}/compare?study={study}", timeout=120_000)
            heights: Any = tab.evaluate("[...document.querySelectorAll('table.data tbody tr')]"
                                        ".map(r => r.getBoundingClientRect().height)")
            assert heights and max(heights) < 40, (study, max(heights))  # one line of text and its padding
            size: Any = tab.evaluate("document.documentElement.scrollWidth")
            assert size <= width, (study, size)
        tab.goto(f"{server}/compare?study=celluloid_ceiling")
        fold = tab.locator("table.data td.folded details").first
        full = fold.evaluate("d => d.lastChild.textContent")
        assert not tab.get_by_text(full, exact=True).first.is_visible()
        fold.locator("summary").click()
        assert fold.evaluate("d => d.open") and fold.get_by_text(full).is_visible()
