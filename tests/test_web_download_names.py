"""Each CSV download is named for what it holds, so a page's two tables do not land as share.csv and share (1).csv.

What a review found: the overview's two CSV links (by role, by year and role) both downloaded as "share.csv", a
series page's seasons and episodes both as "series.csv", the best and worst lists both as "series.csv", and every
study's comparison as "compare.csv".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("download-names"))
    yield from dashboard_client(db)


def _names(client: Any, page: str) -> list[str]:
    """The file name of every CSV link on ``page``, as the browser saves it."""
    html = client.get(page).text
    names = []
    for href in re.findall(r'href="(/api/[^"]*format=csv[^"]*)"', html):
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200, href
        names.append(re.search(r'filename="([^"]+)"', response.headers["content-disposition"]).group(1))  # type: ignore[union-attr]
    return names


@pytest.mark.parametrize(("page", "names"), [
    ("/", ["share-by-role.csv", "share-by-year-role.csv"]),
    (f"/series/{SERIES_ID}", [f"series-{SERIES_ID}.csv", f"series-{SERIES_ID}-episodes.csv"]),
    ("/rankings", ["series-rank-best.csv", "series-rank-worst.csv"]),
    ("/compare?study=dga", ["compare-dga_episodic.csv"]),
    ("/method", ["sources.csv", "evidence.csv"]),
])
def test_each_download_is_named_for_its_table(client: Any, page: str, names: list[str]) -> None:
    assert _names(client, page) == names


def test_a_name_holds_only_safe_characters(client: Any) -> None:
    response = client.get("/api/series", params={"query": "Harbour Nights", "format": "csv"})
    assert response.headers["content-disposition"] == 'attachment; filename="series-harbour-nights.csv"'
