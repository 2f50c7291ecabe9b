"""The report's note under a study comparison says when our ``top:N`` sample holds fewer titles than the study's
N, as the comparison's chart (under its subtitle) and ``crewparity compare`` (on stderr) say it.

Why: on a synthetic store the Celluloid Ceiling 2015 row compared 37 titles (all the store's movies with IMDb
votes that year) with the study's top 250, and the note under the table, which a journalist quotes with the
table, read "Ours: movie, sample top:250" with nothing to say the 250 were 37."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli, synth_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_store(tmp_path_factory, "report_compare_short", seed=3)


def _note(md: str, study: str) -> str:
    """The paragraph under the comparison's heading."""
    part = md.split(f"### {study}", 1)[1].split("\n", 1)[1]
    return part.strip().split("\n\n", 1)[0]


def _short_years(note: str, n: int) -> list[tuple[int, int]]:
    m = re.search(rf"has fewer than the study's {n} titles in \d+ years?: ([^;]+);", note)
    assert m, note
    return [(int(y), int(t)) for y, t in re.findall(r"(\d{4}) \((\d+)\)", m.group(1))]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_note_under_a_short_top_n_comparison_says_so(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    r = run_cli("report", "-o", str(out), "--from", "2015", "--to", "2015", "--db", str(db))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    cli = run_cli("compare", "celluloid_ceiling", "--from", "2015", "--to", "2015", "--db", str(db))
    assert cli.returncode == 0, cli.stderr
    if fmt == "md":
        note = _note(text, "The Celluloid Ceiling")
    else:
        section = text.split("The Celluloid Ceiling", 1)[1]
        note = html.unescape(re.search(r'<p class="note">(.*?)</p>', section, re.S).group(1))  # type: ignore[union-attr]
    assert "Ours: movie, sample top:250" in note
    [(year, titles)] = _short_years(note, 250)
    assert year == 2015 and 0 < titles < 250
    # the same years and counts as the CLI says on stderr
    assert f"2015 ({titles})" in cli.stderr
    assert note.count("the store has no more movie titles with IMDb votes there.") == 1


def test_a_study_whose_sample_is_not_top_n_says_nothing_of_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    r = run_cli("report", "-o", str(out), "--from", "2015", "--to", "2015", "--db", str(db))
    assert r.returncode == 0, r.stderr
    md = out.read_text(encoding="utf-8")
    assert "fewer than the study's" in _note(md, "The Celluloid Ceiling")
    for study in re.findall(r"^### (.+)$", md, re.M):
        note = _note(md, study)
        if "sample top:" not in note:
            assert "fewer than the study's" not in note, (study, note)
