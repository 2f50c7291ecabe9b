"""An episode without a director credit is an unknown for the DGA lists: it keeps a season off a list it could
change, as a director of unknown gender does.

Why: the lists counted only the episodes with a director credit. A season of six credited men and one episode
the store credits to no director was on the worst list, "no woman directed", though the seventh episode could
have been hers; a season of 3 women in 6 credited episodes and 2 uncredited was on the best list at 50%, where
it is 37.5% if those two were men. Both are now left out and shown with ``--undecided``; ``no_director`` is a
column of the lists, ``share_if_unknown_men`` is over every episode, and ``min_episodes`` counts every episode.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crewparity import open as open_client
from tests._series_crew import HEADER, season
from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = HEADER + "".join([
    season("Six Men One Gap", ["m"] * 6 + [None]),       # worst only if the gap was a man: undecided
    season("Six Men", ["m"] * 6),                       # on the worst list
    season("Half And Gaps", ["w"] * 3 + ["m"] * 3 + [None] * 2),  # 3/8 if the gaps were men: undecided
    season("Four Of Seven", ["w"] * 4 + ["m"] * 2 + [None]),      # 4/7 = 57% even so: on the best list
    season("Five And One", ["m"] * 5 + [None]),          # six episodes with the gap: long enough to rank
    season("No Credits", [None] * 7),                   # no director credit at all: nothing to rank on
])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("rank_gaps"), "gaps", CREW)


def _rows(db: Path, rank: str, undecided: bool = False) -> dict[str, dict[str, object]]:
    with open_client(str(db)) as cp:
        table = cp.series_rank(rank, undecided=undecided)
    return {str(r["series"]): r for r in table.to_pylist()}


def test_worst_list_leaves_out_a_season_an_uncredited_episode_could_change(db: Path) -> None:
    assert sorted(_rows(db, "worst")) == ["Six Men"]
    undecided = _rows(db, "worst", undecided=True)
    assert sorted(undecided) == ["Five And One", "Six Men One Gap"]
    gap = undecided["Six Men One Gap"]
    assert (gap["total"], gap["men"], gap["no_director"], gap["could_be_women"]) == (6, 6, 1, 0)


def test_best_list_counts_uncredited_episodes_as_men_for_the_sure_share(db: Path) -> None:
    best = _rows(db, "best")
    assert sorted(best) == ["Four Of Seven"]
    row = best["Four Of Seven"]
    assert (row["total"], row["women"], row["no_director"]) == (6, 4, 1)
    assert row["share_if_unknown_men"] == pytest.approx(4 / 7)
    assert row["share_known"] == pytest.approx(4 / 6)
    undecided = _rows(db, "best", undecided=True)
    assert sorted(undecided) == ["Half And Gaps"]
    assert undecided["Half And Gaps"]["share_if_unknown_men"] == pytest.approx(3 / 8)


def test_min_episodes_counts_every_episode_of_the_season(db: Path) -> None:
    with open_client(str(db)) as cp:
        seven = {r["series"] for r in cp.series_rank("worst", undecided=True, min_episodes=7).to_pylist()}
    assert seven == {"Six Men One Gap"}  # Five And One has 6 episodes in all


def test_cli_lists_show_the_no_director_column(db: Path) -> None:
    r = run_cli("series", "--rank", "worst", "--undecided", "--format", "json", "--db", str(db))
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {row["series"]: row["no_director"] for row in rows} == {"Six Men One Gap": 1, "Five And One": 1}
