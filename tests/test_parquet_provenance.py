"""A Parquet export says what it counts and how to make it again (schema metadata): a review found a
``--unit credits`` file and a ``--unit people`` file indistinguishable once passed on."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity import __version__
from tests.conftest import run_cli


@pytest.mark.parametrize("args", [
    ("share", "--by", "role", "--unit", "credits"),
    ("series", "tt2357547"),
    ("distribution", "--kind", "tv_series", "--part", "buckets"),
])
def test_parquet_carries_the_command_and_the_notes(demo_db_names_only: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    target = tmp_path / "out.parquet"
    r = run_cli(*args, "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    meta = {k.decode(): v.decode() for k, v in (pq.read_schema(target).metadata or {}).items()}
    assert meta["crewparity.command"] == " ".join(["crewparity", *args, "--db", str(demo_db_names_only), "-o", str(target)])
    assert meta["crewparity.version"] == __version__
    assert meta["crewparity.title"]
    if args[0] == "share":
        assert "(unit: credits)" in meta["crewparity.title"]
        assert meta["crewparity.notes"].startswith("crewparity share --by role --unit credits")
    # the rows are as they were
    assert pq.read_table(target).num_rows > 0
