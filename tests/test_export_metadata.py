"""A csv or json export written to a file carries its provenance beside it, as a Parquet export does inside: a
W3C "CSV on the Web" metadata document, ``<file>-metadata.json``, with the title and method, the store's sources,
the command that makes the file again, crewparity's version and the store's schema version, and the columns.

Why: ``-o out.csv`` and ``-o out.json`` carried nothing, so a CSV passed on alone could be neither cited nor
reproduced (``-o out.parquet`` carried all of it)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pyarrow_csv
import pytest

from crewparity import __version__, output
from crewparity.schema import SCHEMA_VERSION
from tests.conftest import run_cli

COMMANDS = {
    "share": ("share", "--by", "role", "--unit", "credits"),
    "series": ("series", "tt2357547"),
    "episodes": ("series", "tt2357547", "--episodes"),
    "rank": ("series", "--rank", "best"),
    "distribution": ("distribution", "--kind", "tv_series", "--part", "buckets"),
    "compare": ("compare", "celluloid_ceiling"),
    "credits": ("credits", "tt2357547"),
}

# --- what the CSVW Recommendation allows (Metadata Vocabulary for Tabular Data, 2015) --------------------------

#: the properties a table description may have besides common properties
TABLE_KEYS = {"@context", "@id", "@type", "url", "tableSchema", "dialect", "notes", "suppressOutput",
              "tableDirection", "transformations", "tables"}
#: the column description properties used here
COLUMN_KEYS = {"name", "titles", "datatype", "dc:description", "null", "required", "separator"}
#: the built-in datatypes the exports use
DATATYPES = {"integer", "number", "decimal", "string", "boolean", "double", "date", "datetime"}
#: prefixes of the RDFa 1.1 initial context a common property may use (those the sidecar uses)
PREFIXES = {"dc", "dcat", "prov", "rdfs", "schema", "xsd"}
#: a CSVW column name: a URI template variable name (RFC 6570 varname), not starting with "_"
VARNAME = re.compile(r"(?:[A-Za-z0-9]|%[0-9A-F]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-F]{2}))*")


def _prefixed(key: str) -> bool:
    return ":" in key and key.split(":", 1)[0] in PREFIXES


def _check_common_value(value: Any) -> None:
    """A common property's value in the JSON-LD subset CSVW allows: strings, numbers, booleans, arrays, and
    objects of @value (with @type or @language), or of @id/@type and prefixed-name properties."""
    if isinstance(value, list):
        for v in value:
            _check_common_value(v)
    elif isinstance(value, dict):
        if "@value" in value:
            assert set(value) <= {"@value", "@type", "@language"}, value
            assert not ("@type" in value and "@language" in value), value
            if "@type" in value:
                assert _prefixed(value["@type"]), value
            return
        for key, v in value.items():
            if key == "@type":
                assert _prefixed(v), value
            elif key != "@id":
                assert _prefixed(key), key
                _check_common_value(v)
    else:
        assert isinstance(value, str | int | float | bool), value


def check_csvw(doc: dict[str, Any]) -> None:
    """``doc`` keeps to the CSVW metadata format: the context, known table properties or prefixed-name common
    properties with values in its JSON-LD subset, and column descriptions of valid names and datatypes."""
    assert doc["@context"] == "http://www.w3.org/ns/csvw"
    for key, value in doc.items():
        if key in TABLE_KEYS:
            continue
        assert _prefixed(key), key
        _check_common_value(value)
    schemas = [doc["tableSchema"]] if "tableSchema" in doc else [t["tableSchema"] for t in doc["tables"]]
    for part in doc.get("tables", []):
        assert set(part) - {"tableSchema"} <= {k for k in part if _prefixed(k)}, part
    for schema in schemas:
        assert set(schema) == {"columns"}
        for column in schema["columns"]:
            assert set(column) <= COLUMN_KEYS, column
            assert isinstance(column["titles"], str)
            if "name" in column:
                assert VARNAME.fullmatch(column["name"]) and not column["name"].startswith("_"), column
            datatype = column["datatype"]
            base = datatype["base"] if isinstance(datatype, dict) else datatype
            assert base in DATATYPES, column


#: the lexical forms of the datatypes the exports use (XML Schema's, which CSVW's are): ``number`` is xsd:double,
#: whose infinities and NaN are ``INF``, ``-INF`` and ``NaN`` (not Python's ``inf`` and ``nan``)
LEXICAL = {"integer": re.compile(r"[+-]?[0-9]+"),
           "number": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")}


def check_cells(path: Path, columns: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every cell of the csv file at ``path`` is valid for its column's datatype in ``columns`` (the CSVW
    description): a lexical form of it, or empty (CSVW's default ``null``, a missing value). Returns the rows."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for column in columns:
        datatype = column["datatype"]
        for row in rows:
            cell = row[column["titles"]]
            if cell == "":
                continue
            if isinstance(datatype, dict):
                assert cell in datatype["format"].split("|"), (column, cell)
            elif datatype in LEXICAL:
                assert LEXICAL[datatype].fullmatch(cell), (column, cell)
    return rows


# --- helpers ---------------------------------------------------------------------------------------------------

def _sources(db: Path) -> list[dict[str, Any]]:
    """The store's sources as the sidecar's ``dc:source`` gives them (the list a Parquet file's
    ``crewparity.sources`` holds)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT source, location, loaded_at FROM sources ORDER BY loaded_at, source").fetchall()
    finally:
        con.close()
    return [{"dc:title": s, "dc:identifier": Path(loc).name,  # by name: the full path stays in the store
             "dc:date": {"@value": at.isoformat(timespec="seconds") + "Z", "@type": "xsd:dateTime"}}
            for s, loc, at in rows]


