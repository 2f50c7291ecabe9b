"""``report`` and ``chart`` over ``--sample list:/dev/stdin`` (or ``list:<(...)``, any pipe): the list is gone once
read, so the report's own "Reproduce:" line cannot be rerun and a chart cannot be drawn again from the command that
drew it. The report says so under its line in the words every table's line uses
(:func:`crewparity.output.command_line`); a chart, which may be shown alone, says where its list came from and that
it is gone. Real pipes, real processes."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from crewparity.output import list_rerun_note
from tests.conftest import run_cli

IDS = "tt0000003\ntt0000007\n"  # titles of the real sample with key-role credits
STDIN_NOTE = ("The list was read from standard input; save it to a file and give --sample list:FILE to rerun "
              "this line.")


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}


def _from_stdin(*args: str) -> subprocess.CompletedProcess[str]:
    """``printf IDS | crewparity ARGS``: the ids through a real pipe on standard input."""
    return subprocess.run([sys.executable, "-m", "crewparity", *args], input=IDS, capture_output=True, text=True,
                          env=_env(), timeout=600)


def _over_process_substitution(*args: str) -> subprocess.CompletedProcess[str]:
    """``crewparity ARGS --sample list:<(printf IDS)``: the list through a pipe named /dev/fd/N."""
    cmd = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "crewparity", *args, "--sample"])
    return subprocess.run(["bash", "-c", f"{cmd} list:<(printf {shlex.quote(IDS)})"], capture_output=True,
                          text=True, env=_env(), timeout=600)


def test_markdown_report_says_its_line_cannot_be_rerun(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    r = _from_stdin("report", "--sample", "list:/dev/stdin", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    reproduce = next(i for i, line in enumerate(lines) if line.startswith("Reproduce: `"))
    assert lines[reproduce] == (f"Reproduce: `crewparity report -o {out} --sample list:/dev/stdin --kind movie "
                                f"--unit people --format md --db {sample_store}`")
    assert lines[reproduce + 1] == STDIN_NOTE


def test_html_report_names_the_pipe(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = _over_process_substitution("report", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    line = next(x for x in html.splitlines() if 'id="reproduce"' in x)
    assert "--sample list:/dev/fd/" in line
    assert ", a pipe, which cannot be read again; save it to a file and give --sample list:FILE to rerun this " \
           "line.</p>" in line


def test_a_report_over_a_list_in_a_file_has_no_note(sample_store: Path, tmp_path: Path) -> None:
    listed, out = tmp_path / "ids.txt", tmp_path / "r.md"
    listed.write_text(IDS, encoding="utf-8")
    r = run_cli("report", "--sample", f"list:{listed}", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert f"--sample list:{listed} --kind movie" in text
    assert "The list was read from" not in text


def test_chart_over_standard_input_says_so(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    r = _from_stdin("chart", "distribution", "--sample", "list:/dev/stdin", "-o", str(out), "--db",
                    str(sample_store))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    # (the chart's text is wrapped into lines; its accessible description holds each line whole)
    assert "sample: the titles of a list read from standard input" in svg
    assert "the titles listed in stdin" not in svg
    said = list_rerun_note("list:/dev/stdin")
    assert said is not None
    assert (said.partition("; save")[0] + "; save it to a file and give --sample list:FILE to draw this chart "
            "again.") in svg


def test_trend_chart_over_a_pipe_names_it(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.svg"
    r = _over_process_substitution("chart", "trend", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "sample: the titles of a list read from a pipe (/dev/fd/" in svg
    assert ", a pipe, which cannot be read again; save it to a file and give --sample list:FILE to draw this " \
           "chart again." in svg


def test_chart_over_a_list_in_a_file_has_no_note(sample_store: Path, tmp_path: Path) -> None:
    listed, out = tmp_path / "ids.txt", tmp_path / "d.svg"
    listed.write_text(IDS, encoding="utf-8")
    r = run_cli("chart", "distribution", "--sample", f"list:{listed}", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "sample: the titles listed in ids.txt" in svg
    assert "The list was read from" not in svg
