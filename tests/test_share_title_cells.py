"""``title_cells``: titles as the unit for the key roles, counted at every write, give exactly what the credit
rows give, shape by shape, and are used only where they can.

Why stored: over every kind the per-title classification took 1.9-2.8 s at full scale. The counts must be the
general path's to the last p bin (the estimate is computed from them), including after a gender update.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity import api
from crewparity.metrics import title_cells
from crewparity.metrics.samples import parse_kinds, parse_sample
from crewparity.metrics.share import parse_by, share_counts
from crewparity.store import open_store, writing
from tests.conftest import synth_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "title_cells", seed=7)


STORED = [
    ("kind", None, (None, None)),
    ("year", None, (None, None)),
    ("none", None, (None, None)),
    ("year,kind", None, (None, None)),
    ("kind,year", "movie,tv_series", (None, None)),
    ("year", "tv_series,tv_mini_series", (1990, 2015)),
    ("year,kind", None, (2000, None)),
    ("none", "movie", (None, None)),
    ("kind", "short,tv_movie,video", (None, None)),
    ("genre", None, (None, None)),
    ("genre,kind", None, (None, None)),
    ("kind,genre", "movie,tv_series", (None, None)),
    ("genre", "tv_series,tv_mini_series", (None, None)),
]


@pytest.mark.parametrize(("by", "kinds", "years"), STORED)
def test_the_stored_counts_are_the_credit_rows_counts(store_path: Path, by: str, kinds: str | None,
                                                      years: tuple[int | None, int | None]) -> None:
    with open_store(store_path) as store:
        assert title_cells.stored_cells(store, "titles", parse_by(by), None, parse_kinds(kinds), years[0], years[1],
                                        parse_sample("all")) is not None
        fast, cols = share_counts(store, None, by, kinds, years[0], years[1], "all", "titles")
        slow, _ = share_counts(store, None, by, kinds, years[0], years[1], "all", "titles", rollups=False)
    assert fast.num_rows > 0
    assert fast.schema == slow.schema  # the same types too (a sum over the cells is cast back to BIGINT)
    assert fast.to_pylist() == slow.to_pylist()


@pytest.mark.parametrize(("unit", "by", "roles", "years", "sample"), [
    ("people", "kind", None, (None, None), "all"),             # another unit
    ("titles", "kind", "director", (None, None), "all"),       # other roles
    ("titles", "none", None, (2000, 2010), "all"),             # a range without --by year: a title counts once
    ("titles", "decade", None, (None, None), "all"),
    ("titles", "genre", None, (2000, 2010), "all"),            # genre over a range
    ("titles", "year,genre", None, (None, None), "all"),
    ("titles", "year", None, (None, None), "top:10"),
])
def test_other_questions_take_the_credit_rows(store_path: Path, unit: str, by: str, roles: str | None,
                                              years: tuple[int | None, int | None], sample: str) -> None:
    with open_store(store_path) as store:
        assert title_cells.stored_cells(store, unit, parse_by(by), roles, None, years[0], years[1],
                                        parse_sample(sample)) is None


def test_a_gender_update_recounts_them(store_path: Path, tmp_path: Path) -> None:
    """An overrides write changes titles' classes: the stored counts follow (as a full rebuild would)."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with open_store(db) as store:
        men = store.rows("SELECT person_id FROM resolved_gender WHERE gender = 'man' ORDER BY person_id LIMIT 30")
        before, _ = share_counts(store, None, "kind", None, None, None, "all", "titles")
    overrides = tmp_path / "o.csv"
    overrides.write_text("person_id,gender,note\n" + "".join(f"{p},woman,test\n" for (p,) in men), encoding="utf-8")
    api.ingest_overrides(overrides, db)
    with open_store(db) as store:
        after, _ = share_counts(store, None, "kind", None, None, None, "all", "titles")
        slow, _ = share_counts(store, None, "kind", None, None, None, "all", "titles", rollups=False)
    assert after.to_pylist() == slow.to_pylist()
    assert sum(after["women"].to_pylist()) > sum(before["women"].to_pylist())


def test_edited_key_roles_take_the_credit_rows(store_path: Path, tmp_path: Path) -> None:
    """The cells record the roles they counted; a question about other roles never reads them."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with writing(db) as store:
        store.con.execute("UPDATE meta SET value = '[\"director\"]' WHERE key = ?", [title_cells.TITLE_ROLES_KEY])
    with open_store(db) as store:
        assert title_cells.stored_cells(store, "titles", ["kind"], None, None, None, None, parse_sample("all")) is None
        assert title_cells.stored_cells(store, "titles", ["kind"], "director", None, None, None,
                                        parse_sample("all")) is not None
