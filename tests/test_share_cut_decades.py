"""`crewparity share --by decade` with a --from/--to that cuts a decade says which decades are cut, and to which
years, under the table and in an export's description.

Why: `share --by decade --roles director --kind movie --from 1995 --to 2012` printed rows 1990, 2000 and 2010
with nothing to say that "1990" holds 1995-1999 and "2010" 2010-2012 only: on the synthetic store the 2010 row
counts 152 directors where the whole decade has 574, and a reader compares it with the whole 2000s as a decade.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._tiny_stores import crew_store
from tests.conftest import run_cli

CREW = ("title,year,name,role,gender\n"
        "Film A,1996,Ana Lima,director,woman\n"
        "Film B,2005,Bo Chen,director,man\n"
        "Film C,2011,Cy Park,director,man\n")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crew_store(tmp_path_factory.mktemp("cut_decades"), "decades", CREW)


def test_table_names_the_cut_decades(db: Path) -> None:
    r = run_cli("share", "--by", "decade", "--from", "1995", "--to", "2012", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "decades cut by --from/--to: 1990 counts 1995-1999 only, 2010 counts 2010-2012 only" in r.stdout
    assert "2000 counts" not in r.stdout


def test_export_description_names_them(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "decades.csv"
    r = run_cli("share", "--by", "decade", "--from", "1995", "--to", "2012", "-o", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "decades.csv-metadata.json").read_text(encoding="utf-8"))
    assert "1990 counts 1995-1999 only, 2010 counts 2010-2012 only" in meta["dc:description"]


def test_whole_decades_say_nothing(db: Path) -> None:
    r = run_cli("share", "--by", "decade", "--from", "1990", "--to", "2019", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "cut by" not in r.stdout
    r = run_cli("share", "--by", "year", "--from", "1995", "--to", "2012", "--db", str(db))
    assert "cut by" not in r.stdout


def test_cut_decades_words() -> None:
    from crewparity.cli.metrics import cut_decades

    assert cut_decades([2010], None, 2010) == "decade cut by --from/--to: 2010 counts 2010 only"
    assert cut_decades([1990, 2000, None], 1993, None) == "decade cut by --from/--to: 1990 counts 1993-1999 only"
    assert cut_decades([2000], None, None) is None
