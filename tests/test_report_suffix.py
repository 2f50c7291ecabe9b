"""`crewparity report -o report.pdf` is refused before any work, as `chart -o x.gif` is: it wrote HTML under the
.pdf name, silently, a file a PDF viewer cannot open. --format says what to write under any name."""

from __future__ import annotations

from pathlib import Path

import pytest

from crewparity.errors import ArgumentError
from crewparity.report import build_report
from tests._reliability import assert_one_line_error
from tests.conftest import run_cli


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.csv"])
def test_another_suffix_is_refused_and_nothing_is_written(name: str, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = run_cli("report", "-o", str(out), "--db", str(store))
    assert_one_line_error(result, f"{name}: the report is HTML (.html) or Markdown (.md)", "--format html|md")
    assert not list(out.parent.iterdir())
    with pytest.raises(ArgumentError, match="the report is HTML"):
        build_report(store, out)


@pytest.mark.parametrize("name,args,start", [
    ("report.pdf", ["--format", "html"], "<!doctype html>"),      # the user said what to write
    ("report.txt", ["--format", "md"], "# "),
    ("report", [], "<!doctype html>"),                            # no suffix: HTML, as before
    ("REPORT.HTM", [], "<!doctype html>"),
    ("report.markdown", [], "# "),
])
def test_html_md_or_a_given_format_is_written(name: str, args: list[str], start: str, store: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / name
    result = run_cli("report", "-o", str(out), *args, "--db", str(store))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").lower().startswith(start.lower())


@pytest.mark.parametrize("report,message", [
    ("report.pdf", "report.pdf: the report is HTML (.html) or Markdown (.md), not .pdf; give -o report.html or report.md"),
    ("missing/report.html", "report.html: the report output's folder does not exist"),
])
def test_demo_checks_its_report_path_before_building_the_store(report: str, message: str, tmp_path: Path) -> None:
    """`crewparity demo -o PATH` built the whole store and only then failed on its report path (a missing folder), or
    wrote HTML under a .pdf name; it is refused first, with nothing written (demo has no --format to offer)."""
    result = run_cli("demo", "-o", report, "--db", "d.duckdb", cwd=tmp_path)
    line = assert_one_line_error(result, message)
    assert "--format" not in line
    assert not list(tmp_path.iterdir())
