"""The derived query tables (metrics/derived.py) give exactly what the canonical tables give.

Why: every figure now reads ``key_credits``, ``person_years``, ``credit_cells``, ``episodes`` and
``episode_directors`` instead of joining credits, titles and resolved_gender per question. These tests count
the same things straight from the canonical tables (plain SQL written here, not the module's) and from the
pre-aggregated paths, on a synth store with every kind, null years and the first-name model at work.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crewparity import api, synth
from crewparity.errors import StoreError
from crewparity.metrics import derived
from crewparity.metrics.episodes import rank_seasons, series_seasons
from crewparity.metrics.share import share_counts
from crewparity.schema import DERIVED_TABLES
from crewparity.store import open_store, writing


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("derived")
    dump = base / "dump"
    synth.generate(dump, 0.002, seed=5)
    db = base / "s.duckdb"
    api.ingest_imdb(dump, db)
    return db


def _rows(table: Any, cols: list[str]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    out = {}
    for r in table.to_pylist():
        hist: dict[float, int] = {}
        for b, n in zip(r["p_bins"] or [], r["p_counts"] or [], strict=True):
            hist[round(b, 6)] = hist.get(round(b, 6), 0) + n
        out[tuple(r[c] for c in cols)] = (r["women"], r["men"], r["nonbinary"], r["unknown"], r["total"],
                                          r["rec_women"], r["rec_men"], r["no_info"], r["inferred"],
                                          tuple(sorted(hist.items())))
    return out


@pytest.mark.parametrize("unit", ["people", "credits"])
@pytest.mark.parametrize(("by", "roles", "kinds", "years"), [
    ("year", None, None, (None, None)),
    ("decade", "director,writer", None, (None, None)),
    ("none", None, "movie,tv_series", (1990, 2020)),
    ("kind", None, None, (None, None)),
    ("year,kind", "director", "tv_series,tv_mini_series,movie", (2000, None)),
    ("role", None, None, (None, 2010)),
    ("kind,role", "producer,editor,cinematographer", None, (None, None)),
    ("decade,kind,role", "director,writer", "movie,short", (None, None)),
    # whole decades: the decade rows answer (people counted per decade, or once over the decades)
    ("none", None, None, (2000, 2019)),
    ("decade", None, "movie", (1990, None)),
    ("kind", "director", None, (None, 1999)),
    ("decade,role", "director,writer,editor", None, (1980, 2009)),
    # by decade over a range that cuts decades: whole decades from the decade cells, the cut ones from the years
    ("decade", None, None, (1995, None)),
    ("decade,kind", "director", None, (1985, 2014)),
    ("decade", None, "movie", (None, 2004)),
    ("decade", None, None, (1995, 2003)),
])
def test_rollups_count_what_the_credit_rows_count(store_path: Path, unit: str, by: str, roles: str | None,
                                                  kinds: str | None, years: tuple[int | None, int | None]) -> None:
    with open_store(store_path) as store:
        fast, cols = share_counts(store, roles, by, kinds, years[0], years[1], "all", unit)
        slow, cols2 = share_counts(store, roles, by, kinds, years[0], years[1], "all", unit, rollups=False)
    assert cols == cols2
    assert fast.num_rows > 0
    assert _rows(fast, cols) == _rows(slow, cols)


def test_people_by_year_against_plain_sql(store_path: Path) -> None:
    """Distinct directors of movies and series per year, counted from credits, titles and resolved_gender."""
    with open_store(store_path) as store:
        table, _ = share_counts(store, "director", "year", "movie,tv_series", None, None, "all", "people")
        got = {r["year"]: (r["women"], r["total"]) for r in table.to_pylist()}
        want = dict(((y, (w, n)) for y, w, n in store.rows(
            """WITH rolled AS (
                   SELECT t.title_id, t.year, coalesce(s.kind, t.kind) AS kind
                   FROM titles t LEFT JOIN titles s ON s.title_id = t.series_id
                        AND s.kind NOT IN ('tv_episode', 'movie', 'short', 'video_game'))
               SELECT r.year, count(DISTINCT c.person_id) FILTER (WHERE g.gender = 'woman'),
                      count(DISTINCT c.person_id)
               FROM credits c JOIN rolled r USING (title_id) LEFT JOIN resolved_gender g USING (person_id)
               WHERE c.role = 'director' AND r.kind IN ('movie', 'tv_series')
               GROUP BY r.year""")))
    assert got == want
    assert sum(n for _, n in got.values()) > 100


def test_episodes_table_matches_the_credits(store_path: Path) -> None:
    with open_store(store_path) as store:
        (sid,) = store.rows("""SELECT series_id FROM episodes WHERE k IS NOT NULL
                               GROUP BY series_id ORDER BY count(*) DESC, series_id LIMIT 1""")[0]
        seasons = series_seasons(store, sid, include_pilots=True).to_pylist()
        # every episode of the series: those with a director credit in total (and women), the others in no_director
        want = store.rows(
            """WITH per_ep AS (
                   SELECT t.title_id, t.season,
                          coalesce(bool_or(g.gender = 'woman'), false) AS any_w, count(c.person_id) AS k
                   FROM titles t LEFT JOIN credits c ON c.title_id = t.title_id AND c.role = 'director'
                   LEFT JOIN resolved_gender g ON g.person_id = c.person_id
                   WHERE t.series_id = ? GROUP BY t.title_id, t.season)
               SELECT season, count(*) FILTER (WHERE k > 0), count(*) FILTER (WHERE any_w),
                      count(*) FILTER (WHERE k = 0)
               FROM per_ep GROUP BY season""", [sid])
    assert {r["season"]: (r["total"], r["women"], r["no_director"]) for r in seasons} == {
        s: (n, w, nd) for s, n, w, nd in want}
    assert any(nd for *_, nd in want)  # the synth series has episodes without a director credit


def test_episode_tables_are_stored_in_series_order_and_agree(store_path: Path) -> None:
    """Both episode tables are in series order as stored (no ORDER BY when read): ``episodes`` one row per
    episode, ``episode_directors`` one row per episode and director (none for an episode without one), each
    episode's directors in name order, and the counts of ``episodes`` those of its director rows."""
    with open_store(store_path) as store:
        for table, key in (("episodes", "series_id, season NULLS LAST, episode NULLS LAST, title_id"),
                           ("episode_directors", "series_id, title_id, director")):
            misplaced = store.rows(
                f"""WITH s AS (SELECT row_number() OVER () AS i, * FROM {table})
                    SELECT count(*) FROM (SELECT i, row_number() OVER (ORDER BY {key}, i) AS j FROM s)
                    WHERE i <> j""")[0][0]
            assert misplaced == 0, table
        assert store.rows("SELECT count(*) FROM episodes")[0][0] == store.rows(
            "SELECT count(*) FROM titles WHERE series_id IS NOT NULL")[0][0]
        assert store.rows("SELECT count(*) FROM episodes GROUP BY title_id HAVING count(*) > 1") == []
        assert store.rows("SELECT count(*) FROM episode_directors WHERE person_id IS NULL")[0][0] == 0
        # every director row belongs to an episode of the series it names
        assert store.rows("""SELECT count(*) FROM episode_directors d ANTI JOIN episodes e
                             ON e.title_id = d.title_id AND e.series_id = d.series_id""")[0][0] == 0
        diff = store.rows(
            """SELECT count(*) FROM episodes e FULL JOIN (
                   SELECT title_id, count(*) AS k,
                          count(*) FILTER (WHERE gender = 'woman') AS w, count(*) FILTER (WHERE gender = 'man') AS m
                   FROM episode_directors GROUP BY title_id) d USING (title_id)
               WHERE coalesce(e.k, 0) <> coalesce(d.k, 0) OR coalesce(e.w, 0) <> coalesce(d.w, 0)
                  OR coalesce(e.m, 0) <> coalesce(d.m, 0)""")[0][0]
        assert diff == 0
        assert store.rows("SELECT count(*) FROM episodes WHERE k > 1")[0][0] > 0  # the test sees several directors
        assert store.rows("SELECT count(*) FROM episodes WHERE k IS NULL")[0][0] > 0  # and episodes without one


