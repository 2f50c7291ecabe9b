"""A best/worst list cut at its row limit says so, and of how many seasons: on /rankings (whose "Rows" is 50 by
default) and on the CLI's stderr with --limit.

Why: the page showed the first 50 seasons of a list with nothing to say there were more, so a list of hundreds
read as complete ("the 50 seasons with no woman director").
"""

from __future__ import annotations

import html as html_lib
from pathlib import Path
from typing import Any

from tests._dashboard_store import crew_list_fixtures
from tests.conftest import run_cli

# Three series whose one season was directed by a woman (best), two by a man (worst); every gender recorded.
CREW = "series,season,episode,episode_title,year,name,role,gender\n" + "".join(
    f"{show},1,1,One,2020,{name},Director,{gender}\n"
    for show, name, gender in (("Alpha", "Ana Lima", "woman"), ("Beta", "Ana Lima", "woman"),
                               ("Gamma", "Ana Lima", "woman"), ("Delta", "Bo Chen", "man"),
                               ("Epsilon", "Bo Chen", "man")))


db, client = crew_list_fixtures("cut", CREW)


def test_the_rankings_page_says_a_list_is_cut(client: Any) -> None:
    page = html_lib.unescape(client.get("/rankings", params={"min_episodes": 1, "limit": 2}).text)
    assert "The first 2 of the 3 seasons on this list (highest share_if_unknown_men first)" in page
    assert "of the 2 seasons on this list" not in page  # the worst list (2 seasons) is whole
    whole = html_lib.unescape(client.get("/rankings", params={"min_episodes": 1}).text)
    assert "The first " not in whole


def test_the_cli_notes_a_list_cut_by_limit(db: Path) -> None:
    cut = run_cli("series", "--rank", "best", "--min-episodes", "1", "--limit", "1", "--db", str(db))
    assert cut.returncode == 0, cut.stderr
    assert ("crewparity: note: the first 1 of the 3 seasons on the best list (--limit 1); without --limit all are "
            "listed") in cut.stderr
    whole = run_cli("series", "--rank", "worst", "--min-episodes", "1", "--limit", "2", "--db", str(db))
    assert whole.returncode == 0 and "the first" not in whole.stderr
