"""`crewparity series` and the series page count a season's episodes whose director's gender is a first-name-model
call (``inferred``), as the DGA lists (``--rank``) already did.

Why: Jessica Jones season 1 read "4 of 13 episodes" with 9 men, 5 of whom are the name model's guesses, and
nothing in the seasons table (CLI or page) said so; only the episode list did, row by row.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from crewparity.sources.crewlist import series_id
from tests._dashboard_store import crew_list_fixtures
from tests.conftest import run_cli

# Season 1: a recorded woman, a man of no recorded gender the name model calls (John), and an episode co-directed
# by the recorded woman and John: two episodes rest on a call. Season 2: a recorded man only.
CREW = """series,season,episode,episode_title,year,name,role,gender
Guess Show,1,1,One,2021,Ana Lima,Director,woman
Guess Show,1,2,Two,2021,John Dahl,Director,
Guess Show,1,3,Three,2021,Ana Lima,Director,woman
Guess Show,1,3,Three,2021,John Dahl,Director,
Guess Show,2,1,Four,2022,Bo Chen,Director,man
"""
SID = series_id("Guess Show")


db, client = crew_list_fixtures("inferred", CREW)


def test_cli_counts_the_episodes_resting_on_a_name_model_call(db: Path) -> None:
    r = run_cli("series", "Guess Show", "--format", "json", "--db", str(db))
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(s["season"], s["total"], s["women"], s["men"], s["inferred"]) for s in rows] == [
        (1, 3, 2, 1, 2), (2, 1, 0, 1, 0)]
    assert list(rows[0])[-2:] == ["share_known", "inferred"]


def test_series_page_shows_the_inferred_column_and_says_what_it_is(client: Any) -> None:
    page = client.get(f"/series/{SID}").text
    assert "<th>inferred from a first name</th>" in page
    cells = re.findall(r'<td class="num summary">[^<]*</td><td class="num">(\d+)</td>', page)
    assert cells == ["2", "0"]
    assert "a statistical estimate about a name, not a record" in page
