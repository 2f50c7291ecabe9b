"""/rankings says what its columns count, as the CLI's table title does.

Why: the lists showed ``total``, ``share_if_unknown_men`` and ``inferred`` with no word on the page of what they
count; ``crewparity series --rank`` says in its title that inferred is the episodes whose director's gender is a
first-name-model call, and a worst-list season of inferred "men" stands on a guess from names.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import dashboard_client
from tests._tiny_stores import crew_store

# One season directed by a man the first-name model calls (no recorded gender): on the worst list, inferred 1.
CREW = "series,season,episode,episode_title,year,name,role,gender\nDelta,1,1,One,2020,John Dahl,Director,\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = crew_store(tmp_path_factory.mktemp("columns"), "columns", CREW)
    yield from dashboard_client(db)


def test_the_rankings_page_says_what_each_column_counts(client: Any) -> None:
    page = client.get("/rankings", params={"min_episodes": 1}).text
    said = re.sub(r"<[^>]+>", "", html_lib.unescape(page))
    assert "inferred, the episodes with a director whose gender is a first-name-model call" in said
    assert "total, the season's episodes with a director credit" in said
    assert "share_if_unknown_men, women / (total + no_director)" in said
    assert "no_director, the season's episodes without a director credit, unknowns for the lists" in said
    # the worst list holds Delta's season, its one episode inferred: the number is right-aligned as the others
    assert re.search(r'<td class="num">1</td></tr>', page)
