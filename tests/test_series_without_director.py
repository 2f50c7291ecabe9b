"""`crewparity series TITLE` says which seasons have episodes without a director credit: `total` counts only the
episodes with one, so Silicon Valley's season 2 in the TMDB sample (10 episodes, one credited) read "total 1,
men 1, share_known 0.0%" with nothing to say that nine episodes were not counted."""

from __future__ import annotations

import json
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


def test_the_table_says_which_episodes_it_does_not_count(db: Path) -> None:
    with open_client(str(db)) as cp:
        table = cp.series("My Show")
    assert [(r["season"], r["total"], r["women"], r["men"]) for r in table.to_pylist()] == [(1, 2, 1, 1)]
    assert without_director(table) == [("My Show", 1, 1, 3), ("My Show", 2, 1, 1)]


def test_the_cli_notes_them_on_stderr_and_keeps_stdout_clean(db: Path) -> None:
    result = run_cli("series", "My Show", "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [r["total"] for r in json.loads(result.stdout)] == [2]
    notes = [ln for ln in result.stderr.splitlines() if ln.startswith("crewparity: note:")]
    assert notes == [
        "crewparity: note: 2 episodes without a director credit in the store are not counted (total counts the "
        "episodes with one): season 1: 1 of 3, season 2: 1 of 1; "
        f"crewparity series 'My Show' --episodes --db {db} lists them"]


def test_no_note_when_every_episode_has_a_director(db: Path, tmp_path: Path) -> None:
    full = crew_store(tmp_path, "full", "series,season,episode,year,name,role\nMy Show,1,1,2015,Ana Lima,director\n")
    result = run_cli("series", "My Show", "--db", str(full))
    assert result.returncode == 0 and "note" not in result.stderr, result.stderr
    with open_client(str(full)) as cp:
        assert without_director(cp.series("My Show")) == []


def test_chart_seasons_says_it_under_its_title(db: Path, tmp_path: Path) -> None:
    """A chart may be pasted alone into an article: its "1 of 2" bar says, in the chart, what it leaves out."""
    import xml.etree.ElementTree as ET

    out = tmp_path / "show.svg"
    result = run_cli("chart", "seasons", "My Show", "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    texts = " ".join(" ".join(t.itertext()) for t in ET.parse(out).iter("{http://www.w3.org/2000/svg}text"))
    assert ("2 episodes without a director credit in the store are not counted (total counts the episodes with "
            "one): season 1: 1 of 3, season 2: 1 of 1.") in " ".join(texts.split())
