"""Without --format, the --output suffix chooses the format (.csv, .json, .parquet; anything else: table), as
`report -o` and `chart -o` do; an explicit --format still wins."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import run_cli

COMMANDS = {
    "share": ["share", "--by", "role"],
    "series": ["series", "Jessica"],
    "distribution": ["distribution", "--part", "roles"],
    "compare": ["compare", "celluloid_ceiling"],
}


def _write(tmp_path: Path, db: Path, command: str, name: str, *extra: str) -> Path:
    target = tmp_path / name
    result = run_cli(*COMMANDS[command], *extra, "-o", str(target), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    return target


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_suffix_chooses_the_format(command: str, tmp_path: Path, demo_db_names_only: Path) -> None:
    db = demo_db_names_only
    assert pq.read_table(_write(tmp_path, db, command, "t.parquet")).num_rows > 0
    csv_text = _write(tmp_path, db, command, "t.CSV").read_text(encoding="utf-8")
    assert "┏" not in csv_text and "," in csv_text.splitlines()[0]
    rows = json.loads(_write(tmp_path, db, command, "t.json").read_text(encoding="utf-8"))
    assert isinstance(rows, list) and rows
    for name in ("t.txt", "t"):
        assert "┏" in _write(tmp_path, db, command, name).read_text(encoding="utf-8")


def test_explicit_format_wins(tmp_path: Path, demo_db_names_only: Path) -> None:
    text = _write(tmp_path, demo_db_names_only, "share", "t.parquet", "-f", "csv").read_text(encoding="utf-8")
    assert text.startswith("role,women,men")
    assert "┏" in _write(tmp_path, demo_db_names_only, "share", "t.json", "-f", "table").read_text(encoding="utf-8")


def test_distribution_both_parts_to_a_csv_file_names_the_output(tmp_path: Path, demo_db_names_only: Path) -> None:
    target = tmp_path / "d.csv"
    result = run_cli("distribution", "-o", str(target), "--db", str(demo_db_names_only))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"crewparity: error: --output {target} (csv) writes one table: "
                                     "add --part buckets or --part roles (--format json writes both parts as one object)")
    assert not target.exists()


def test_without_output_the_default_is_still_table(demo_db_names_only: Path) -> None:
    result = run_cli("share", "--by", "role", "--db", str(demo_db_names_only))
    assert result.returncode == 0 and "┏" in result.stdout
    parquet = run_cli("share", "-f", "parquet", "--db", str(demo_db_names_only))
    assert parquet.returncode == 1 and parquet.stderr == "crewparity: error: --format parquet needs --output FILE\n"


def test_help_says_the_suffix_chooses() -> None:
    for command in ("share", "series", "distribution", "compare"):
        out = " ".join(run_cli(command, "--help").stdout.split())
        assert "suffix" in out, command
