"""The series search tells apart shows of the same name: each result gives its kind, its years and its episodes.

What a review found: on a synthetic store "The Distant City" found four series listed as the same name and an id
each; a journalist could not tell which was the show they meant (IMDb has many such: remakes, national versions)
without opening each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import LOUD_ID, SERIES_ID, build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("search-facts"))
    yield from dashboard_client(db)


def _results(client: Any, query: str) -> list[str]:
    page = client.get("/series", params={"query": query}).text
    items = re.findall(r"<li>(.*?)</li>", page, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def test_each_result_says_its_kind_years_and_episodes(client: Any) -> None:
    results = _results(client, "o")  # Harbour Nights and <b>Loud</b> Show
    assert f"Harbour Nights {SERIES_ID} · TV series, 2019–2020, 7 episodes" in results, results
    assert f"<b>Loud</b> Show {LOUD_ID} · TV series, 2020, 6 episodes" in results, results


def test_an_id_finds_its_series_with_the_same_facts(client: Any) -> None:
    assert _results(client, SERIES_ID) == [f"Harbour Nights {SERIES_ID} · TV series, 2019–2020, 7 episodes"]
