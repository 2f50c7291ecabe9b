"""Which seasons have episodes without a director credit, said under `chart seasons`' title: its bars count the
episodes with one, so Silicon Valley's season 2 in the TMDB sample (10 episodes, one credited) showed as "0 of 1"
with nothing to say that nine episodes were in no bar. (The table says it in `no_director`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity import open as open_client
from crewparity.metrics.episodes import without_director
from tests._tiny_stores import crew_store
from tests.conftest import run_cli

# Season 1: three episodes, the third credited to a writer only; season 2: one episode, credited to no director.
LIST = """series,season,episode,year,name,role,gender
My Show,1,1,2015,Ana Lima,director,woman
My Show,1,2,2015,Bo Chen,director,man
My Show,1,3,2015,Cy Dee,writer,woman
My Show,2,1,2016,Cy Dee,writer,woman
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("nodirector"), "show", LIST)


def test_the_table_says_which_episodes_are_in_no_share(db: Path) -> None:
    with open_client(str(db)) as cp:
        table = cp.series("My Show")
    assert [(r["season"], r["total"], r["women"], r["men"], r["no_director"]) for r in table.to_pylist()] == [
        (1, 2, 1, 1, 1), (2, 0, 0, 0, 1)]
    assert without_director(table) == [("My Show", 1, 1, 3), ("My Show", 2, 1, 1)]


def test_nothing_to_say_when_every_episode_has_a_director(db: Path, tmp_path: Path) -> None:
    full = crew_store(tmp_path, "full", "series,season,episode,year,name,role\nMy Show,1,1,2015,Ana Lima,director\n")
    with open_client(str(full)) as cp:
        assert without_director(cp.series("My Show")) == []


def test_chart_seasons_says_it_under_its_title(db: Path, tmp_path: Path) -> None:
    """A chart may be pasted alone into an article: its "1 of 2" bar says, in the chart, what it leaves out."""
    import xml.etree.ElementTree as ET

    out = tmp_path / "show.svg"
    result = run_cli("chart", "seasons", "My Show", "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    texts = " ".join(" ".join(t.itertext()) for t in ET.parse(out).iter("{http://www.w3.org/2000/svg}text"))
    assert ("2 episodes without a director credit in the store are in no share (the counts are of the episodes "
            "with one): season 1: 1 of 3, season 2: 1 of 1.") in " ".join(texts.split())
