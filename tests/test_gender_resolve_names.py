"""Resolution with the first-name model: recorded evidence first, the name model only for people without any."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crewparity.gender import names
from crewparity.store import writing

JJ = "tt2357547"


@pytest.fixture(scope="module")
def demo_db(demo_db_names_only: Path) -> Path:
    return demo_db_names_only


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_person_has_one_row_and_records_win(demo_db: Path) -> None:
    people = _rows(demo_db, "SELECT count(DISTINCT person_id) FROM (SELECT person_id FROM people "
                            "UNION ALL SELECT person_id FROM credits)")[0][0]
    assert _rows(demo_db, "SELECT count(*), count(DISTINCT person_id) FROM resolved_gender")[0] == (people, people)
    # anyone with Wikidata evidence resolves from Wikidata with p 0/1, never from the name model
    bad = _rows(demo_db, """SELECT r.person_id FROM resolved_gender r JOIN gender_evidence e USING (person_id)
                            WHERE r.source IN ('name_model', 'none')""")
    assert bad == []
    assert _rows(demo_db, "SELECT DISTINCT p_woman FROM resolved_gender WHERE source = 'wikidata' ORDER BY 1") == \
        [(0.0,), (1.0,)]


def test_name_model_rows_follow_the_band(demo_db: Path) -> None:
    lo, hi = names.ABSTAIN_BAND
    rows = _rows(demo_db, "SELECT gender, p_woman FROM resolved_gender WHERE source = 'name_model'")
    assert rows
    for gender, p in rows:
        assert p is not None
        expected = "woman" if p >= hi else "man" if p <= lo else "unknown"
        assert gender == expected, (gender, p)
    assert _rows(demo_db, "SELECT count(*) FROM resolved_gender WHERE source = 'none' AND "
                          "(p_woman IS NOT NULL OR gender <> 'unknown')")[0][0] == 0


def test_jessica_jones_season_2_directors(demo_db: Path) -> None:
    rows = _rows(demo_db, """
        SELECT DISTINCT p.name, r.gender, r.source FROM titles t JOIN credits c USING (title_id)
        JOIN resolved_gender r ON r.person_id = c.person_id JOIN people p ON p.person_id = c.person_id
        WHERE t.series_id = ? AND t.season = 2 AND c.role = 'director'""", [JJ])
    assert len(rows) == 13
    assert [r for r in rows if r[1] == "man"] == []
    by_name = {r[0]: (r[1], r[2]) for r in rows}
    assert by_name["Deborah Chow"] == ("woman", "name_model")
    assert by_name["Anna Foerster"] == ("woman", "wikidata")
    assert by_name["Zetna Fuentes"] == ("unknown", "none")  # a name the model has never seen


def test_model_recorded_in_sources_and_meta(demo_db: Path) -> None:
    src = _rows(demo_db, "SELECT count(*), any_value(detail) FROM sources WHERE source = 'name_model'")[0]
    assert src[0] == 1 and "abstain band" in src[1]
    meta = dict(_rows(demo_db, "SELECT key, value FROM meta"))
    lo, hi = names.ABSTAIN_BAND
    assert meta["name_model_band"] == f"{lo},{hi}"


def test_initials_are_never_guessed(tmp_path: Path) -> None:
    db = tmp_path / "i.duckdb"
    with writing(db) as store:
        store.con.execute("""INSERT INTO people VALUES ('nm1', 'S. J. Clarkson', NULL, NULL, ['director'], 'imdb'),
                             ('nm2', 'Jennifer Lynch', NULL, NULL, ['director'], 'imdb'),
                             ('nm3', 'Leslie Nielsen', 1926, NULL, ['director'], 'imdb'),
                             ('nm4', 'Jet Wilkinson', NULL, NULL, ['director'], 'imdb'),
                             ('nm5', 'Jet Smith', NULL, NULL, ['actress'], 'imdb')""")
        # many recorded women named Jet: the store adapts the prior
        store.con.execute("INSERT INTO people SELECT 'nx' || i, 'Jet X' || i, NULL, NULL, ['actress'], 'imdb' "
                          "FROM range(3000) t(i)")
        store.con.execute("INSERT INTO gender_evidence SELECT 'nx' || i, 'woman', 'imdb', 1.0, 'actress' "
                          "FROM range(3000) t(i)")
        from crewparity.gender.resolve import resolve

        counts = resolve(store)
    assert counts["imdb"] == 3000
    got = {r[0]: r[1:] for r in _rows(db, "SELECT person_id, gender, source, p_woman FROM resolved_gender")}
    assert got["nm1"] == ("unknown", "none", None)
    assert got["nm2"][:2] == ("woman", "name_model")
    assert got["nm3"][:2] == ("man", "name_model")  # Leslie born 1926
    assert got["nm4"][:2] == ("woman", "name_model")  # adapted: 3000 recorded Jets are women
    assert got["nm5"][:2] == ("woman", "name_model")


def test_resolve_without_the_model(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    with writing(db) as store:
        store.con.execute("INSERT INTO people VALUES ('nm2', 'Jennifer Lynch', NULL, NULL, ['director'], 'imdb')")
        from crewparity.gender.resolve import resolve

        assert resolve(store, name_model=False) == {"none": 1}
        assert resolve(store) == {"name_model": 1}
