"""What `crewparity series --rank ... ` says about the seasons it leaves out names both of the reasons the rule
has: a director of unknown gender, and an episode without a director credit.

Why: since the DGA lists count an episode without a director credit as an unknown (rank_rule), most of the seasons
`--undecided` lists on the synthetic store (1,802 of the 3,075 best-list ones at scale 0.01) are there only for
such episodes: no director of unknown gender, `could_be_women` 0. Yet the table's title said "left out ... only
because of directors of unknown gender", and the best list's note "would reach it if their directors of unknown
gender were women", so a reader of a listed season of recorded directors could not see why it is there. The
worst list's note, the report and the dashboard already name both reasons.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._series_crew import HEADER, season
from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = HEADER + "".join([
    season("Six Men One Gap", ["m"] * 6 + [None]),                # off the worst list for the gap alone
    season("Half And Gaps", ["w"] * 3 + ["m"] * 3 + [None] * 2),  # off the best list for the gaps alone
])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("undecided_words"), "gaps", CREW)


@pytest.mark.parametrize("rank", ["best", "worst"])
def test_undecided_title_names_episodes_without_a_director_credit(db: Path, rank: str) -> None:
    r = run_cli("series", "--rank", rank, "--undecided", "--db", str(db))
    assert r.returncode == 0, r.stderr
    title = r.stdout.splitlines()[0]
    assert "only because of directors of unknown gender or episodes without a director credit" in title
    # the listed season has no director of unknown gender: could_be_women alone would not explain it
    assert "no_director" in title


def test_best_note_names_episodes_without_a_director_credit(db: Path) -> None:
    r = run_cli("series", "--rank", "best", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert ("1 season left out of the best list: it has under 40% of episodes known to be directed by women but "
            "would reach it if its directors of unknown gender (or its episodes without a director credit) were "
            "women") in r.stderr


def test_worst_note_names_them_as_before(db: Path) -> None:
    r = run_cli("series", "--rank", "worst", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "some by a director of unknown gender or without a director credit" in r.stderr


def test_help_names_episodes_without_a_director_credit() -> None:
    r = run_cli("series", "--help")
    assert r.returncode == 0, r.stderr
    text = " ".join(r.stdout.replace("│", " ").split())
    assert "worst: seasons with none, no director of unknown gender and no episode without a director credit" in text
    assert ("left out of that list only because of directors of unknown gender or episodes without a director "
            "credit") in text
