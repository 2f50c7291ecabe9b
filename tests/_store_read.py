"""Reading one value from a store file as a test checks it, read-only, with the connection closed after (a test's
open connection would hold the file a later write in the same test needs)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def store_value(db: Path, sql: str) -> str:
    """The first column of the first row ``sql`` returns from the store ``db``, as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql).fetchone()
        assert row is not None, sql
        return str(row[0])
    finally:
        con.close()
