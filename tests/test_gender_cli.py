"""`crewparity gender guess | explain | eval` in a real process, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, run_cli

SEBO = SHARED_DATA / "benchmarks" / "sebo_2021_swiss_physicians.csv"


@pytest.fixture(scope="module")
def demo_db(demo_db_names_only: Path) -> Path:
    return demo_db_names_only


def test_guess_names_json_in_input_order() -> None:
    r = run_cli("gender", "guess", "Jennifer Lynch", "S. J. Clarkson", "Bob Gale", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [list(x) for x in rows] == [["name", "gender", "p_woman", "source", "n"]] * 3
    assert [(x["name"], x["gender"], x["source"]) for x in rows] == [
        ("Jennifer Lynch", "woman", "name_model"), ("S. J. Clarkson", "unknown", "none"), ("Bob Gale", "man", "name_model")]
    assert rows[1]["p_woman"] is None


def test_guess_input_file_lines_and_csv(tmp_path: Path) -> None:
    lines = tmp_path / "names.txt"
    lines.write_text("Deborah Chow\n\nJet Wilkinson\nLeslie Nielsen\n", encoding="utf-8")
    commas = tmp_path / "commas.txt"
    commas.write_text("Lynch, Jennifer\nGale, Bob\n", encoding="utf-8")
    r = run_cli("gender", "guess", "--input", str(commas), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [(x["name"], x["gender"]) for x in json.loads(r.stdout)] == [("Lynch, Jennifer", "woman"), ("Gale, Bob", "man")]
    r = run_cli("gender", "guess", "--input", str(lines), "--format", "csv", "--birth-year", "1926")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["name"] for x in rows] == ["Deborah Chow", "", "Jet Wilkinson", "Leslie Nielsen"]  # in line order
    assert rows[3]["gender"] == "man"  # Leslie, born 1926
    table = tmp_path / "people.csv"
    table.write_text('id,name\n1,"Lynch, Jennifer"\n2,Zetna Fuentes\n', encoding="utf-8")
    r = run_cli("gender", "guess", "-i", str(table), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert [(x["name"], x["gender"]) for x in json.loads(r.stdout)] == [("Lynch, Jennifer", "woman"),
                                                                        ("Zetna Fuentes", "unknown")]
    r = run_cli("gender", "guess", "Deborah Chow")
    assert r.returncode == 0 and "Deborah Chow" in r.stdout and "woman" in r.stdout


def test_guess_table_shows_the_evidence_behind_a_name_listed_without_counts() -> None:
    """"Minkie" is one source's listing without counts: p_woman 0.750 from one pseudo-observation, and the table
    says n 1 (it said 0, as if p_woman had nothing behind it) and what n counts."""
    r = run_cli("gender", "guess", "Minkie Spiro", "S. J. Clarkson")
    assert r.returncode == 0, r.stderr
    cells = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
             for line in r.stdout.splitlines() if line.startswith("│")}
    assert cells["Minkie Spiro"] == ["unknown", "0.750", "1", "name_model"]
    assert cells["S. J. Clarkson"] == ["unknown", "", "0", "none"]
    assert "n = the evidence behind it" in " ".join(r.stdout.split())


def test_guess_bad_input(tmp_path: Path) -> None:
    r = run_cli("gender", "guess")
    assert r.returncode == 1 and r.stderr.startswith("crewparity: error:")
    r = run_cli("gender", "guess", "--input", str(tmp_path / "missing.txt"))
    assert r.returncode == 1 and "missing.txt: no such file" in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\n1,x\n", encoding="utf-8")
    r = run_cli("gender", "guess", "--input", str(bad))
    assert r.returncode == 1 and f"{bad}:1:" in r.stderr and "'name' column" in r.stderr
    r = run_cli("gender", "guess", "Anna Berg", "--format", "xml")
    assert r.returncode == 1 and "--format" in r.stderr
    r = run_cli("gender", "guess", "Anna Berg", "--birth-year", "20")
    assert r.returncode == 1 and "birth year" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_guess_with_a_store_adapts(demo_db: Path) -> None:
    r = run_cli("gender", "guess", "Steven Nobody", "--db", str(demo_db), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["gender"] == "man"


def test_explain_name_model_and_record(demo_db: Path) -> None:
    r = run_cli("gender", "explain", "Jet Wilkinson", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    assert "Recorded evidence: none" in r.stdout
    assert "first name 'jet'" in r.stdout and "inside the abstain band" in r.stdout
    r = run_cli("gender", "explain", "nm0000229", "--db", str(demo_db), "--format", "json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["person"]["name"] == "Steven Spielberg"
    assert [e["source"] for e in info["evidence"]] == ["wikidata"]
    assert info["resolved"] == {"gender": "man", "p_woman": 0.0, "source": "wikidata"}
    assert info["name_model"]["first_name"] == "steven" and info["name_model"]["call"] == "man"
    assert info["why"].startswith("recorded evidence from wikidata wins")
    r = run_cli("gender", "explain", "Deborah Chow", "--db", str(demo_db), "--format", "csv")
    assert r.returncode == 0, r.stderr
    steps = [row["step"] for row in csv.DictReader(io.StringIO(r.stdout))]
    assert steps == ["name_model", "resolved"]


def test_explain_gives_n_with_and_without_the_store(demo_db: Path) -> None:
    r = run_cli("gender", "explain", "Minkie Spiro", "--db", str(demo_db))
    assert r.returncode == 0, r.stderr
    # (this store holds no recorded Minkie: the demo's curated corrections are left out)
    assert "p(woman) 0.750 from n=1 (prior alone: 0.750 from n=1; this store's recorded people with that name: " \
           "0 women, 0 men)" in " ".join(r.stdout.split())


def test_explain_counts_one_recorded_person_in_the_singular(demo_db: Path) -> None:
    """Uta Briesewitz is the store's one recorded "uta": the table and the csv said "1 women, 0 men"."""
    table = " ".join(run_cli("gender", "explain", "Uta Briesewitz", "--db", str(demo_db)).stdout.split())
    assert "this store's recorded people with that name: 1 woman, 0 men)" in table
    rows = list(csv.DictReader(io.StringIO(run_cli("gender", "explain", "Uta Briesewitz", "--db", str(demo_db),
                                                   "--format", "csv").stdout)))
    assert "recorded people with that name: 1 woman, 0 men)" in next(r for r in rows if r["step"] == "name_model")["detail"]


