"""The report and the charts say the sample, the roles and the years in words, not as the options were typed.

Why: over ``--sample list:/dev/stdin`` the report's sentence over the headline read "Titles: movie, sample
list:/dev/stdin", a path that means nothing once the list is read (the charts said "the titles of a list read
from standard input"); the distribution section was titled "How many women a title employs (director,writer)";
and ``chart distribution`` said "years: all years" without naming them, where the overview says "all years
(1995–2021)"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crewparity.report.overview import describe
from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = ("title,year,name,role,gender\n"
        "Old Film,1995,Ana Lima,director,woman\n"
        "Old Film,1995,Bo Chen,writer,man\n"
        "New Film,2021,Bo Chen,director,man\n"
        "New Film,2021,Cy Dunn,executive_producer,woman\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("words"), "words", CREW)


def _svg_text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def test_the_overview_says_a_list_sample_as_the_charts_do() -> None:
    common = {"roles": None, "kind": "movie", "unit": "people", "year_from": None, "year_to": None}
    said = describe(sample="list:/dev/stdin", **common)
    assert "Titles: movie, the titles of a list read from standard input." in said and "/dev/stdin" not in said
    said = describe(sample="list:/data/films.txt", **common, years_seen=[2001, 2003])
    assert said.endswith("Titles: movie, the titles listed in films.txt, all years (2001–2003).")
    # the other samples as before (the dashboard renders the same sentence, with all and top:N only)
    assert describe(sample=None, **common).endswith("Titles: movie, all titles.")
    assert describe(sample="top:250", **common).endswith(
        "Titles: movie, the 250 titles of each year with the most IMDb votes.")


def test_the_report_over_a_list_from_stdin_says_so(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    r = subprocess.run([sys.executable, "-m", "crewparity", "report", "--sample", "list:/dev/stdin", "-o", str(out),
                        "--db", str(sample_store)], input="tt0000003\ntt0000007\n", capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    first = out.read_text(encoding="utf-8").splitlines()[2]
    assert "Titles: movie, the titles of a list read from standard input" in first, first
    assert "sample list:" not in first


def test_the_report_over_a_list_file_names_the_file(db: Path, tmp_path: Path) -> None:
    ids = tmp_path / "picked.txt"
    ids.write_text("tt0000003\n", encoding="utf-8")
    out = tmp_path / "r.md"
    r = run_cli("report", "--sample", f"list:{ids}", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "Titles: movie, the titles listed in picked.txt" in out.read_text(encoding="utf-8").splitlines()[2]


@pytest.mark.parametrize(("roles", "words"), [
    ("director,writer", "as directors and writers"),
    ("director,executive_producer", "as directors and executive producers"),
    (None, "as directors"),
])
def test_the_distribution_section_words_its_roles(db: Path, tmp_path: Path, roles: str | None, words: str) -> None:
    out = tmp_path / "r.md"
    r = run_cli("report", "-o", str(out), *(("--roles", roles) if roles else ()), "--db", str(db))
    assert r.returncode == 0, r.stderr
    md = out.read_text(encoding="utf-8")
    assert f"## How many women a title employs {words}\n" in md
    assert "(director" not in md.split("## How many women", 1)[1].split("\n", 1)[0]
    # the chart, read alone, carries the same title and names the years it pools
    svg = _svg_text(out.parent / "r_charts" / "distribution.svg")
    assert f"How many women a title employs {words}" in svg
    assert "years: all years (1995-2021)" in svg


def test_chart_distribution_names_the_years(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    r = run_cli("chart", "distribution", "--roles", "director", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    text = _svg_text(out)
    assert "years: all years (1995-2021)" in text, text
    # --from alone: the years the titles run to, as the overview says them
    r = run_cli("chart", "distribution", "--roles", "director", "--from", "2000", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "years: 2000-2021" in _svg_text(out)  # was "2000-…"
    r = run_cli("chart", "distribution", "--roles", "director", "--from", "1990", "--to", "2030", "-o", str(out),
                "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "years: 1990-2030" in _svg_text(out)
