"""share --by genre from key_credits.genre_mask counts exactly what the join with titles' genre lists counts.

Why: genre questions no longer join every credit to ``titles`` (the series' genres, else the episode's); the
genres come as a bit mask stored with each credit, and for people as the union of a person's masks. Both must
give the same table as reading the lists, including the no-genre group (a person with one credit without a
genre is in it, whatever their other credits). People by genre are counted from one row per person and genre
mask (and, for the default question, stored at ingest in ``genre_cells``): the same again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crewparity.metrics import derived
from crewparity.metrics.samples import parse_sample
from crewparity.metrics.share import genre_unit_cells, share_counts
from crewparity.store import open_store
from tests.conftest import comparable_rows, synth_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "genres", seed=3)


@pytest.mark.parametrize(("by", "unit", "extra"), [
    ("genre", "people", {}),  # read from genre_cells
    ("genre", "people", {"rollups": False}),  # the same question counted from the credits
    ("genre", "people", {"roles": "director", "kinds": "movie"}),
    ("genre", "people", {"roles": "director"}),  # one role: masks per person from the credits, codes from person_all
    ("genre", "people", {"roles": "director", "rollups": False}),
    ("year,genre", "people", {"roles": "writer", "year_from": 2000}),
    ("decade,genre", "people", {}),  # genre_cells per decade
    ("year,genre", "people", {}),  # genre_cells per year
    ("genre,year", "people", {"year_from": 2005, "year_to": 2015}),
    ("genre", "people", {"year_from": 2000, "year_to": 2010}),  # each person once over the range: person_years
    ("decade,genre", "people", {"year_from": 1995}),  # once per decade of the range
    ("year,decade,genre", "people", {}),
    ("genre", "people", {"year_from": 2000, "year_to": 2019}),  # whole decades: person_decades
    ("decade,genre", "people", {"year_from": 1990}),  # whole decades by decade: genre_cells
    ("decade,genre", "people", {"year_from": 1985, "year_to": 2014}),  # the cut decades from person_years
    ("genre,role", "people", {"roles": "director,writer"}),
    ("kind,genre", "people", {"year_from": 2000}),
    ("genre,title", "people", {"year_from": 2015}),
    ("genre", "people", {"sample": "top:20"}),
    ("year,genre", "credits", {"kinds": "movie,tv_series"}),
    ("genre", "credits", {}),
    ("decade,genre,role", "credits", {"roles": "director,editor", "sample": "top:30"}),
    ("genre", "titles", {}),
])
def test_mask_and_lists_agree(store_path: Path, by: str, unit: str, extra: dict[str, Any],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_path) as store:
        assert derived.genre_vocabulary(store)  # the mask is in use
        with_mask, cols = share_counts(store, by=by, unit=unit, **extra)
        monkeypatch.setattr(derived, "genre_vocabulary", lambda store: None)
        with_lists, _ = share_counts(store, by=by, unit=unit, **extra)
    assert with_mask.num_rows > 3
    assert comparable_rows(with_mask) == comparable_rows(with_lists)
    assert None in with_mask["genre"].to_pylist()  # synth has titles without genres: the no-genre group is there


def test_genre_cells_follow_the_key_roles(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """genre_cells answer only the roles they counted: another role set is counted from the credits."""
    with open_store(store_path) as store:
        stored = store.rows("SELECT sum(n) FROM genre_cells WHERE level = 'all'")[0][0]
        assert stored > 0
        directors, _ = share_counts(store, roles="director", by="genre")
        key, _ = share_counts(store, by="genre")
    assert sum(directors["total"].to_pylist()) < sum(key["total"].to_pylist()) == stored


@pytest.mark.parametrize(("by", "extra", "reads"), [
    (["genre"], {}, "genre_cells"),
    (["year", "genre"], {"year_from": 2001}, "genre_cells"),
    (["decade", "genre"], {}, "genre_cells"),
    (["genre"], {"year_from": 2001}, "person_years"),
    (["decade", "genre"], {"year_to": 2001}, "genre_cells,person_years"),  # whole decades stored, 2000-2001 counted
    (["decade", "genre"], {"year_from": 1995, "year_to": 2003}, "person_years"),  # no whole decade inside
    (["genre"], {"year_from": 2000}, "person_decades"),
    (["decade", "genre"], {"year_from": 1990, "year_to": 2009}, "genre_cells"),
    (["genre"], {"kinds": ["movie"]}, "key_credits"),
    (["kind", "genre"], {}, "key_credits"),
    (["genre"], {"roles": "director"}, "key_credits"),
])
def test_which_table_answers(store_path: Path, by: list[str], extra: dict[str, Any], reads: str) -> None:
    """The key roles over every kind read the stored cells or the person rows; anything else the credits (the
    test above checks that each gives the lists' answer)."""
    opts: dict[str, Any] = {"roles": None, "kinds": None, "year_from": None, "year_to": None, **extra}
    with open_store(store_path) as store:
        vocabulary = derived.genre_vocabulary(store)
        assert vocabulary
        sql, _ = genre_unit_cells(store, "people", opts["roles"], by, opts["kinds"], opts["year_from"],
                                  opts["year_to"], parse_sample("all"), vocabulary)
    tables = [t for t in ("genre_cells", "person_years", "person_decades", "key_credits") if t in sql]
    assert tables == reads.split(",")


def test_more_genres_than_mask_bits(tmp_path: Path) -> None:
    """A store with more distinct genres than the mask has bits keeps no mask (NULL) and no genre cells, and
    share --by genre then reads the titles' genre lists: each title's own genre counts its key-role people."""
    import shutil

    import duckdb

    from crewparity import api
    from crewparity.metrics.roles import key_roles
    from tests.conftest import IMDB_SAMPLE

    folder = tmp_path / "dump"
    shutil.copytree(IMDB_SAMPLE, folder)
    basics = folder / "title.basics.tsv"
    lines = basics.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        fields = line.split("\t")
        fields[-1] = f"Genre{i:03d}"  # one genre of its own per title: 99 genres, more than the mask's 64 bits
        out.append("\t".join(fields))
    basics.write_text("\n".join(out) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    api.ingest_imdb(folder, db)
    with open_store(db) as store:
        assert derived.genre_vocabulary(store) is None
        assert store.rows("SELECT count(*), count(genre_mask) FROM key_credits")[0] == (122, 0)
        assert store.rows("SELECT count(*) FROM genre_cells") == [(0,)]
        got, _ = share_counts(store, by="genre")
    con = duckdb.connect(str(db), read_only=True)
    try:
        roles = ", ".join(f"'{r}'" for r in key_roles())
        want = dict(con.execute(f"""
            SELECT t.genres[1], count(DISTINCT c.person_id) FROM credits c JOIN titles t USING (title_id)
            WHERE c.role IN ({roles}) GROUP BY ALL""").fetchall())
    finally:
        con.close()
    assert len(want) > 64
    assert dict(zip(got["genre"].to_pylist(), got["total"].to_pylist(), strict=True)) == want


@pytest.mark.parametrize(("by", "extra"), [
    ("genre", {"roles": "director"}),
    ("decade,genre", {"roles": "director"}),
    ("genre,decade", {"roles": "writer,editor"}),
    ("genre", {"roles": "director,writer"}),
    ("genre", {"roles": "cinematographer,executive_producer"}),
])
def test_some_key_roles_from_the_person_rows(store_path: Path, by: str, extra: dict[str, Any]) -> None:
    """People of some of the key roles over every kind by genre are read from the person rows where a row holds
    no other key role, and from the credits for the rows that do: the same table as the credits' alone."""
    with open_store(store_path) as store:
        sql, _ = genre_unit_cells(store, "people", extra["roles"], [b for b in by.split(",")], None,
                                  extra.get("year_from"), extra.get("year_to"), parse_sample("all"),
                                  derived.genre_vocabulary(store) or [])
        assert "own_rows" in sql
        fast, _ = share_counts(store, by=by, unit="people", **extra)
        slow, _ = share_counts(store, by=by, unit="people", rollups=False, **extra)
    assert fast.num_rows > 3
    assert comparable_rows(fast) == comparable_rows(slow)


@pytest.mark.parametrize(("by", "roles"), [
    ("decade,genre", "director"), ("genre", "director"), ("decade,genre", "writer"), ("genre", "director,writer"),
    ("genre", "producer,executive_producer"),
])
def test_person_rows_with_other_key_roles(tmp_path: Path, by: str, roles: str) -> None:
    """A person row that also holds another key role (Alice directed and wrote Film One in 2016, and directed
    episodes alone in 2015 and 2018) is worked out from the credits, the others read as they are: the same table
    as the credits'. The hand-written store has both kinds of rows for the directors."""
    from crewparity.metrics.roles import key_roles
    from tests._metrics_store import build_store

    db = build_store(tmp_path)
    director = derived.hugeint(derived.mask_for(["director"], None))
    others = derived.hugeint(derived.mask_for([r for r in key_roles() if r != "director"], None))
    with open_store(db) as store:
        for table in ("person_years", "person_decades", "person_all"):
            alone, mixed = store.rows(f"""SELECT count(*) FILTER (WHERE (mask & {others}) = 0),
                                                 count(*) FILTER (WHERE (mask & {others}) <> 0)
                                          FROM {table} WHERE (mask & {director}) <> 0""")[0]
            assert alone > 0 and mixed > 0, table
        fast, _ = share_counts(store, by=by, unit="people", roles=roles)
        slow, _ = share_counts(store, by=by, unit="people", roles=roles, rollups=False)
    assert fast.num_rows >= 2
    assert comparable_rows(fast) == comparable_rows(slow)
