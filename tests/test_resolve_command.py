"""`crewparity resolve`: the query tables are brought up to date in place, or rebuilt with --rebuild.

Why: re-running resolve on a built store changes few people (new evidence written by another tool, a changed
band), and rebuilding every query table costs over a minute and 8 GB at full scale. Either way the tables must
be exactly what a full rebuild gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity import api
from crewparity.metrics import derived
from crewparity.store import open_store, writing
from tests.conftest import run_cli, synth_store
from tests.test_derived import _differences


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "resolve_cmd", seed=11)


def _with_new_evidence(src: Path, dst: Path) -> int:
    """A copy of the store where 25 directors gained a recorded gender opposite to what they have now, written
    straight into gender_evidence (as another tool would), without resolving."""
    dst.write_bytes(src.read_bytes())
    with writing(dst) as store:
        people = store.rows("""SELECT DISTINCT person_id, gender FROM episode_directors
                               WHERE gender IN ('woman', 'man') ORDER BY person_id LIMIT 25""")
        cols = [r[0] for r in store.rows("SELECT column_name FROM (DESCRIBE gender_evidence)")]
        for pid, gender in people:
            row = {"person_id": pid, "gender": "man" if gender == "woman" else "woman", "source": "overrides"}
            names = [c for c in cols if c in row]
            store.con.execute(f"INSERT INTO gender_evidence ({', '.join(names)}) VALUES "
                              f"({', '.join('?' for _ in names)})", [row[c] for c in names])
    return len(people)


def test_resolve_updates_in_place_as_a_rebuild_would(built: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.duckdb"
    assert _with_new_evidence(built, db) == 25

    def no_rebuild(store: object) -> None:
        raise AssertionError("resolve on a built store should update the query tables, not rebuild them")

    monkeypatch.setattr(derived, "rebuild", no_rebuild)
    counts = api.resolve_store(db)
    monkeypatch.undo()
    assert counts.get("overrides", 0) >= 25
    with open_store(db) as store:
        flipped = store.rows("SELECT count(DISTINCT person_id) FROM episode_directors WHERE source = 'overrides'")
    assert flipped[0][0] == 25
    full = tmp_path / "full.duckdb"
    full.write_bytes(db.read_bytes())
    with writing(full) as store:
        derived.rebuild(store)
    assert _differences(db, full) == {}


def test_resolve_rebuild_option(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "b.duckdb"
    _with_new_evidence(built, db)
    inplace = tmp_path / "c.duckdb"
    inplace.write_bytes(db.read_bytes())
    out = run_cli("resolve", "--rebuild", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "people per source of their gender" in out.stdout
    assert any(line.split("│")[1:3] and line.split("│")[1].strip() == "overrides"
               for line in out.stdout.splitlines() if "│" in line)
    out = run_cli("resolve", "--db", str(inplace))
    assert out.returncode == 0, out.stderr
    assert _differences(db, inplace) == {}
