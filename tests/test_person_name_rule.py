"""One rule for a person's name and birth year (crewparity.gender.person), the same in resolve, `gender explain`
(CLI and API) and the series episode list.

Why: each of them took ``any_value(name)`` over the person's ``people`` rows, which DuckDB does not make stable:
with rows from two sources, another run or machine could read another name, so another first name for the model,
and explain or the episode list could show a name resolve never read. Explain also took the birth year by id
from the rows with a name but by name from the rows that matched the name, so the two lookups could give one
person two birth years and two p_woman.

The store is built with the real commands (``ingest imdb`` on the sample dumps plus a series of two episodes
directed by "John Quill", ``resolve``). No ingest writes a second ``people`` row for a person today (``ingest
imdb`` drops the other sources' rows of its ids, the others add only ids the store lacks:
tests/test_ingest_order.py), so the second source's rows are written into the store with SQL, as a store where
that does not hold (an older ingest, a source added later, a hand edit) has them, and ``resolve --rebuild`` is
run.
The rule: the name of the highest-precedence source (overrides > crewlist > wikidata > tmdb > imdb), the smallest
name between rows of one source; the birth year the latest among the rows with a name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

import crewparity
from crewparity import api
from tests._reliability import copy_sample
from tests.conftest import ingest_cli, run_cli

DIRECTOR = "nm9000001"  # IMDb: John Quill, 1950; a crew list: Mary Quill
JANE = "nm9000002"  # IMDb: Jane Roe, 1940; TMDB: Jane Q. Roe, 1975, and a nameless row of 1990
SERIES = "tt9000001"


def _append(dump: Path, name: str, lines: list[str]) -> None:
    with open(dump / f"{name}.tsv", "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("names")
    dump = copy_sample(base / "dump")
    _append(dump, "title.basics", [
        f"{SERIES}\ttvSeries\tQuill Street\tQuill Street\t0\t2017\t\\N\t45\tDrama",
        "tt9000002\ttvEpisode\tFirst\tFirst\t0\t2017\t\\N\t45\tDrama",
        "tt9000003\ttvEpisode\tSecond\tSecond\t0\t2017\t\\N\t45\tDrama"])
    _append(dump, "title.episode", [f"tt9000002\t{SERIES}\t1\t1", f"tt9000003\t{SERIES}\t1\t2"])
    _append(dump, "title.crew", [f"tt9000002\t{DIRECTOR}\t\\N", f"tt9000003\t{DIRECTOR}\t\\N"])
    _append(dump, "name.basics", [f"{DIRECTOR}\tJohn Quill\t1950\t\\N\tdirector\ttt9000002",
                                  f"{JANE}\tJane Roe\t1940\t\\N\twriter\t\\N"])
    path = ingest_cli("imdb", dump, db=base / "names.duckdb")
    con = duckdb.connect(str(path))
    try:
        # after IMDb's rows, so that a scan in insertion order (what any_value gave on a store this small) meets
        # IMDb's name first and the rule's second
        con.execute(f"""INSERT INTO people (person_id, name, birth_year, source) VALUES
                        ('{DIRECTOR}', 'Mary Quill', NULL, 'crewlist'), ('{DIRECTOR}', 'Zoe Quill', NULL, 'crewlist'),
                        ('{JANE}', 'Jane Q. Roe', 1975, 'tmdb'), ('{JANE}', NULL, 1990, 'tmdb')""")
    finally:
        con.close()
    # --rebuild: the episode list's names are rebuilt with the query tables (ingest does this); a plain resolve
    # updates only the rows of people whose gender changed
    r = run_cli("resolve", "--rebuild", "--db", str(path))
    assert r.returncode == 0, r.stderr
    return path


def _resolved(db: Path, pid: str) -> tuple[str, float, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT gender, p_woman, source FROM resolved_gender WHERE person_id = ?", [pid]).fetchone()
    finally:
        con.close()
    assert row is not None
    return row[0], row[1], row[2]


def _guess(db: Path, name: str, birth_year: int) -> float:
    r = run_cli("gender", "guess", name, "--birth-year", str(birth_year), "--db", str(db), "--format", "json")
    assert r.returncode == 0, r.stderr
    return float(json.loads(r.stdout)[0]["p_woman"])


def test_resolve_reads_the_name_of_the_highest_ranked_source(db: Path) -> None:
    """The crew list outranks IMDb, and Mary < Zoe between its two rows: the model read "Mary Quill" (born 1950,
    IMDb's year: the crew list has none), as guess --db scores that name, not IMDb's "John Quill"."""
    gender, p_woman, source = _resolved(db, DIRECTOR)
    assert source == "name_model"
    assert gender == "woman"
    assert p_woman == pytest.approx(_guess(db, "Mary Quill", 1950))
    assert p_woman != pytest.approx(_guess(db, "John Quill", 1950))


def test_explain_cli_and_api_show_the_name_resolve_read(db: Path) -> None:
    gender, p_woman, _ = _resolved(db, DIRECTOR)
    r = run_cli("gender", "explain", DIRECTOR, "--db", str(db), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    rows = out if isinstance(out, list) else [out]
    text = json.dumps(rows)
    assert "Mary Quill" in text and "John Quill" not in text
    cli_table = run_cli("gender", "explain", DIRECTOR, "--db", str(db))
    assert cli_table.returncode == 0, cli_table.stderr
    assert "Mary Quill" in cli_table.stdout and "John Quill" not in cli_table.stdout
    for query in (DIRECTOR, "John Quill", "Zoe Quill", "Mary Quill"):  # found by any of their names, shown by the rule's
        got = api.gender_explain(query, db=db)
        assert got["person"]["person_id"] == DIRECTOR
        assert got["person"]["name"] == "Mary Quill"
        assert got["person"]["birth_year"] == 1950
        assert got["person"]["professions"] == ["director"]
        assert got["name_model"]["first_name"] == "mary"
        assert got["name_model"]["p_woman"] == pytest.approx(p_woman)
        assert got["resolved"] == {"gender": gender, "p_woman": p_woman, "source": "name_model"}


def test_series_episode_list_names_the_director_by_the_rule(db: Path) -> None:
    with crewparity.open(db) as c:
        eps = c.series_episodes(SERIES).to_pylist()
    assert len(eps) == 2
    assert {json.dumps(e, default=str).count("Mary Quill") for e in eps} == {1}
    assert not any("John Quill" in json.dumps(e, default=str) for e in eps)
    r = run_cli("series", SERIES, "--episodes", "--format", "csv", "--db", str(db))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 2
    assert "Mary Quill" in r.stdout and "John Quill" not in r.stdout


def test_explain_by_name_and_by_id_give_one_birth_year_and_p_woman(db: Path) -> None:
    """Jane: IMDb "Jane Roe" 1940, TMDB "Jane Q. Roe" 1975 and a TMDB row of 1990 with no name. By id the birth
    year was the latest among the rows with a name (1975), by name the latest among the rows that matched the name
    (1940 for "Jane Roe"): two birth decades, two p_woman for one person. Now 1975 both ways, and resolve's."""
    by_id = api.gender_explain(JANE, db=db)
    for query in ("Jane Roe", "jane q. roe", "Q. Roe"):
        by_name = api.gender_explain(query, db=db)
        assert by_name["person"]["birth_year"] == by_id["person"]["birth_year"] == 1975, query
        assert by_name["name_model"]["p_woman"] == pytest.approx(by_id["name_model"]["p_woman"]), query
        assert by_name["person"] == by_id["person"], query
        assert by_name["name_model"] == by_id["name_model"], query
    assert by_id["person"]["name"] == "Jane Q. Roe"  # TMDB outranks IMDb
    _, p_woman, source = _resolved(db, JANE)
    assert source == "name_model"
    assert by_id["name_model"]["p_woman"] == pytest.approx(p_woman)
    cli = [json.loads(run_cli("gender", "explain", q, "--db", str(db), "--format", "json").stdout)
           for q in (JANE, "Jane Roe")]
    assert cli[0] == cli[1]
    assert "1975" in json.dumps(cli[0]) and "1940" not in json.dumps(cli[0])
