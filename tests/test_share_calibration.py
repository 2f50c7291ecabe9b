"""share_expected on a store whose true genders are known (synth), with the recalibration resolve stores.

Why: the name model that resolve applies is adapted with the store's own recorded people, so it is not
calibrated at its prior's base rate; resolve measures the calibration it really has (meta
``name_model_calibration``) and every share estimate uses it. Synth names come from the same lists as the
model's prior, so this checks the mechanism, not real-world accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

import crewparity
from crewparity import api, synth
from crewparity.gender.estimate import CALIBRATION_MIN_PEOPLE
from crewparity.gender.resolve import CALIBRATION_KEY, stored_calibration
from crewparity.metrics.estimates import add_estimates
from crewparity.metrics.share import share_counts

ROLES = ("director", "writer", "producer", "editor", "cinematographer")


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("calib")
    dump = base / "dump"
    synth.generate(dump, 0.002, seed=3)
    db = base / "s.duckdb"
    api.ingest_imdb(dump, db)
    return dump, db


def test_resolve_stores_a_calibration(synth_store: tuple[Path, Path]) -> None:
    _, db = synth_store
    con = duckdb.connect(str(db), read_only=True)
    (value,) = con.execute("SELECT value FROM meta WHERE key = ?", [CALIBRATION_KEY]).fetchone() or (None,)
    con.close()
    cal = json.loads(value)
    assert cal["n"] >= CALIBRATION_MIN_PEOPLE
    assert cal["slope"] > 0 and 0 < cal["base_rate"] < 1


def test_the_same_files_give_the_same_store(synth_store: tuple[Path, Path], tmp_path: Path) -> None:
    """Two more ingests of the same dump: every table as in the first (EXCEPT ALL both ways; ``sources`` holds the
    load times), the calibration to the last digit. Its fit used to read the labelled people in the order a
    parallel join produced them, and the intercept's last digits, and every share_expected after it, moved
    between runs (four ingests of this dump gave four intercepts)."""
    dump, db = synth_store
    again = [tmp_path / "again1.duckdb", tmp_path / "again2.duckdb"]
    for other in again:
        api.ingest_imdb(dump, other)
    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS a (READ_ONLY)")
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' AND table_name <> 'sources'").fetchall()]
    assert "meta" in tables and "key_credits" in tables
    for i, other in enumerate(again):
        con.execute(f"ATTACH '{other}' AS b{i} (READ_ONLY)")
        for t in tables:
            for x, y in ((f"a.{t}", f"b{i}.{t}"), (f"b{i}.{t}", f"a.{t}")):
                n = con.execute(f"SELECT count(*) FROM (SELECT * FROM {x} EXCEPT ALL SELECT * FROM {y})").fetchall()[0][0]
                assert n == 0, f"{x} has {n} rows that {y} lacks"
    values = {con.execute(f"SELECT value FROM {d}.meta WHERE key = ?", [CALIBRATION_KEY]).fetchall()[0][0]
              for d in ("a", "b0", "b1")}
    con.close()
    assert len(values) == 1


def _truth(dump: Path, db: Path) -> dict[str, float]:
    """True women's share among the people credited in each role (all years), from the generator's truth file."""
    con = duckdb.connect(str(db), read_only=True)
    truth = str(dump / "truth.people.tsv.gz")
    rows = con.execute(
        f"""SELECT c.role, avg((t.gender = 'woman')::DOUBLE)
            FROM (SELECT DISTINCT role, person_id FROM credits WHERE role IN {ROLES}) c
            JOIN read_csv('{truth}', delim='\t', quote='', escape='', header=true, all_varchar=true) t
              ON t.nconst = c.person_id
            GROUP BY c.role"""
    ).fetchall()
    con.close()
    return {r: float(s) for r, s in rows}


def test_share_expected_covers_the_true_share_per_role(synth_store: tuple[Path, Path]) -> None:
    dump, db = synth_store
    truth = _truth(dump, db)
    with crewparity.open(db) as cp:
        table = cp.share(roles=list(ROLES), by="role", unit="people").to_pylist()
    assert {r["role"] for r in table} == set(ROLES)
    for r in table:
        assert r["inferred"] > 0, r["role"]
        assert r["ci_low"] <= truth[r["role"]] <= r["ci_high"], (r["role"], truth[r["role"]], r)


def test_share_uses_the_stored_calibration(synth_store: tuple[Path, Path]) -> None:
    _, db = synth_store
    with crewparity.open(db) as cp:
        store = cp.store
        assert stored_calibration(store) is not None
        raw, cols = share_counts(store, list(ROLES), "role", None, None, None, "all", "people")
        with_cal = add_estimates(raw, cols, calibration=stored_calibration(store))
        without = add_estimates(raw, cols, calibration=None)
        shipped = cp.share(roles=list(ROLES), by="role", unit="people")
    assert shipped["share_expected"].to_pylist() == with_cal["share_expected"].to_pylist()
    assert shipped["share_expected"].to_pylist() != without["share_expected"].to_pylist()


def test_the_method_text_states_the_calibration(synth_store: tuple[Path, Path]) -> None:
    from crewparity.report.method import calibration_text

    _, db = synth_store
    with crewparity.open(db) as cp:
        cal = stored_calibration(cp.store)
        text = calibration_text(cp.store)
    assert cal is not None
    assert f"recalibrated on {cal.n:,} people" in text and f"{cal.slope:.3f}" in text
