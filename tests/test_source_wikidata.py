"""`crewparity ingest wikidata`: SPARQL JSON and its CSV export -> gender evidence, atomic, replaceable."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from crewparity.cli import app
from crewparity.sources.wikidata import GENDER_QIDS
from tests.conftest import run_cli

E = "http://www.wikidata.org/entity/"
runner = CliRunner()

#: (imdb, gender Q-id or None for a blank node, person Q-id)
ROWS = [
    ("nm0000001", "Q6581097", "Q1"),      # male -> man
    ("nm0000002", "Q6581072", "Q2"),      # female -> woman
    ("nm0000003", "Q1052281", "Q3"),      # trans woman -> woman
    ("nm0000004", "Q48270", "Q4"),        # non-binary
    ("nm0000005", "Q18116794", "Q5"),     # genderfluid -> nonbinary
    ("nm0000006", "Q1097630", "Q6"),      # intersex: not a gender, skipped
    ("nm0000007", "Q999999999", "Q7"),    # unknown Q-id: skipped, not guessed
    ("nm0000008", None, "Q8"),            # "unknown value" (blank node): skipped
    ("nm0000009", "Q2449503", "Q9"),      # trans man -> man
    ("nm0000009", "Q48270", "Q9"),        # a second P21 value: a second row
    ("tt0000010", "Q6581072", "Q10"),     # not a person id: skipped
]
EXPECTED = {
    ("nm0000001", "man"), ("nm0000002", "woman"), ("nm0000003", "woman"), ("nm0000004", "nonbinary"),
    ("nm0000005", "nonbinary"), ("nm0000009", "man"), ("nm0000009", "nonbinary"),
}


def sparql_json(rows: list[tuple[str, str | None, str]], imdb_var: str = "imdb") -> dict:
    bindings = []
    for imdb, q, person in rows:
        gender = {"type": "uri", "value": E + q} if q else {"type": "bnode", "value": "t123"}
        bindings.append({imdb_var: {"type": "literal", "value": imdb}, "gender": gender,
                         "person": {"type": "uri", "value": E + person}})
    return {"head": {"vars": ["person", imdb_var, "gender"]}, "results": {"bindings": bindings}}


def sparql_csv(rows: list[tuple[str, str | None, str]]) -> str:
    lines = ["person,imdb_id,gender"]
    for imdb, q, person in rows:
        lines.append(f"{E}{person},{imdb},{E + q if q else 't123'}")
    return "\r\n".join(lines) + "\r\n"


def snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in ("titles", "people", "credits", "gender_evidence", "resolved_gender", "sources")}
    finally:
        con.close()


def evidence(db: Path, source: str = "wikidata") -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT person_id, gender, confidence, detail FROM gender_evidence WHERE source = ? "
                           "ORDER BY ALL", [source]).fetchall()
    finally:
        con.close()


def test_json_maps_p21_and_skips_what_it_cannot_map(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "w.json"
    f.write_text(json.dumps(sparql_json(ROWS)))
    r = runner.invoke(app, ["ingest", "wikidata", str(f), "--db", str(store)])
    assert r.exit_code == 0, r.output
    rows = evidence(store)
    assert {(p, g) for p, g, _c, _d in rows} == EXPECTED
    assert {c for _p, _g, c, _d in rows} == {0.99}
    detail = {p: d for p, g, _c, d in rows if p == "nm0000003"}["nm0000003"]
    assert "Q1052281" in detail and E + "Q3" in detail
    assert "unmapped Q1097630" in r.output and "unmapped Q999999999" in r.output


def test_csv_export_gives_the_same_evidence(store: Path, tmp_path: Path) -> None:
    j, c = tmp_path / "w.json", tmp_path / "w.csv"
    j.write_text(json.dumps(sparql_json(ROWS)))
    c.write_text(sparql_csv(ROWS))
    assert runner.invoke(app, ["ingest", "wikidata", str(j), "--db", str(store)]).exit_code == 0
    from_json = evidence(store)
    assert runner.invoke(app, ["ingest", "wikidata", str(c), "--db", str(store)]).exit_code == 0
    assert evidence(store) == from_json


def test_wikidata_outranks_imdb_and_reingest_replaces(store: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    pid, imdb_gender = con.execute(
        "SELECT person_id, gender FROM resolved_gender WHERE source = 'imdb' ORDER BY person_id LIMIT 1").fetchall()[0]
    con.close()
    other = {"man": "Q6581072", "woman": "Q6581097"}[imdb_gender]
    f = tmp_path / "w.json"
    f.write_text(json.dumps(sparql_json([(pid, other, "Q42"), ("nm0000002", "Q6581072", "Q2")], "imdb_id")))
    assert runner.invoke(app, ["ingest", "wikidata", str(f), "--db", str(store)]).exit_code == 0
    con = duckdb.connect(str(store), read_only=True)
    got = con.execute("SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]).fetchall()
    con.close()
    assert got == [({"man": "woman", "woman": "man"}[imdb_gender], "wikidata")]
    f.write_text(json.dumps(sparql_json([("nm0000002", "Q6581072", "Q2")])))
    assert runner.invoke(app, ["ingest", "wikidata", str(f), "--db", str(store)]).exit_code == 0
    assert [r[0] for r in evidence(store)] == ["nm0000002"]
    con = duckdb.connect(str(store), read_only=True)
    got = con.execute("SELECT gender, source FROM resolved_gender WHERE person_id = ?", [pid]).fetchall()
    n_sources = con.execute("SELECT count(*) FROM sources WHERE source = 'wikidata'").fetchall()[0][0]
    con.close()
    assert got == [(imdb_gender, "imdb")]
    assert n_sources == 1


def test_the_mapping_table_is_what_the_docs_say() -> None:
    assert GENDER_QIDS["Q6581072"][0] == "woman" and GENDER_QIDS["Q6581097"][0] == "man"
    assert GENDER_QIDS["Q1052281"][0] == "woman" and GENDER_QIDS["Q2449503"][0] == "man"
    assert {g for g, _ in GENDER_QIDS.values()} == {"woman", "man", "nonbinary"}
    assert "Q1097630" not in GENDER_QIDS  # intersex is a sex characteristic, not a gender
    docs = (Path(__file__).resolve().parents[1] / "docs" / "sources.md").read_text()
    for qid in GENDER_QIDS:
        assert qid in docs


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.json", '{"foo": 1}', "w.json: $: not a SPARQL JSON result"),
        ("a.json", '{"head": {"vars": ["imdb"]}, "results": {"bindings": []}}', "missing variable gender"),
        ("a.json", '{"head": {"vars": ["imdb", "gender"]}, "results": {"bindings": [{"imdb": "nm1", "gender": 2}]}}',
         "$.results.bindings[0].imdb"),
        ("a.json", '{"head": \n{"vars": [', "w.json:2: not valid JSON"),
        ("a.csv", "person,name,gender\nx,y,z\n", "w.json:1: header: missing variable imdb"),
        ("a.csv", "imdb,gender\nnm1,http://www.wikidata.org/entity/Q6581072\nnm2\n", "w.json:3: expected 2 fields"),
        # a label where the entity belongs was skipped as "gender not an entity (unknown value or blank)"
        ("a.csv", "imdb,gender\nnm1,http://www.wikidata.org/entity/Q6581072\nnm2,female\n",
         "w.json:3: column gender holds 'female', a label, not a Wikidata entity; expected the P21 value's entity "
         "(e.g. http://www.wikidata.org/entity/Q6581072 for female)"),
        ("a.json", '{"head": {"vars": ["imdb", "gender"]}, "results": {"bindings": [{"imdb": {"type": "literal", '
         '"value": "nm1"}, "gender": {"type": "literal", "value": "Female"}}]}}',
         "w.json: $.results.bindings[0].gender holds 'Female', a label, not a Wikidata entity; expected the P21 "
         "value's entity (e.g. http://www.wikidata.org/entity/Q6581072 for female)"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_store(store: Path, tmp_path: Path, name: str, content: str,
                                                    expected: str) -> None:
    f = tmp_path / "w.json"
    f.write_text(content)
    before = snapshot(store)
    r = runner.invoke(app, ["ingest", "wikidata", str(f), "--db", str(store)])
    assert r.exit_code == 1
    assert expected in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_real_process_missing_file(store: Path, tmp_path: Path) -> None:
    before = snapshot(store)
    r = run_cli("ingest", "wikidata", str(tmp_path / "nope.json"), "--db", str(store))
    assert r.returncode == 1
    assert r.stderr.strip() == f"crewparity: error: {tmp_path / 'nope.json'}: no such file"
    assert snapshot(store) == before


def test_a_smaller_reload_says_who_loses_wikidata_evidence(store: Path, tmp_path: Path) -> None:
    from crewparity import api_sources

    con = duckdb.connect(str(store), read_only=True)
    pids = [r[0] for r in con.execute("SELECT person_id FROM people ORDER BY person_id LIMIT 2").fetchall()]
    con.close()
    f = tmp_path / "w.json"
    f.write_text(json.dumps(sparql_json([(pids[0], "Q6581072", "Q1"), (pids[1], "Q6581097", "Q2")])))
    assert api_sources.ingest_wikidata(f, store).warnings == []
    f.write_text(json.dumps(sparql_json([(pids[0], "Q6581072", "Q1")])))
    warnings = api_sources.ingest_wikidata(f, store).warnings
    assert len(warnings) == 1 and pids[1] in warnings[0]
    assert warnings[0].startswith("1 person had Wikidata evidence that this file does not repeat, and loses it")
