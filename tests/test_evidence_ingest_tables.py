"""The tables `crewparity ingest crewlist`, `ingest overrides` and `ingest wikidata` print: each column says one
thing, as `ingest tmdb`'s and `ingest imdb`'s do.

They had one column, "rows": a crew list's titles, people and credits added beside resolved_gender (every person
of the store), the lines read nowhere; an overrides file's "rows" were its people, not its lines. The tables now
have the rows the file gives, the rows added and every source's rows in the store after the load, and a line under
them counts the file's lines (a crew list, overrides) or answers (a SPARQL result) read and skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from crewparity.cli import app
from tests._reliability import check_ingest_table, store_counts

runner = CliRunner()
E = "http://www.wikidata.org/entity/"


def _rows_read(db: Path, source: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT rows_read FROM sources WHERE source = ?", [source]).fetchall()[0][0])
    finally:
        con.close()


def _ingest(source: str, path: Path, store: Path, rows: dict[str, tuple[str, str]],
            read: int) -> tuple[str, dict[str, int]]:
    """``crewparity ingest SOURCE PATH`` into ``store``: its table has a column for the file, one for the rows
    added and one for the store, with ``rows`` in the first two (resolved_gender only a figure in the store), and
    the source's row in the store records ``read`` lines or answers read. Returns the printed text with its white
    space folded, and the store's counts after the load."""
    r = runner.invoke(app, ["ingest", source, str(path), "--db", str(store)])
    assert r.exit_code == 0, r.output
    after = check_ingest_table(r.stdout, store, ["in the file", "added", "in the store"],
                               {**rows, "resolved_gender": ("", "")})
    assert _rows_read(store, source) == read
    return " ".join(r.stdout.split()), after


def test_crewlist_columns_and_lines(store: Path, tmp_path: Path) -> None:
    crew = tmp_path / "crew.csv"
    # 5 lines: one a repeat of another (one credit), one in a role that is not counted (a gaffer)
    crew.write_text("title,year,name,role,gender\n"
                    "Our Film,2024,Ann Smith,director,woman\n"
                    "Our Film,2024,Ann Smith,director,woman\n"
                    "Our Film,2024,Bob Jones,editor,man\n"
                    "Our Film,2024,Bob Jones,writer,man\n"
                    "Our Film,2024,Cy Dee,gaffer,\n", encoding="utf-8")
    before = store_counts(store)
    text, after = _ingest("crewlist", crew, store, {"titles": ("1", "1"), "people": ("2", "2"), "credits": ("3", "3"),
                                                    "gender_evidence": ("2", "2")}, read=5)
    assert after["credits"] == before["credits"] + 3
    assert "read 5 lines of the file; 1 skipped (role gaffer: 1)" in text
    assert "in the file: the rows it gives each table (a fact once, however many lines say it)" in text


def test_overrides_columns_and_lines(store: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("person_id,gender,note\nnm0000001,woman,\nnm0000001,woman,said twice\nnm0000002,man,\n",
                         encoding="utf-8")
    # read: the file's lines, not its people
    text, _ = _ingest("overrides", overrides, store, {"gender_evidence": ("2", "2")}, read=3)
    assert "read 3 lines of the file; 1 skipped (repeats an earlier line's person and gender: 1)" in text
    assert "added: the file's rows, which replaced the earlier overrides rows" in text


def test_wikidata_columns_and_answers(store: Path, tmp_path: Path) -> None:
    def answer(imdb: str, qid: str) -> dict[str, dict[str, str]]:
        return {"imdb": {"type": "literal", "value": imdb}, "gender": {"type": "uri", "value": E + qid},
                "person": {"type": "uri", "value": E + "Q1"}}

    result = tmp_path / "w.json"
    result.write_text(json.dumps({"head": {"vars": ["person", "imdb", "gender"]}, "results": {"bindings": [
        answer("nm0000001", "Q6581072"), answer("nm0000001", "Q6581072"),   # the same fact twice
        answer("nm0000002", "Q6581097"), answer("nm0000003", "Q1097630")]}}), encoding="utf-8")  # intersex: skipped
    text, _ = _ingest("wikidata", result, store, {"gender_evidence": ("2", "2")}, read=4)
    assert ("read 4 answers of the file (an IMDb id and a gender each); 2 skipped (duplicate of an earlier row: 1; "
            "unmapped Q1097630: 1)") in text