def test_explain_errors(demo_db: Path) -> None:
    r = run_cli("gender", "explain", "Jennifer", "--db", str(demo_db))
    assert r.returncode == 1 and "matches several people" in r.stderr and "nm9900000016" in r.stderr
    r = run_cli("gender", "explain", "Nobody At All", "--db", str(demo_db))
    assert r.returncode == 1 and "no person" in r.stderr


def test_eval_on_a_labelled_file(tmp_path: Path) -> None:
    f = tmp_path / "labelled.csv"
    f.write_text("full,g\nJennifer Lynch,f\nBob Gale,m\nS. J. Clarkson,f\nAndrea Arnold,female\nNo Label,\n",
                 encoding="utf-8")
    r = run_cli("gender", "eval", str(f), "--name-col", "full", "--gender-col", "g", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    m = out["metrics"]
    assert (m["ff"], m["mm"], m["fu"], m["fm"], m["mf"]) == (1, 1, 2, 0, 0)
    assert m["errorCoded"] == pytest.approx(0.5) and m["naCoded"] == pytest.approx(0.5)
    assert m["errorCodedWithoutNA"] == 0 and out["skipped_truth"] == 1
    assert out["curve"][0]["lo"] == 0.5
    r = run_cli("gender", "eval", str(f), "--name-col", "nope", "--gender-col", "g")
    assert r.returncode == 1 and f"{f}:1:" in r.stderr and "no column 'nope'" in r.stderr
    r = run_cli("gender", "eval", str(f), "--name-col", "full", "--gender-col", "g", "--band", "0.9")
    assert r.returncode == 1 and "--band" in r.stderr


@pytest.mark.skipif(not SEBO.exists(), reason="shared benchmarks not found")
def test_eval_on_sebo_prints_table_and_curve() -> None:
    r = run_cli("gender", "eval", str(SEBO), "--name-col", "fname", "--gender-col", "real_gender")
    assert r.returncode == 0, r.stderr
    assert "errorCodedWithoutNA" in r.stdout and "Abstain-band curve" in r.stdout
