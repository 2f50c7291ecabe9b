"""``title_units``: titles as the unit from the stored per-(title, year, role, genre mask) classes give exactly
what the credit rows give, shape by shape (groupings, role sets, kinds, year ranges, samples, excluded series),
are what such questions read, and follow a gender update.

Why stored: from the credit rows, titles by year and role over every kind took 8.1 s at full scale. The counts
must be the credit-row path's to the last p bin (the estimate is computed from them).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from crewparity import api
from crewparity.metrics import title_units
from crewparity.metrics.roles import key_roles
from crewparity.metrics.samples import excluded_series_sql, parse_kinds, parse_sample
from crewparity.metrics.share import parse_by, share_counts
from crewparity.store import open_store, writing
from tests.conftest import comparable_rows, synth_store

#: the module's own rule (the fixture below stands in for it in the comparisons)
FASTER = title_units.faster


@pytest.fixture(autouse=True)
def every_shape_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons below check the stored path on every shape it can answer, not only on those where it is
    the faster one (``title_units.faster``, tested on its own below)."""
    monkeypatch.setattr(title_units, "faster", lambda *args: True)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "title_units", seed=11)


BYS = ["none", "year", "decade", "kind", "role", "genre", "year,role", "year,genre", "decade,genre", "kind,genre",
       "role,genre", "decade,role", "year,kind,role"]
ROLES = [None, "director", "composer,casting_director", "director,writer"]
KINDS = [None, "movie", "tv_series,tv_mini_series"]


def _same(store_path: Path, roles: str | None, by: str, kinds: str | None, years: tuple[int | None, int | None],
          sample: str, exclude: str | None = None) -> None:
    with open_store(store_path) as store:
        assert title_units.answers(store, "titles", parse_by(by), parse_sample(sample), ["x"])
        fast, _ = share_counts(store, roles, by, kinds, years[0], years[1], sample, "titles", exclude_series=exclude)
        slow, _ = share_counts(store, roles, by, kinds, years[0], years[1], sample, "titles", rollups=False,
                               exclude_series=exclude)
    assert fast.num_rows > 0
    assert fast.schema == slow.schema
    assert comparable_rows(fast) == comparable_rows(slow)


@pytest.mark.parametrize(("by", "roles", "kinds"), list(itertools.product(BYS, ROLES, KINDS)))
def test_every_grouping_role_set_and_kind_gives_the_credit_rows_counts(store_path: Path, by: str, roles: str | None,
                                                                        kinds: str | None) -> None:
    _same(store_path, roles, by, kinds, (None, None), "all")


@pytest.mark.parametrize(("by", "roles", "years", "sample"), [
    ("role", None, (2000, 2015), "all"),           # a range without the year: a series counts once over it
    ("decade,genre", None, (1995, 2012), "all"),
    ("none", "director", (2005, None), "all"),
    ("year,role", None, (None, None), "top:10"),   # stored ranks
    ("genre", None, (None, None), "top:10"),
    ("decade", "composer,casting_director", (None, None), "top:5"),
])
def test_ranges_and_samples_give_the_credit_rows_counts(store_path: Path, by: str, roles: str | None,
                                                        years: tuple[int | None, int | None], sample: str) -> None:
    _same(store_path, roles, by, None, years, sample)


def test_top_n_over_several_kinds_and_excluded_series(store_path: Path) -> None:
    _same(store_path, None, "year,role", "tv_series,movie", (None, None), "top:10")
    _same(store_path, "director", "year", "tv_series,tv_mini_series", (None, None), "all",
          exclude=excluded_series_sql(["Reality-TV", "Talk-Show", "Game-Show", "News"], adult=True))


def test_the_questions_read_the_stored_rows(store_path: Path, tmp_path: Path) -> None:
    """Emptying ``title_units`` empties the answer: the stored rows are what is read, not the credits."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with writing(db) as store:
        store.con.execute("DELETE FROM title_units")
    with open_store(db) as store:
        emptied, _ = share_counts(store, None, "year,role", None, None, None, "all", "titles")
        from_credits, _ = share_counts(store, None, "year,role", None, None, None, "all", "titles", rollups=False)
    assert emptied.num_rows == 0
    assert from_credits.num_rows > 0


def test_other_questions_take_the_credit_rows(store_path: Path) -> None:
    with open_store(store_path) as store:
        assert not title_units.answers(store, "titles", ["title"], parse_sample("all"), None)
        assert not title_units.answers(store, "people", ["year"], parse_sample("all"), None)
        assert not title_units.answers(store, "titles", ["genre"], parse_sample("all"), None)  # no genre mask
        ids = store_path.parent / "ids.txt"
        ids.write_text("tt0000001\n", encoding="utf-8")
        assert not title_units.answers(store, "titles", ["year"], parse_sample(f"list:{ids}"), None)


def test_a_gender_update_rebuilds_them(store_path: Path, tmp_path: Path) -> None:
    """An overrides write changes titles' classes: the stored rows follow (as a full rebuild would)."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with open_store(db) as store:
        men = store.rows("SELECT person_id FROM resolved_gender WHERE gender = 'man' ORDER BY person_id LIMIT 30")
        before, _ = share_counts(store, None, "year,role", None, None, None, "all", "titles")
    overrides = tmp_path / "o.csv"
    overrides.write_text("person_id,gender,note\n" + "".join(f"{p},woman,test\n" for (p,) in men), encoding="utf-8")
    api.ingest_overrides(overrides, db)
    with open_store(db) as store:
        after, _ = share_counts(store, None, "year,role", None, None, None, "all", "titles")
        slow, _ = share_counts(store, None, "year,role", None, None, None, "all", "titles", rollups=False)
    assert comparable_rows(after) == comparable_rows(slow)
    assert sum(after["women"].to_pylist()) > sum(before["women"].to_pylist())


def test_edited_key_roles_merge_the_role_rows(store_path: Path, tmp_path: Path) -> None:
    """The key roles' merged rows record their roles; when those differ from the question's, the role rows are
    merged instead, with the same counts."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with writing(db) as store:
        store.con.execute("UPDATE meta SET value = '[\"director\"]' WHERE key = ?", [title_units.KEY_ROLES_KEY])
        store.con.execute("DELETE FROM title_units WHERE role_code IS NULL")  # would be read if trusted
    _same(db, None, "year,genre", None, (None, None), "all")


@pytest.mark.parametrize(("by", "roles", "kinds", "expected"), [
    ("year,role", None, None, True),                          # each title's rows are its units
    ("year,genre", "director", None, True),
    ("year", None, None, True),                               # the key roles' merged rows
    ("year", "composer,casting_director", None, False),       # roles merged at query time
    ("year,role", "composer,casting_director", None, True),   # ... unless grouped by role
    ("role", None, None, True),                               # series merged, still faster over every kind
    ("role", "director", "tv_series", False),                 # ... not over the series alone
    ("decade", None, None, False),                            # series over several years merged
    ("genre", "director", None, True),                        # genre: stored faster though series merge
    ("kind", "director", "tv_series", False),
    ("genre", "composer,casting_director", None, False),
    ("role", None, "movie", True),                            # kinds without episodes
    ("none", "composer,casting_director", "movie,short", True),
])
def test_they_are_read_where_they_are_faster(by: str, roles: str | None, kinds: str | None, expected: bool) -> None:
    assert FASTER(parse_by(by), roles, parse_kinds(kinds), list(key_roles())) is expected
