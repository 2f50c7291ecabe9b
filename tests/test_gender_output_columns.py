"""Every format of ``gender guess`` and ``gender explain`` carries the same columns, the Python API's.

A review found ``gender guess``'s table showing ``n`` (the evidence behind ``p_woman``) where its csv and json,
the formats for programs, left it out though ``api_gender.guess`` returns it; and ``gender explain --format csv``
without the precedence ``rank`` and the ``confidence`` of each piece of evidence that its json (and the API) has.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crewparity.api_gender import guess
from tests.conftest import run_cli

NAMES = ["Jennifer Lynch", "S. J. Clarkson", "Minkie Spiro", "Bob Gale"]


@pytest.fixture(scope="module")
def demo_db(demo_db_names_only: Path) -> Path:
    return demo_db_names_only


def test_guess_csv_and_json_have_the_api_columns(tmp_path: Path) -> None:
    api = guess(NAMES).to_pylist()
    assert list(api[0]) == ["name", "gender", "p_woman", "source", "n"]
    r = run_cli("gender", "guess", *NAMES, "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == api
    path = tmp_path / "names.txt"
    path.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    for args in (NAMES, ["-i", str(path)]):
        r = run_cli("gender", "guess", *args, "-f", "csv")
        assert r.returncode == 0, r.stderr
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        assert list(rows[0]) == list(api[0])
        assert [int(x["n"]) for x in rows] == [x["n"] for x in api]
        assert rows[2]["n"] == "1" and rows[1]["n"] == "0"  # Minkie: one source without counts; initials: none


def test_explain_csv_has_rank_and_confidence(demo_db: Path) -> None:
    r = run_cli("gender", "explain", "nm0000229", "--db", str(demo_db), "-f", "json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    r = run_cli("gender", "explain", "nm0000229", "--db", str(demo_db), "-f", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["step", "rank", "source", "gender", "confidence", "p_woman", "detail"]
    evidence = [x for x in rows if x["step"] == "evidence"]
    assert [(int(x["rank"]), x["source"], x["gender"], float(x["confidence"]), x["detail"]) for x in evidence] == [
        (e["rank"], e["source"], e["gender"], e["confidence"], e["detail"]) for e in info["evidence"]]
    model, resolved = rows[-2], rows[-1]
    assert model["step"] == "name_model" and model["rank"] == "6" and model["confidence"] == ""
    m = info["name_model"]
    assert f"n={m['n']}" in model["detail"] and f"prior alone {m['prior_p_woman']:.3f} from n={m['prior_n']}" in \
        model["detail"]
    assert resolved["step"] == "resolved" and resolved["source"] == "wikidata" and resolved["rank"] == "3"


def test_explain_table_shows_confidence(demo_db: Path) -> None:
    r = run_cli("gender", "explain", "nm0000229", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    header = next(line for line in r.stdout.splitlines() if "rank" in line and "source" in line)
    assert [c.strip() for c in header.strip("┃│ ").split("┃")] == ["rank", "source", "gender", "confidence", "detail"]


def test_docs_say_guess_writes_n() -> None:
    text = " ".join((Path(__file__).parents[1] / "docs" / "gender.md").read_text(encoding="utf-8").split())
    assert "its csv and json outputs hold the four columns" not in text
    assert "`name`, `gender`, `p_woman`, `source`, `n`" in text
