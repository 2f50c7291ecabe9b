"""When a source was loaded is recorded in UTC, as the report's method section (``loaded_at_utc``), chart
footers and Parquet exports cite it, whatever the loading machine's time zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from tests.conftest import run_cli


def test_loaded_at_is_utc_on_a_machine_in_another_zone(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    overrides = tmp_path / "o.csv"
    overrides.write_text("person_id,gender,note\nnm0000001,woman,her own statement\n", encoding="utf-8")
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    # New York is 4-5 hours behind UTC: local time there is never within a minute of UTC
    result = run_cli("ingest", "overrides", str(overrides), "--db", str(db), env={"TZ": "America/New_York"})
    assert result.returncode == 0, result.stderr
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with duckdb.connect(str(db), read_only=True) as con:
        (loaded_at,) = con.execute("SELECT loaded_at FROM sources WHERE source = 'overrides'").fetchone()  # type: ignore[misc]
    assert before <= loaded_at <= after, (before, loaded_at, after)
