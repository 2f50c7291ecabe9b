"""Step progress on stderr (`crewparity ingest imdb`, `demo`, `synth`): a live display on an interactive
terminal only; off one (a file, a pipe, CI, nohup) one plain line per finished step, no spinner frames, no
control codes, each step once, in the order the steps ran, and a failed run's stderr ending in the one error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests._reliability import copy_sample
from tests.conftest import run_cli

#: rich's spinner frames (braille), its cursor/erase codes, and its unfinished-task glyphs
LIVE_MARKS = re.compile(r"[\u2800-\u28ff]|\x1b\[")
DONE = r": done in \d+\.\d s"
MAIN_STEPS = ["titles (title.basics + title.episode + title.ratings)", "people (name.basics)",
              "directors and writers (title.crew)"]
SIDE_STEP = ("finishing what ran alongside the steps above: other key roles and cast (title.principals), "
             "then gender evidence (actress/actor labels)")


def _bad_line(folder: Path, name: str) -> str:
    """Append a line with two fields to ``name``; the one error line a failed ingest must print."""
    path = folder / f"{name}.tsv"
    n = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as fh:
        fh.write("tt0000001\tx\n")
    fields = len(path.read_text(encoding="utf-8").splitlines()[0].split("\t"))
    return f"crewparity: error: {path}:{n}: expected {fields} tab-separated fields, found 2\n"


def test_a_failed_first_step_leaves_only_the_error_line(tmp_path: Path, shared_data: Path) -> None:
    folder = copy_sample(tmp_path / "dump")
    error = _bad_line(folder, "title.basics")
    r = run_cli("ingest", "imdb", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 1
    assert r.stderr == error


def test_a_bad_folder_leaves_only_the_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_cli("ingest", "imdb", str(tmp_path / "empty"), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 1
    assert r.stderr.startswith(f"crewparity: error: {tmp_path / 'empty'}: empty folder;")
    assert r.stderr.count("\n") == 1 and r.stderr.endswith("\n")


def test_a_failed_later_step_lists_the_steps_done_then_the_error(tmp_path: Path, shared_data: Path) -> None:
    folder = copy_sample(tmp_path / "dump")
    error = _bad_line(folder, "title.crew")
    r = run_cli("ingest", "imdb", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 1
    lines = r.stderr.splitlines(keepends=True)
    assert len(lines) == 3 and lines[-1] == error, r.stderr
    for line, label in zip(lines[:2], MAIN_STEPS[:2], strict=True):
        assert re.fullmatch(re.escape(f"ingest imdb: {label}") + DONE + "\n", line), line


def test_a_good_ingest_lists_each_step_once_in_order(tmp_path: Path, shared_data: Path) -> None:
    r = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 0, r.stderr
    assert not LIVE_MARKS.search(r.stderr), r.stderr
    labels = [*MAIN_STEPS, SIDE_STEP, "resolving gender"]
    steps = r.stderr.splitlines()[:len(labels)]
    assert [re.sub(DONE + "$", "", s) for s in steps] == [f"ingest imdb: {label}" for label in labels], r.stderr
    assert all(re.search(DONE + "$", s) for s in steps)
    assert len(set(r.stderr.splitlines())) == len(r.stderr.splitlines())


def test_the_demo_lists_its_steps_in_order(tmp_path: Path) -> None:
    r = run_cli("demo", "--db", str(tmp_path / "d.duckdb"), "-o", str(tmp_path / "d.html"))
    assert r.returncode == 0, r.stderr
    assert not LIVE_MARKS.search(r.stderr), r.stderr
    steps = [re.sub(DONE + "$", "", s) for s in r.stderr.splitlines() if s.startswith("demo: ")]
    assert steps[:4] == [f"demo: {label}" for label in [*MAIN_STEPS, SIDE_STEP]]
    assert steps[-1] == "demo: report"


@pytest.mark.parametrize("bad", [False, True])
def test_a_forced_terminal_still_gets_the_live_display(tmp_path: Path, shared_data: Path, bad: bool) -> None:
    """rich's own switch (TTY_COMPATIBLE=1, TTY_INTERACTIVE=1) makes a pipe a terminal: spinner and redraws;
    a failed step's spinner is taken off before the error line, which stays the last."""
    folder = copy_sample(tmp_path / "dump")
    error = _bad_line(folder, "title.crew") if bad else ""
    r = run_cli("ingest", "imdb", str(folder), "--db", str(tmp_path / "x.duckdb"),
                env={"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"})
    assert r.returncode == int(bad), r.stderr
    assert LIVE_MARKS.search(r.stderr) and "\x1b[?25l" in r.stderr  # frames drawn, cursor hidden while live
    assert "ingest imdb: titles" in r.stderr
    if bad:
        assert r.stderr.endswith("\x1b[?25h" + error)  # cursor back, then only the error
        live = r.stderr[:-len(error)]
        final = live[live.rindex("\x1b[2K"):]  # the last frame drawn: the steps done, not the failed one
        assert "people (name.basics)" in final and "title.crew" not in final
