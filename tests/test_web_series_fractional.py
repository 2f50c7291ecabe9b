"""The series page heads its columns as what they count with ``codirected=fractional``: directors' shares.

Why: the headers were those of the DGA count ("directed by women", "men only") whatever the choice, so with 1/k
each a season of one episode by a man alone and one co-directed by a man and a woman read "men only 1.5".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.sources.crewlist import series_id
from tests._dashboard_store import dashboard_client
from tests._tiny_stores import crew_store

CREW = """series,season,episode,episode_title,year,name,role,gender
Pair Show,1,1,Solo,2021,Bo Chen,Director,man
Pair Show,1,2,Duet,2021,Bo Chen,Director,man
Pair Show,1,2,Duet,2021,Ana Lima,Director,woman
"""
SID = series_id("Pair Show")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = crew_store(tmp_path_factory.mktemp("pair"), "pair", CREW)
    yield from dashboard_client(db)


def test_fractional_columns_are_not_headed_as_episodes(client: Any) -> None:
    any_page = client.get(f"/series/{SID}").text
    frac = client.get(f"/series/{SID}", params={"codirected": "fractional"}).text
    assert "<th>directed by women</th><th>men only</th>" in any_page
    assert '<td class="num">1.5</td>' in frac  # Bo Chen's 1 + 1/2
    assert "<th>men only</th>" not in frac and "<th>directed by women</th>" not in frac
    assert "<th>women (1/k each)</th><th>men (1/k each)</th>" in frac
