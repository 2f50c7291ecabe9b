"""A series page's episode list says in words what each director's gender rests on, for a production's own crew list.

What a review found (a crew list loaded with ``crewparity ingest crewlist``):

* a director whose first name the model abstains on read "unknown (inferred, p(woman) = 0.66)", as if "unknown" had
  been inferred; it is the first-name model declining to call the name;
* the note above the list said "recorded: overrides, Wikidata, TMDB or IMDb's own labels" beside rows whose source
  is ``crewlist`` (the production's own list, second in the precedence after overrides).
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests._dashboard_store import crew_list_fixtures
from tests._tiny_stores import ABSTAINED

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CREW = ("series,season,episode,episode_title,year,name,role,gender\n"
        "Our Show,1,2,Second,2024,Ana Lima,Director,woman\n"
        f"Our Show,1,3,Third,2024,{ABSTAINED},Director,\n")
db, client = crew_list_fixtures("episode-words", CREW)


def _episodes(client: Any) -> str:
    found = client.get("/series", params={"query": "Our Show"}).text
    href = html.unescape(re.search(r'href="(/series/[^"]+)"', found).group(1))  # type: ignore[union-attr]
    page = client.get(href).text
    text = page[page.index("<h2>Episodes and their directors</h2>"):]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_an_abstained_name_is_said_as_such(client: Any) -> None:
    text = _episodes(client)
    # the evidence column says unknown (an abstention is no inference), the source name_model
    assert re.search(rf"{ABSTAINED} unknown \(first-name model abstained, p\(woman\) = 0\.\d\d\) unknown name_model",
                     text), text
    assert "unknown (inferred" not in text


def test_the_note_names_the_crew_list_as_recorded(client: Any) -> None:
    text = _episodes(client)
    assert "recorded : overrides, the production's own crew list, Wikidata, TMDB or IMDb's own labels" in text
    assert "Ana Lima woman recorded crewlist" in text