def test_every_write_rebuilds_them(store_path: Path, tmp_path: Path) -> None:
    """An override changes a director's gender: the series counts and the shares follow at once."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with open_store(db) as store:
        pid, sid = store.rows("""SELECT person_id, series_id FROM episode_directors
                                 WHERE gender = 'man' ORDER BY series_id, title_id LIMIT 1""")[0]
        before = {r["season"]: r["women"] for r in series_seasons(store, sid, include_pilots=True).to_pylist()}
    overrides = tmp_path / "o.csv"
    overrides.write_text(f"person_id,gender,note\n{pid},woman,test\n", encoding="utf-8")
    api.ingest_overrides(overrides, db)
    with open_store(db) as store:
        after = {r["season"]: r["women"] for r in series_seasons(store, sid, include_pilots=True).to_pylist()}
        (gender,) = store.rows(f"""WITH x AS (SELECT ?::VARCHAR AS pid)
                                   SELECT DISTINCT {derived.decode_gender_sql('ge')} FROM key_credits, x
                                   WHERE person_key = {derived.person_key_sql('x.pid')}""", [pid])[0]
    assert gender == "woman"
    assert sum(after.values()) > sum(before.values())


def test_a_changed_pilot_rule_is_applied_without_a_rebuild(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with writing(db) as store:
        store.con.execute("UPDATE meta SET value = '[\"something else\"]' WHERE key = ?", [derived.PILOT_RULE_KEY])
    with open_store(db) as store:
        assert derived.pilot_expr(store, "e") != "e.pilot"
        # (the worst list itself may be empty: synth leaves half its episodes without a director credit, and a
        # season with one is left out of the list and listed with undecided)
        assert rank_seasons(store, "worst", limit=5, undecided=True).num_rows > 0
    with open_store(store_path) as store:
        assert derived.pilot_expr(store, "e") == "e.pilot"


def test_a_store_without_them_is_refused(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    db.write_bytes(store_path.read_bytes())
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE episodes")
    con.close()
    with pytest.raises(StoreError, match="missing tables"):
        open_store(db)
    assert "episodes" in DERIVED_TABLES


def _differences(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Rows of each derived table in one store and not the other (EXCEPT ALL both ways), where any differ."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for t in DERIVED_TABLES:
        ab = con.execute(f"SELECT count(*) FROM (SELECT * FROM a.{t} EXCEPT ALL SELECT * FROM b.{t})").fetchall()[0][0]
        ba = con.execute(f"SELECT count(*) FROM (SELECT * FROM b.{t} EXCEPT ALL SELECT * FROM a.{t})").fetchall()[0][0]
        if ab or ba:
            out[t] = (ab, ba)
    con.close()
    return out


@pytest.mark.parametrize("in_place", [True, False])
def test_an_evidence_write_updates_them_as_a_rebuild_would(store_path: Path, tmp_path: Path, in_place: bool,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides change only gender evidence: the tables are updated in place for the people whose gender changed
    (or rebuilt when many changed); either way they must equal a full rebuild."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with open_store(db) as store:
        directors = store.rows("""SELECT DISTINCT person_id, gender FROM episode_directors
                                  WHERE person_id IS NOT NULL ORDER BY person_id LIMIT 40""")
    flip = {"woman": "man", "man": "woman"}
    lines = [f"{pid},{flip.get(g or '', 'nonbinary')},test" for pid, g in directors]
    overrides = tmp_path / "o.csv"
    overrides.write_text("person_id,gender,note\n" + "\n".join(lines) + "\n", encoding="utf-8")
    if in_place:
        def no_rebuild(store: object) -> None:
            raise AssertionError("an overrides write should update the query tables, not rebuild them")
        monkeypatch.setattr(derived, "rebuild", no_rebuild)
    else:
        monkeypatch.setattr(derived, "UPDATE_MAX_SHARE", 0.0)
    api.ingest_overrides(overrides, db)
    monkeypatch.undo()
    full = tmp_path / "full.duckdb"
    full.write_bytes(db.read_bytes())
    with writing(full) as store:
        derived.rebuild(store)
    assert _differences(db, full) == {}
    with open_store(db) as store:
        changed = store.rows("SELECT count(DISTINCT title_id) FROM episode_directors WHERE source = 'overrides'")[0][0]
    assert changed >= 40


def test_person_keys_keep_ids_apart() -> None:
    """The integer person key of the query tables is as distinct as the id: IMDb ids by their digits (leading
    zeros kept apart), other ids by their MD5 on the negative side."""
    con = duckdb.connect()
    ids = ["nm0000001", "nm1", "nm01", "nm0000010", "nm12345678", "tmdb:1", "tmdb:2", "demo:nm1", "nm1x", "NM1", ""]
    keys = [r[0] for r in con.execute(
        f"SELECT {derived.person_key_sql('id')} FROM unnest(?::VARCHAR[]) t(id)", [ids]).fetchall()]
    assert len(set(keys)) == len(ids)
    assert keys[:5] == [10000001, 11, 101, 10000010, 112345678]
    assert all(k < 0 for k in keys[5:])


def test_colliding_person_keys_stop_the_rebuild() -> None:
    """Two non-IMDb ids with one key would be counted as one person: the rebuild refuses, with a one-line error."""
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE cp_people AS SELECT * FROM (VALUES ('nm0000001', 10000001), ('tmdb:1', -5), "
                "('tmdb:2', -7)) t(person_id, person_key)")
    derived._check_person_keys(con)  # distinct keys: fine
    con.execute("UPDATE cp_people SET person_key = -5 WHERE person_id = 'tmdb:2'")
    with pytest.raises(StoreError, match="2 person ids gave 1 integer keys"):
        derived._check_person_keys(con)


def test_colliding_title_keys_stop_the_rebuild() -> None:
    """The same for titles: two non-IMDb title ids with one key would be counted as one title."""
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE title_keys AS SELECT * FROM (VALUES (-5, 'tmdb:movie:1'), (-7, 'tmdb:movie:2')) "
                "t(title_key, title_id)")
    derived._check_title_keys(con)
    con.execute("UPDATE title_keys SET title_key = -5")
    with pytest.raises(StoreError, match="2 title ids gave 1 integer keys"):
        derived._check_title_keys(con)


@pytest.mark.parametrize(("by", "years", "reads"), [
    ("none", (2000, 2019), "person_decades"),  # whole decades: each person once over the decades' rows
    ("decade", (1990, None), "people_cells"),  # whole decades by decade: the decade cells as they are
    ("none", (2000, 2015), "person_years"),  # a part of a decade needs the yearly rows
    ("decade", (1995, None), "people_cells,person_years"),  # the 2000s on stored, 1995-1999 from the years
    ("decade", (1995, 2003), "person_years"),  # no whole decade inside
])
def test_a_range_of_whole_decades_reads_the_decade_rows(store_path: Path, by: str, years: tuple[int | None, int | None],
                                                        reads: str) -> None:
    from crewparity.metrics.samples import parse_sample
    from crewparity.metrics.share import fast_cells, parse_by

    with open_store(store_path) as store:
        found = fast_cells(store, "people", parse_by(by), None, None, years[0], years[1], parse_sample("all"))
    assert found is not None
    tables = [t for t in ("people_cells", "person_decades", "person_years") if t in found[0]]
    assert tables == reads.split(",")


def test_key_credits_integers_say_what_the_canonical_tables_say(store_path: Path) -> None:
    """key_credits is all integers (title keys, role and kind codes, one gender-and-evidence code). Decoded here
    with plain SQL (not the module's decoders), every row must be a distinct crew credit of the canonical tables
    with its rolled-up title, year, kind and resolved gender, and the p bin that of p_woman."""
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        (kinds_json,) = con.execute("SELECT value FROM meta WHERE key = 'derived_kinds'").fetchall()[0]
        kinds = "[" + ", ".join(f"'{k}'" for k in json.loads(kinds_json)) + "]"
        roles = "[" + ", ".join(f"'{r}'" for r in derived.CREW_ROLES) + "]"
        genders = "[" + ", ".join(f"'{g}'" for g in derived.GENDER_CODES) + "]"
        title = ("CASE WHEN {k} >= 0 THEN 'tt' || substr({k}::VARCHAR, 2) "
                 "ELSE (SELECT title_id FROM title_keys WHERE title_key = {k}) END")
        decoded = f"""
            SELECT {title.format(k='credit_key')}, {title.format(k='title_key')}, person_key, {roles}[role_code + 1],
                   year, {kinds}[kind_code + 1], {genders}[ge // 8 + 1]
            FROM key_credits"""
        canonical = f"""
            WITH rolled AS (
                SELECT t.title_id AS credit_id, t.year, coalesce(s.title_id, t.title_id) AS title_id,
                       coalesce(s.kind, t.kind) AS kind
                FROM titles t LEFT JOIN titles s ON s.title_id = t.series_id
                     AND s.kind NOT IN ('tv_episode', 'movie', 'short', 'video_game'))
            SELECT DISTINCT r.credit_id, r.title_id, {derived.person_key_sql('c.person_id')}, c.role, r.year, r.kind,
                   coalesce(g.gender, 'unknown')
            FROM credits c JOIN rolled r ON r.credit_id = c.title_id LEFT JOIN resolved_gender g USING (person_id)
            WHERE c.role <> 'actor'"""
        def count_except(a: str, b: str) -> int:
            return int(con.execute(f"SELECT count(*) FROM (SELECT * FROM ({a}) EXCEPT ALL SELECT * FROM ({b}))")
                       .fetchall()[0][0])

        extra, missing = count_except(decoded, canonical), count_except(canonical, decoded)
        (n,) = con.execute("SELECT count(*) FROM key_credits").fetchall()[0]
        (bad_bins,) = con.execute(f"""
            SELECT count(*) FROM key_credits
            WHERE pbi IS DISTINCT FROM CASE WHEN ge % 8 = {derived.EV_CODES.index('model')}
                                            THEN round(round(p_woman, 2) * 100)::INTEGER END""").fetchall()[0]
        (model,) = con.execute("SELECT count(*) FROM key_credits WHERE pbi IS NOT NULL").fetchall()[0]
    finally:
        con.close()
    assert (extra, missing) == (0, 0)
    assert n > 1000
    assert bad_bins == 0
    assert model > 0


def test_a_kind_outside_the_known_ones_keeps_its_name(store_path: Path, tmp_path: Path) -> None:
    """IMDb may add a title type (its snake-case name becomes the kind): key_credits codes it after the known kinds
    (meta ``derived_kinds``), and every path gives it back by name with the counts of the credit rows."""
    db = tmp_path / "copy.duckdb"
    db.write_bytes(store_path.read_bytes())
    with writing(db) as store:
        store.con.execute("""UPDATE titles SET kind = 'podcast_series' WHERE title_id IN (
                                 SELECT title_id FROM titles WHERE kind = 'movie' ORDER BY title_id LIMIT 40)""")
        derived.rebuild(store)
    with open_store(db) as store:
        assert derived.kind_vocabulary(store.con)[-1] == "podcast_series"
        for unit in ("people", "credits", "titles"):
            fast, cols = share_counts(store, None, "kind", None, None, None, "all", unit)
            slow, _ = share_counts(store, None, "kind", None, None, None, "all", unit, rollups=False)
            assert _rows(fast, cols) == _rows(slow, cols)
            assert "podcast_series" in {r["kind"] for r in fast.to_pylist()}


@pytest.mark.parametrize("size", [1, 2, 3, 5, 6, 10])
def test_the_role_and_kind_filters_select_what_they_name(store_path: Path, size: int) -> None:
    """has_role_sql writes one or two roles as IN and more as a range of codes less its gaps (comparisons
    DuckDB pushes into the scan): every form selects exactly the credits whose decoded role is one of the
    roles."""
    import itertools

    con = duckdb.connect(str(store_path), read_only=True)
    try:
        for roles in [*itertools.islice(itertools.combinations(derived.CREW_ROLES, size), 12),
                      *itertools.islice(itertools.combinations(reversed(derived.CREW_ROLES), size), 12)]:
            got = con.execute(f"SELECT count(*) FROM key_credits k WHERE {derived.has_role_sql('k.role_code', roles)}"
                              ).fetchall()[0][0]
            want = con.execute(f"SELECT count(*) FROM key_credits k WHERE {derived.decode_role_sql('k.role_code')} "
                               f"IN ({', '.join(repr(r) for r in roles)})").fetchall()[0][0]
            assert got == want, roles
            assert (" IN (" in derived.has_role_sql("c", roles)) == (size <= 2)
        assert con.execute(f"SELECT count(*) FROM key_credits k WHERE {derived.has_role_sql('k.role_code', [])}"
                           ).fetchall()[0][0] == 0
        vocabulary = derived.kind_vocabulary(con)
        for kinds in itertools.islice(itertools.combinations(derived.MASK_KINDS, min(size, 5)), 12):
            got = con.execute(f"SELECT count(*) FROM key_credits k WHERE {derived.has_kind_sql('k.kind_code', kinds)}"
                              ).fetchall()[0][0]
            names = ", ".join(repr(k) for k in kinds)
            want = con.execute(f"SELECT count(*) FROM key_credits k WHERE "
                               f"{derived.decode_kind_sql('k.kind_code', vocabulary)} IN ({names})").fetchall()[0][0]
            assert got == want, kinds
    finally:
        con.close()
