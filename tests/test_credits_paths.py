"""A series' credits read from ``key_credits`` (the fast path) are row for row those read from ``credits``.

Why: the general path joins every row of ``credits`` with the series' episodes (full scale: about 4 s for the
largest series); the fast one reads the integer rows of ``key_credits`` that roll up to the series. Both must
give the same table, in the same order, for every series, season and set of roles; where the fast path cannot
read the keys back (a person whose id is not IMDb's) it steps aside and the general path answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.metrics.credits import _from_credits, _series_from_key_credits, credit_roles, credits, find_title
from crewparity.sources.crewlist import series_id
from crewparity.store import Store, open_store
from tests._tiny_stores import crew_store
from tests.conftest import synth_store

CREW = """series,season,episode,episode_title,year,name,role,gender
Quiet Show,1,1,Dawn,2021,Ana Lima,Director,woman
Quiet Show,1,2,Noon,2021,Bo Chen,Director,man
Quiet Show,1,3,Dusk,2021,Cy Dee,Writer,nonbinary
Quiet Show,2,1,Rain,2022,Cy Dee,Writer,nonbinary
"""


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "credits_paths", seed=11)


def _cases(store: Store, limit: int) -> list[tuple[str, int | None]]:
    """The series with the most episodes first (and some small ones), each whole and per season."""
    ids = [r[0] for r in store.rows(
        """SELECT series_id FROM episodes GROUP BY series_id
           ORDER BY count(*) DESC, series_id""")]
    picked = ids[:limit // 2] + ids[-(limit // 2):]
    cases: list[tuple[str, int | None]] = []
    for sid in picked:
        cases.append((sid, None))
        cases += [(sid, int(r[0])) for r in store.rows(
            "SELECT DISTINCT season FROM episodes WHERE series_id = ? AND season IS NOT NULL ORDER BY 1 LIMIT 3",
            [sid])]
    return cases


@pytest.mark.parametrize("roles", [None, "all", "director,writer"])
def test_a_series_from_key_credits_is_its_rows_from_credits(synth: Path, roles: str | None) -> None:
    with open_store(synth, read_only=True) as store:
        cases = _cases(store, 40)
        assert len(cases) > 40
        for sid, season in cases:
            title = find_title(store, sid)
            assert title.series, sid
            role_list = credit_roles(roles)
            fast = _series_from_key_credits(store, title, season, role_list)
            assert fast is not None, (sid, season)  # every person of a synthetic store has an IMDb id
            general = _from_credits(store, title, season, role_list)
            assert fast.num_rows > 0 or general.num_rows == 0
            assert fast.to_pylist() == general.to_pylist(), (sid, season, roles)
            assert fast.schema.equals(general.schema), (sid, season)


def test_the_largest_series_has_rows_in_every_column(synth: Path) -> None:
    """The comparison above is no comparison of two empty tables: the largest series has episodes, years and
    several roles."""
    with open_store(synth, read_only=True) as store:
        sid = _cases(store, 2)[0][0]
        rows = credits(store, sid, roles="all").to_pylist()
    assert len(rows) > 20
    assert max(r["episodes"] for r in rows) > 1
    assert {r["how"] for r in rows} >= {"recorded", "inferred"}
    assert all(r["first_year"] <= r["last_year"] for r in rows if r["first_year"] is not None)


def test_people_without_an_imdb_id_take_the_general_path(tmp_path: Path) -> None:
    db = crew_store(tmp_path, "quiet", CREW)
    with open_store(db, read_only=True) as store:
        title = find_title(store, series_id("Quiet Show"))
        roles = credit_roles("all")
        assert _series_from_key_credits(store, title, None, roles) is None
        rows = credits(store, title.title_id, roles="all").to_pylist()
        assert rows == _from_credits(store, title, None, roles).to_pylist()
    assert [(r["role"], r["name"], r["gender"], r["episodes"]) for r in rows] == [
        ("director", "Ana Lima", "woman", 1), ("director", "Bo Chen", "man", 1),
        ("writer", "Cy Dee", "nonbinary", 2)]
