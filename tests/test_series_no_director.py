"""An episode without a director credit is counted in ``no_director``, in the CLI, the API and the series page.

Why: the seasons' counts were taken over the episodes with a director only, so an episode without one vanished
from its season: "women directed 1 of 2 episodes" for a season of three, and a season whose episodes all lack a
director was no row at all. ``total`` stays the denominator of the shares (the episodes with a director credit);
``no_director`` shows the rest, and the page says they are not counted.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

from crewparity.sources.crewlist import series_id
from tests._dashboard_store import crew_list_fixtures
from tests.conftest import run_cli

# Season 1: a woman, a man, and episode 3 with a writer only; season 2: two episodes with a writer only.
CREW = """series,season,episode,episode_title,year,name,role,gender
Quiet Show,1,1,Dawn,2021,Ana Lima,Director,woman
Quiet Show,1,2,Noon,2021,Bo Chen,Director,man
Quiet Show,1,3,Dusk,2021,Cy Dee,Writer,nonbinary
Quiet Show,2,1,Rain,2022,Cy Dee,Writer,nonbinary
Quiet Show,2,2,Snow,2022,Cy Dee,Writer,nonbinary
"""
SID = series_id("Quiet Show")


db, client = crew_list_fixtures("quiet", CREW)


def _cli(db: Path, *args: str) -> list[dict[str, Any]]:
    r = run_cli("series", "Quiet Show", "--format", "json", "--db", str(db), *args)
    assert r.returncode == 0, r.stderr
    rows: list[dict[str, Any]] = json.loads(r.stdout)
    return rows


def test_cli_counts_episodes_without_a_director_in_no_director(db: Path) -> None:
    rows = _cli(db)
    assert [(r["season"], r["total"], r["women"], r["men"], r["unknown"], r["no_director"], r["share_known"])
            for r in rows] == [(1, 2, 1, 1, 0, 1, 0.5), (2, 0, 0, 0, 0, 2, None)]
    frac = _cli(db, "--codirected", "fractional")
    assert [(r["season"], r["total"], r["women"], r["men"], r["no_director"]) for r in frac] == [
        (1, 2, 1.0, 1.0, 1), (2, 0, 0.0, 0.0, 2)]
    table = run_cli("series", "Quiet Show", "--db", str(db))
    assert table.returncode == 0 and "no_director" in table.stdout


def test_api_is_the_cli(client: Any, db: Path) -> None:
    assert client.get("/api/series", params={"query": "Quiet Show"}).json() == _cli(db)


def test_series_page_shows_and_names_the_episodes_without_a_director(client: Any) -> None:
    page = client.get(f"/series/{SID}").text
    summaries = {season: html_lib.unescape(cell) for season, cell in re.findall(
        r'<tr data-season="(\d+)">.*?<td class="num summary">([^<]*)</td>', page, flags=re.S)}
    assert summaries == {
        "1": "1 of 2 episodes with a director credit (50.0%); 1 more episode without one, not counted",
        "2": "no episode with a director credit; 2 episodes without one, not counted"}
    assert "<th>no director credit</th>" in page
    assert "3 episodes of this series have no director credit in the store" in html_lib.unescape(page)
    # the episode list says the episode is not counted, rather than leaving the cell blank
    dusk = re.search(r"Dusk</td>.*?</tr>", page, flags=re.S)
    assert dusk is not None and "not counted" in dusk.group(0)

