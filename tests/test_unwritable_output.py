"""A report or chart whose file cannot be written after the up-front path check passed (a folder the user cannot
write in, a full disk) is one line naming the file, exit 1, as a table's --output is: `report -o` and `chart -o`
gave a FileNotFoundError traceback. /proc is a real folder no one can create files in, root included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._reliability import assert_one_line_error
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")


@pytest.mark.parametrize("args,message", [
    (["report", "-o", "/proc/r.html"], "/proc/r.html: cannot write the report ("),
    (["report", "-o", "/proc/r.md"], "/proc/r_charts: cannot write the report's charts ("),
    (["chart", "trend", "-o", "/proc/c.svg"], "/proc/c.svg: cannot write the chart output ("),
    (["chart", "distribution", "-o", "/proc/c.png"], "/proc/c.png: cannot write the chart output ("),
])
def test_a_file_that_cannot_be_written_is_one_line(args: list[str], message: str, sample_store: Path) -> None:
    result = run_cli(*args, "--db", str(sample_store))
    assert_one_line_error(result, message)


def test_a_chart_is_written_whole_and_leaves_no_temporary_file(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.svg"
    assert run_cli("chart", "trend", "-o", str(out), "--db", str(sample_store)).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["c.svg"] and out.read_text(encoding="utf-8").startswith("<svg")