def _sidecar(path: Path) -> dict[str, Any]:
    meta = path.with_name(path.name + "-metadata.json")
    assert meta.is_file(), sorted(p.name for p in path.parent.iterdir())
    doc = json.loads(meta.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the tests -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_csv_file_gets_a_csvw_description(command: str, demo_db_names_only: Path, tmp_path: Path) -> None:
    args = COMMANDS[command]
    target = tmp_path / "out.csv"
    before = _digest(demo_db_names_only)
    r = run_cli(*args, "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    doc = _sidecar(target)
    check_csvw(doc)
    assert doc["@type"] == "Table" and doc["url"] == "out.csv"  # relative: the two files move together
    header = next(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    columns = doc["tableSchema"]["columns"]
    assert [c["titles"] for c in columns] == header
    assert [c["name"] for c in columns] == header  # (these headers are valid names as they are)
    # the provenance a Parquet file carries
    run = doc["prov:wasGeneratedBy"]
    assert run["rdfs:label"] == shlex.join(["crewparity", *args, "--db", str(demo_db_names_only), "-o", str(target)])
    assert run["prov:wasAssociatedWith"]["schema:softwareVersion"] == __version__
    assert run["prov:used"]["schema:version"] == str(SCHEMA_VERSION)
    assert run["prov:used"]["dc:identifier"] == str(demo_db_names_only)
    assert doc["dc:source"] == _sources(demo_db_names_only)
    assert [s["dc:title"] for s in doc["dc:source"]] == ["imdb", "wikidata", "name_model"]
    assert doc["dc:title"] and doc["dc:description"].startswith(doc["dc:title"].rstrip("."))
    created = dt.datetime.strptime(doc["dc:created"]["@value"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - created).total_seconds()) < 600
    if command == "share":
        assert "(unit: credits)" in doc["dc:title"]
        assert "crewparity share --by role --unit credits" in doc["dc:description"]
        assert "first-name probabilities" in doc["dc:description"]
        assert {c["name"]: c["datatype"] for c in columns}["small"] == {"base": "boolean", "format": "True|False"}
    if command == "compare":
        assert "difference = crewparity minus" in doc["dc:description"]
    # each column's datatype reads its cells
    assert check_cells(target, columns)
    assert _digest(demo_db_names_only) == before  # the store is only read


@pytest.mark.parametrize("command", ["share", "series", "distribution", "compare"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_command_in_the_description_makes_the_same_file(command: str, fmt: str, demo_db_names_only: Path,
                                                            tmp_path: Path) -> None:
    """The command line in ``prov:wasGeneratedBy``, run again as it is, writes the same bytes."""
    target = tmp_path / f"out.{fmt}"
    r = run_cli(*COMMANDS[command], "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    first = target.read_bytes()
    words = shlex.split(_sidecar(target)["prov:wasGeneratedBy"]["rdfs:label"])
    assert words[0] == "crewparity"
    target.unlink()
    again = run_cli(*words[1:])
    assert again.returncode == 0, again.stderr
    assert target.read_bytes() == first


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_file_gets_a_description_and_stays_a_list_of_records(command: str, demo_db_names_only: Path,
                                                                  tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    r = run_cli(*COMMANDS[command], "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    records = json.loads(target.read_text(encoding="utf-8"))
    assert isinstance(records, list) and records  # as before: the file is the rows, nothing added
    shown = run_cli(*COMMANDS[command], "--db", str(demo_db_names_only), "-f", "json")
    assert target.read_text(encoding="utf-8") == shown.stdout
    doc = _sidecar(target)
    check_csvw(doc)
    # no CSVW url: a processor would parse the file it names as CSV
    assert "url" not in doc and doc["@id"] == "out.json" and doc["dc:format"] == "application/json"
    assert [c["titles"] for c in doc["tableSchema"]["columns"]] == list(records[0])
    assert doc["dc:source"] == _sources(demo_db_names_only)
    assert doc["prov:wasGeneratedBy"]["rdfs:label"].endswith(f"-o {target}")


def test_distribution_both_parts_in_json_are_described_part_by_part(demo_db_names_only: Path,
                                                                   tmp_path: Path) -> None:
    target = tmp_path / "dist.json"
    r = run_cli("distribution", "--db", str(demo_db_names_only), "-o", str(target))
    assert r.returncode == 0, r.stderr
    parts = json.loads(target.read_text(encoding="utf-8"))
    assert list(parts) == ["buckets", "roles"]  # the documented object, unchanged
    doc = _sidecar(target)
    check_csvw(doc)
    assert [t["schema:name"] for t in doc["tables"]] == ["buckets", "roles"]
    for described in doc["tables"]:
        assert [c["titles"] for c in described["tableSchema"]["columns"]] == list(parts[described["schema:name"]][0])
    assert doc["tables"][0]["dc:title"] == "Titles by number of women in the roles"
    assert doc["dc:source"] == _sources(demo_db_names_only)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_stdout_gets_the_same_rows_and_no_description(fmt: str, demo_db_names_only: Path, tmp_path: Path) -> None:
    """Printed, the rows are what they were and nothing is written beside them; written to a file, the same
    bytes go into it, and its description beside it (not beside a Parquet file or a text table)."""
    printed = run_cli("share", "--by", "role", "--db", str(demo_db_names_only), "-f", fmt, cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert list(tmp_path.iterdir()) == []
    written = run_cli("share", "--by", "role", "--db", str(demo_db_names_only), "-o", f"share.{fmt}", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"share.{fmt}", f"share.{fmt}-metadata.json"]
    assert (tmp_path / f"share.{fmt}").read_text(encoding="utf-8") == printed.stdout
    assert f"share.{fmt}-metadata.json" in written.stderr
    # a relative -o: the command in the description is as it was typed, the url the file's name
    doc = _sidecar(tmp_path / f"share.{fmt}")
    assert doc["prov:wasGeneratedBy"]["rdfs:label"].endswith(f"-o share.{fmt}")
    # a Parquet file carries its provenance inside, a text table its title and caption: nothing beside them
    for name in ("out.parquet", "out.txt"):
        r = run_cli("share", "--by", "role", "--db", str(demo_db_names_only), "-o", name, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.parquet", "out.txt", f"share.{fmt}", f"share.{fmt}-metadata.json"]


def test_a_folder_where_the_description_goes_is_one_line_and_writes_nothing(demo_db_names_only: Path,
                                                                            tmp_path: Path) -> None:
    (tmp_path / "out.csv-metadata.json").mkdir()
    before = _digest(demo_db_names_only)
    r = run_cli("share", "--by", "role", "--db", str(demo_db_names_only), "-o", str(tmp_path / "out.csv"))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("crewparity: error: "), r.stderr
    assert "out.csv-metadata.json" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv-metadata.json"]
    assert _digest(demo_db_names_only) == before


def test_a_failed_description_write_leaves_neither_file(tmp_path: Path) -> None:
    """The data file and its description are written whole to temporary files before either is put in place:
    when the description cannot be written, the data file is not written either (and an earlier one stays)."""
    import os

    target = tmp_path / "out.csv"
    target.write_text("earlier,file\n", encoding="utf-8")
    meta = output.metadata_path(target)
    meta.write_text("{}", encoding="utf-8")
    blocker = tmp_path / f".{meta.name}.tmp-{os.getpid()}"
    blocker.mkdir()  # the description's temporary file cannot be made
    table = pa.table({"x": [1, 2]})
    with pytest.raises(output.ArgumentError, match="cannot write --output"):
        output.write_file(target, output.to_csv(table), (meta, "{\"@context\": \"http://www.w3.org/ns/csvw\"}"))
    assert target.read_text(encoding="utf-8") == "earlier,file\n"
    assert meta.read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [blocker.name, "out.csv", meta.name]  # no temporary file


@pytest.mark.parametrize(("column", "name"), [
    ("published (theirs)", "published%20%28theirs%29"),
    ("if_unknown_men-women", "if_unknown_men%2Dwomen"),
    ("_row", "%5Frow"),
    ("año", "a%C3%B1o"),
])
def test_column_names_are_csvw_names(column: str, name: str) -> None:
    """CSVW column names are URI template variable names; other characters are percent-encoded (as CSVW
    derives a name from a title), and the header cell is kept whole in ``titles``."""
    doc = output.csvw_metadata("t.csv", pa.table({column: [1]}), "csv", command="crewparity x", version="0")
    check_csvw(doc)
    assert doc["tableSchema"]["columns"] == [{"name": name, "titles": column, "datatype": "integer"}]


# --- figures that are not finite -------------------------------------------------------------------------------

NOT_FINITE = [float("inf"), -float("inf"), float("nan"), None, 0.25]


def test_infinite_and_nan_figures_are_valid_for_the_description(tmp_path: Path) -> None:
    """A csv export of +inf, -inf and NaN keeps to the datatype its description declares (``number``, XML Schema's
    double): ``INF`` and ``-INF``, read back as infinities, and NaN an empty cell like a null; json has no infinity,
    so the three are null there. No query of the store makes one today (every share divides by a count that is
    checked first), so the table is made here and written as every command writes one.

    Why: csv wrote Python's ``inf`` and ``-inf``, which no CSVW processor reads as a number."""
    from crewparity.cli.app import emit

    table = pa.table({"ratio": pa.array(NOT_FINITE, pa.float64()), "n": [1, 2, 3, 4, 5]})
    target = tmp_path / "out.csv"
    emit(table, None, output=target)
    doc = _sidecar(target)
    check_csvw(doc)
    columns = doc["tableSchema"]["columns"]
    assert columns[0]["datatype"] == "number"
    rows = check_cells(target, columns)
    assert [r["ratio"] for r in rows] == ["INF", "-INF", "", "", "0.25"]
    back = pyarrow_csv.read_csv(target)["ratio"].to_pylist()  # a reader gets the infinities back
    assert back == [float("inf"), -float("inf"), None, None, 0.25]
    emit(table, None, output=tmp_path / "out.json")
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"),
                         parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert [r["ratio"] for r in records] == [None, None, None, None, 0.25]
    check_csvw(_sidecar(tmp_path / "out.json"))


def test_not_finite_figures_in_a_list_cell_are_null_in_json() -> None:
    """A list cell's NaN or infinity is not JSON either (``json.dumps`` wrote bare ``Infinity`` inside it)."""
    text = output.to_json(pa.table({"xs": [[float("inf"), 1.5, float("nan")], None]}))
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON")) == \
        [{"xs": [None, 1.5, None]}, {"xs": None}]


def test_gender_estimate_of_nobody_known_writes_empty_cells_and_null(tmp_path: Path) -> None:
    """The one real table with a NaN: ``gender estimate`` of names none of which has a usable first name, whose
    shares are shares of nobody. csv writes them empty (a null), json null, and every cell is a number's
    lexical form or empty."""
    names = tmp_path / "names.txt"
    names.write_text("Xq Zzyzx\nQwrt Plk\n", encoding="utf-8")
    printed = run_cli("gender", "estimate", "-i", str(names), "-f", "csv")
    assert printed.returncode == 0, printed.stderr
    (target := tmp_path / "est.csv").write_text(printed.stdout, encoding="utf-8")
    header = next(csv.reader(io.StringIO(printed.stdout)))
    (row,) = check_cells(target, [{"titles": h, "datatype": "number"} for h in header])
    assert row["no_info"] == "2" and row["share_known"] == row["share_expected"] == row["ci_low"] == ""
    js = run_cli("gender", "estimate", "-i", str(names), "-f", "json")
    assert js.returncode == 0, js.stderr
    (record,) = json.loads(js.stdout, parse_constant=lambda c: pytest.fail(f"bare {c} in JSON"))
    assert record["no_info"] == 2 and record["share_known"] is None and record["share_expected"] is None
