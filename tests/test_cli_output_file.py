"""--output that cannot be written as a file (a folder, a missing folder) is one line and exit 1, for every
tabular command that writes through `emit` (share, series, distribution, compare), and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

COMMANDS = {
    "share": ["share", "--by", "role"],
    "series": ["series", "Jessica"],
    "distribution": ["distribution", "--part", "buckets"],
    "compare": ["compare", "celluloid_ceiling"],
    "credits": ["credits", "Jessica Jones"],
}


def _one_line_error(result: object, path: Path) -> str:
    assert result.returncode == 1, result.stdout + result.stderr  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("crewparity: error: "), err
    assert str(path) in err
    return err  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fmt", ["table", "parquet"])
def test_output_in_a_missing_folder(command: str, fmt: str, tmp_path: Path, demo_db_names_only: Path) -> None:
    target = tmp_path / "nope" / f"x.{fmt}"
    result = run_cli(*COMMANDS[command], "-f", fmt, "-o", str(target), "--db", str(demo_db_names_only))
    assert "folder does not exist" in _one_line_error(result, target)
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fmt", ["csv", None])
def test_output_that_is_a_folder(command: str, fmt: str | None, tmp_path: Path, demo_db_names_only: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    args = [*COMMANDS[command], *(["-f", fmt] if fmt else []), "-o", str(folder), "--db", str(demo_db_names_only)]
    result = run_cli(*args)
    assert "is a folder; give a file name" in _one_line_error(result, folder)
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


def test_output_is_checked_before_the_store_is_opened(tmp_path: Path) -> None:
    """A wrong --output is named even when the store is missing too: it is checked first, with no work done."""
    target = tmp_path / "nope" / "x.csv"
    result = run_cli("share", "-o", str(target), "--db", str(tmp_path / "missing.duckdb"))
    _one_line_error(result, target)


def test_a_good_output_is_written_whole(tmp_path: Path, demo_db_names_only: Path) -> None:
    target = tmp_path / "share.csv"
    result = run_cli("share", "--by", "role", "-f", "csv", "-o", str(target), "--db", str(demo_db_names_only))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("role,women,men")
    # no temporary file left beside it; its description beside it (tests/test_export_metadata.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["share.csv", "share.csv-metadata.json"]


def test_distribution_both_parts_go_into_one_file(tmp_path: Path, demo_db_names_only: Path) -> None:
    """Each part was written in turn to the same file, so only the second was left."""
    target = tmp_path / "dist.txt"
    result = run_cli("distribution", "-o", str(target), "--db", str(demo_db_names_only))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "Titles by number of women in the roles" in text and "Titles with no woman in each role" in text


def test_compare_table_goes_to_the_output_file(tmp_path: Path, demo_db_names_only: Path) -> None:
    """`compare -o FILE` in table format printed to the terminal and wrote nothing."""
    target = tmp_path / "compare.txt"
    result = run_cli("compare", "celluloid_ceiling", "-o", str(target), "--db", str(demo_db_names_only))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "published (theirs)" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["out.xlsx", "out.TSV", "out.ods"])
def test_output_named_for_a_format_crewparity_does_not_write(command: str, name: str, tmp_path: Path,
                                                             demo_db_names_only: Path) -> None:
    """`-o out.xlsx` wrote a box-drawn text table under a spreadsheet's name and said it wrote the rows: refused,
    naming the formats it writes; with --format, that format is written under the name asked for."""
    target = tmp_path / name
    result = run_cli(*COMMANDS[command], "-o", str(target), "--db", str(demo_db_names_only))
    err = _one_line_error(result, target)
    assert "does not write" in err and ".csv" in err
    assert not target.exists()
    ok = run_cli(*COMMANDS[command], "-o", str(target), "--format", "csv", "--db", str(demo_db_names_only))
    assert ok.returncode == 0, ok.stderr
    assert target.read_text(encoding="utf-8").splitlines()[0].count(",") >= 1
