"""The method text's words for the people unit agree with what ``share`` counts: a person counts once per group;
once per role only when the groups are by role."""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.metrics.share import share
from crewparity.report.method import UNITS
from crewparity.store import open_store
from tests._metrics_store import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("method_people"))


def test_a_person_with_two_roles_counts_once_per_group_and_once_per_role_only_by_role(db: Path) -> None:
    """Alice directs and writes Film One (2016): one person in 2016 by year, two over the role rows. The method
    said "a person counts once per year (or other group) and role", which the --by year figures are not."""
    roles = ["director", "writer"]
    with open_store(db) as store:
        by_year = {r["year"]: r for r in share(store, roles=roles, by="year", kinds="movie", unit="people").to_pylist()}
        by_role = share(store, roles=roles, by="year,role", kinds="movie", unit="people").to_pylist()
    # 2016 movies: directors Alice, Bob, Frank (Harbour Movie); writers Alice, Frank, Eve: four people
    assert by_year[2016]["total"] == 4 and by_year[2016]["women"] == 2
    role_rows = [r for r in by_role if r["year"] == 2016]
    assert sum(r["total"] for r in role_rows) == 6 and sum(r["women"] for r in role_rows) == 3
    text = UNITS["people"]
    assert "once per year (or other group) and role" not in text
    assert "a person counts once in each group" in text
    assert "once per role only when grouped by role" in text
