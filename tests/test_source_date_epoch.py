"""``$SOURCE_DATE_EPOCH`` pins the time a report or an export's metadata says it was written (the reproducible-builds
convention): two runs over the same store then give byte-identical files, which a reader can check. Without it a
report carried the minute it was written, so no two runs compared equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC


@pytest.mark.parametrize("name", ["r.md", "r.html"])
def test_two_reports_with_the_variable_are_the_same_bytes(demo_db_names_only: Path, tmp_path: Path,
                                                          name: str) -> None:
    texts = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        r = run_cli("report", "-o", name, "--db", str(demo_db_names_only), cwd=tmp_path / run,
                    env={"SOURCE_DATE_EPOCH": EPOCH})
        assert r.returncode == 0, r.stderr
        texts.append((tmp_path / run / name).read_bytes())
    assert texts[0] == texts[1]
    assert b"2026-01-01 00:00 UTC" in texts[0]


def test_an_export_says_it_was_created_then(demo_db_names_only: Path, tmp_path: Path) -> None:
    out = tmp_path / "share.csv"
    r = run_cli("share", "--by", "role", "-o", str(out), "--db", str(demo_db_names_only),
                env={"SOURCE_DATE_EPOCH": EPOCH})
    assert r.returncode == 0, r.stderr
    meta = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))
    assert meta["dc:created"]["@value"] == "2026-01-01T00:00:00Z"


def test_a_malformed_value_is_one_line_and_writes_nothing(demo_db_names_only: Path, tmp_path: Path) -> None:
    r = run_cli("report", "-o", "r.md", "--db", str(demo_db_names_only), cwd=tmp_path,
                env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert r.returncode != 0
    assert r.stderr.strip().count("\n") == 0 and "SOURCE_DATE_EPOCH='yesterday'" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "r.md").exists()
