"""``compare``'s terminal table shows the two unknown-gender bounds in one cell, lower first, on every row.

A review found "72.7%-68.2%" under ``if_unknown_men-women`` on the no-woman rows: for a share of titles with no
woman, unknowns counted as men give the higher figure, so the cell read backwards, like a typo when quoted. The
exported columns keep their stable names and values (``share_if_unknown_men`` / ``share_if_unknown_women``).

On the metrics test store Film Three (2017) is directed by C. J. Cole, of unknown gender: the Celluloid Ceiling's
2017 director row has no known woman (100%), 100% if the unknown is a man and 0% if a woman.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests._metrics_store import build_store
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("compare_bounds_order"))


def test_every_range_cell_reads_low_high(db: Path) -> None:
    res = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "--db", str(db),
                  env={"COLUMNS": "320"})
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    header = next(line for line in lines if "┃ period" in line)
    assert "if_unknown_low-high" in header and "if_unknown_men-women" not in header
    director = next(line for line in lines if "│ director " in line and "no_woman" in line)
    assert "0.0%-100.0%" in director and "100.0%-0.0%" not in director
    ranges = [(float(a), float(b)) for a, b in re.findall(r"(\d+\.\d)%-(\d+\.\d)%", res.stdout)]
    assert ranges and all(a <= b for a, b in ranges)
    said = " ".join(res.stdout.split())
    assert "if_unknown_low-high: our figure if every person of unknown gender were a man, and if a woman" in said
    assert "the lower first; on a share_expected row the lower is all men, on a no_known_woman row all women" in said


def test_the_exported_columns_keep_their_names_and_order(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    res = run_cli("compare", "celluloid_ceiling", "--from", "2017", "--to", "2017", "-o", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    d = next(r for r in rows if r["role"] == "director" and r["estimate"] == "no_known_woman")
    assert (d["share_if_unknown_men"], d["share_if_unknown_women"]) == (1.0, 0.0)
    described = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert "share_if_unknown_men / share_if_unknown_women: our figure if every person" in described
    assert "if_unknown_low-high" not in described
