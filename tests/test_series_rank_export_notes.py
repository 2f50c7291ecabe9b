"""`crewparity series --rank ... -o FILE` writes into the file what the list leaves out (seasons left out for
unknowns, a --limit cut, unnumbered episodes, unscripted series), not only on stderr.

Why: `series --rank best --limit 5 -o best.csv` on the synthetic store wrote a description that called it "the
best list" and said nothing of the 30 more seasons on it, the 3,075 left out because unknowns could change them,
or the 21 of unscripted series: four notes on stderr, which a CSV passed on does not carry. A reader of the file
takes five rows for the whole list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests._tiny_stores import crew_store
from tests.conftest import run_cli

HEADER = "series,season,episode,year,name,role,gender\n"


def _season(series: str, directors: list[str | None]) -> str:
    """A 2017 season: per episode a recorded man ("m") director, or None (a writer only: no director credit)."""
    return "".join(f"{series},1,{n},2017,Bo Chen,director,man\n" if who == "m"
                   else f"{series},1,{n},2017,Wren Writer,writer,woman\n"
                   for n, who in enumerate(directors, start=1))


CREW = HEADER + _season("Six Men One Gap", ["m"] * 6 + [None]) + _season("Six Men", ["m"] * 6) \
    + _season("Seven Men", ["m"] * 7)

LEFT_OUT = "1 season left out of the worst list: it has no episode known to be directed by a woman"
CUT = "the first 1 of the 2 seasons on the worst list (--limit 1)"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("rank_export_notes"), "gaps", CREW)


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_description_carries_the_notes(db: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"worst.{suffix}"
    r = run_cli("series", "--rank", "worst", "--limit", "1", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert LEFT_OUT in r.stderr and CUT in r.stderr   # as before
    text = json.loads((tmp_path / f"worst.{suffix}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert LEFT_OUT[:1].upper() + LEFT_OUT[1:] in text, text
    assert CUT[:1].upper() + CUT[1:] in text, text


def test_parquet_and_text_carry_them(db: Path, tmp_path: Path) -> None:
    r = run_cli("series", "--rank", "worst", "-o", str(tmp_path / "worst.parquet"), "--db", str(db))
    assert r.returncode == 0, r.stderr
    notes = pq.read_schema(tmp_path / "worst.parquet").metadata[b"crewparity.notes"].decode()
    assert LEFT_OUT[1:] in notes
    r = run_cli("series", "--rank", "worst", "-o", str(tmp_path / "worst.txt"), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert LEFT_OUT[1:] in (tmp_path / "worst.txt").read_text(encoding="utf-8")


def test_terminal_table_unchanged(db: Path) -> None:
    r = run_cli("series", "--rank", "worst", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert LEFT_OUT in r.stderr
    assert "eft out of the worst list" not in r.stdout
