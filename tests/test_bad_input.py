"""Bad input to `crewparity ingest imdb`: one line on stderr naming file, line and what was expected, exit 1,
no traceback, and the store exactly as it was (every table, and the file's bytes).

Every case starts from a store that already holds a good ingest of the real sample lines and runs the CLI in
a real process, as a user would.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests._reliability import (
    assert_alone,
    assert_ingest_refused,
    assert_one_line_error,
    copy_sample,
    gz_needles,
    gzip_tsv,
    make_dump,
    read_lines,
    snapshot,
    write_file,
)
from tests.conftest import run_cli


@pytest.fixture
def store(store_alone: Path) -> Path:
    """Each test's store: the CLI-loaded sample alone in its folder (conftest's ``store_alone``)."""
    return store_alone


def _edit_line(path: Path, line: int, change: Callable[[str], str]) -> None:
    """Line ``line`` of ``path`` (1: the header) replaced by ``change`` of it."""
    lines = read_lines(path)
    lines[line - 1] = change(lines[line - 1])
    write_file(path, lines)


def _set_field(path: Path, line: int, field: int, value: str) -> None:
    def change(text: str) -> str:
        parts = text.split("\t")
        parts[field] = value
        return "\t".join(parts)

    _edit_line(path, line, change)


# Each case: mutate a copy of the sample folder, then the substrings the one error line must hold.
def _missing_file(d: Path) -> Path:
    (d / "title.crew.tsv").unlink()
    return d


def _empty_dir(d: Path) -> Path:
    shutil.rmtree(d)
    d.mkdir()
    return d


def _path_is_file(d: Path) -> Path:
    return d / "title.basics.tsv"


def _wrong_header(d: Path) -> Path:
    _edit_line(d / "title.crew.tsv", 1, lambda _: "tconst\tdirector\twriters")
    return d


def _wrong_file(d: Path) -> Path:
    # name.basics where title.basics should be: the header tells them apart before any row is read.
    shutil.copy(d / "name.basics.tsv", d / "title.basics.tsv")
    return d


def _truncated_gzip(d: Path) -> Path:
    gen = d.parent / "gen"
    make_dump(gen, 5000, gz=True)
    (d / "name.basics.tsv").unlink()
    data = (gen / "name.basics.tsv.gz").read_bytes()
    (d / "name.basics.tsv.gz").write_bytes(data[: len(data) // 2])
    return d


def _truncated_gzip_joined(d: Path) -> Path:
    # title.episode is read in the same statement as title.basics: the error must name the right one.
    gen = d.parent / "gen"
    make_dump(gen, 9000, gz=True)
    for name in ("title.basics", "title.episode"):
        (d / f"{name}.tsv").unlink()
        data = (gen / f"{name}.tsv.gz").read_bytes()
        (d / f"{name}.tsv.gz").write_bytes(data if name == "title.basics" else data[: len(data) // 2])
    return d


def _not_gzip(d: Path) -> Path:
    (d / "title.ratings.tsv").rename(d / "title.ratings.tsv.gz")  # plain text under a .gz name
    return d


def _too_many_fields(d: Path) -> Path:
    _edit_line(d / "title.crew.tsv", 5, lambda text: text + "\textra")
    return d


def _too_few_fields(d: Path) -> Path:
    _edit_line(d / "title.episode.tsv", 10, lambda text: "\t".join(text.split("\t")[:2]))
    return d


def _wrong_type(d: Path) -> Path:
    _set_field(d / "title.basics.tsv", 7, 5, "abc")
    return d


def _wrong_type_unused_column(d: Path) -> Path:
    # `ordering` is never used by the ingest; DuckDB would prune it and never cast it without the guard.
    _set_field(d / "title.principals.tsv", 3, 1, "x")
    return d


def _invalid_utf8(d: Path) -> Path:
    with open(d / "name.basics.tsv", "ab") as fh:
        fh.write(b"nm9999999\tBad \xff\xfe Name\t\\N\t\\N\tactor\t\\N\n")
    return d


def _stray_carriage_return(d: Path) -> Path:
    _edit_line(d / "title.ratings.tsv", 12, lambda text: text + "\r")
    return d


def _empty_file(d: Path) -> Path:
    (d / "title.episode.tsv").write_bytes(b"")
    return d


CASES: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "missing_file": (_missing_file, ("missing title.crew.tsv.gz", "an IMDb dump folder holds")),
    "empty_dir": (_empty_dir, ("empty folder", "expected the IMDb dump files", "title.basics.tsv.gz")),
    "path_is_file": (_path_is_file, ("title.basics.tsv: not a folder", "expected a folder of IMDb dump files")),
    "wrong_header": (_wrong_header, ("title.crew.tsv:1: wrong header", "expected the title.crew columns")),
    "wrong_file": (_wrong_file, ("title.basics.tsv:1: wrong header nconst", "expected the title.basics columns")),
    "truncated_gzip": (_truncated_gzip, ("name.basics.tsv.gz", "truncated or corrupt gzip", "expected a complete")),
    "truncated_gzip_joined": (_truncated_gzip_joined, ("title.episode.tsv.gz", "truncated or corrupt gzip")),
    "not_gzip": (_not_gzip, ("title.ratings.tsv.gz", "not a readable gzip file", "expected gzipped TSV")),
    "too_many_fields": (_too_many_fields, ("title.crew.tsv:5:", "expected 3 tab-separated fields, found 4")),
    "too_few_fields": (_too_few_fields, ("title.episode.tsv:10:", "expected 4 tab-separated fields, found 2")),
    "wrong_type": (_wrong_type, ("title.basics.tsv:7:", "startYear", '"abc"', "INTEGER")),
    "wrong_type_unused_column": (_wrong_type_unused_column, ("title.principals.tsv:3:", "ordering", "INTEGER")),
    "invalid_utf8": (_invalid_utf8, ("name.basics.tsv:101:", "not valid UTF-8", "expected")),
    "stray_carriage_return": (_stray_carriage_return, ("title.ratings.tsv:12:", "carriage return", "expected")),
    "empty_file": (_empty_file, ("title.episode.tsv:1: empty file", "expected a header line")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_folder_fails_with_one_line_and_leaves_store_unchanged(case: str, tmp_path: Path, store: Path) -> None:
    mutate, needles = CASES[case]
    assert_ingest_refused(mutate(copy_sample(tmp_path / "dump")), store, needles)
    assert_alone(store)


@pytest.mark.parametrize("case", ["too_many_fields", "wrong_type", "invalid_utf8", "truncated_gzip"])
def test_gzipped_inputs_fail_the_same_way(case: str, tmp_path: Path, store: Path) -> None:
    """The same faults inside .tsv.gz files: still one line naming the .gz file (and the line)."""
    mutate, needles = CASES[case]
    assert_ingest_refused(gzip_tsv(mutate(copy_sample(tmp_path / "dump"))), store, gz_needles(needles))


def _without_dac_override() -> list[str]:
    """A command prefix that makes permission bits bind (root ignores them), or skip."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: chmod 000 does not deny root a read")
    prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop CAP_DAC_OVERRIDE here: {probe.stderr.decode(errors='replace').strip()}")
    return prefix


@pytest.mark.parametrize("what", ["file", "folder"])
def test_unreadable_path(what: str, tmp_path: Path, store: Path) -> None:
    prefix = _without_dac_override()
    d = copy_sample(tmp_path / "dump")
    victim = d / "title.crew.tsv" if what == "file" else d
    before = snapshot(store)
    victim.chmod(0)
    try:
        env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
        result = subprocess.run([*prefix, sys.executable, "-m", "crewparity", "ingest", "imdb", str(d), "--db", str(store)],
                                capture_output=True, text=True, env=env, timeout=300)
    finally:
        victim.chmod(0o755)
    expected = "title.crew.tsv: cannot read the file (permission denied)" if what == "file" else \
        "dump: folder is not readable (permission denied)"
    assert_one_line_error(result, expected)
    assert snapshot(store) == before


def test_store_from_a_newer_schema_is_refused(tmp_path: Path, store: Path, shared_data: Path) -> None:
    con = duckdb.connect(str(store))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = store.read_bytes()
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(store))
    assert_one_line_error(result, "crew.duckdb: written by a newer crewparity (schema 99)", "upgrade crewparity")
    assert store.read_bytes() == before
    # A reading command refuses it the same way.
    from crewparity.errors import StoreError
    from crewparity.store import open_store

    with pytest.raises(StoreError, match="newer crewparity"):
        open_store(store)


@pytest.mark.parametrize("content", [b"hello, I am a CSV\n", os.urandom(8192), b""], ids=["text", "random", "empty"])
def test_store_that_is_not_duckdb_is_refused(content: bytes, tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "notastore.duckdb"
    db.write_bytes(content)
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(db))
    assert_one_line_error(result, "notastore.duckdb:", "store")
    assert db.read_bytes() == content


def test_duckdb_file_of_another_program_is_refused(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE invoices(id INTEGER)")
    con.execute("INSERT INTO invoices VALUES (1), (2)")
    con.close()
    before = db.read_bytes()
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(db))
    assert_one_line_error(result, "other.duckdb: not a crewparity store")
    assert db.read_bytes() == before


def test_store_folder_missing(tmp_path: Path, shared_data: Path) -> None:
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(tmp_path / "nope" / "x.duckdb"))
    assert_one_line_error(result, "x.duckdb: the store's folder does not exist")
    assert not (tmp_path / "nope").exists()


def test_rejects_option_needs_skip_bad(tmp_path: Path, store: Path, shared_data: Path) -> None:
    assert_ingest_refused(shared_data / "imdb_sample_2021", store, ("--rejects needs --skip-bad",),
                          "--rejects", str(tmp_path / "r.tsv"))
    assert not (tmp_path / "r.tsv").exists()


def test_a_good_ingest_still_works_after_every_failure(tmp_path: Path, store: Path, shared_data: Path) -> None:
    """The failures above leave no lock or temp file behind that would block the next ingest."""
    d = _too_many_fields(copy_sample(tmp_path / "dump"))
    assert run_cli("ingest", "imdb", str(d), "--db", str(store)).returncode == 1
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(store))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT count(*) FROM titles").fetchall()[0][0] == 99
    con.close()


# --- --skip-bad ---------------------------------------------------------------------------------------------

def _count_data_lines(path: Path) -> int:
    return sum(1 for ln in path.read_bytes().split(b"\n")[1:] if ln not in (b"", b"\r"))


def test_skip_bad_accounts_for_every_line(tmp_path: Path, store: Path) -> None:
    """Four faults in four files: each skipped and listed with file:line and reason; read = stored + rejected."""
    d = copy_sample(tmp_path / "dump")
    _too_many_fields(d)            # title.crew.tsv:5
    _wrong_type(d)                 # title.basics.tsv:7
    _wrong_type_unused_column(d)   # title.principals.tsv:3
    _invalid_utf8(d)               # name.basics.tsv:101
    rejects = tmp_path / "rejected lines.tsv"
    result = run_cli("ingest", "imdb", str(d), "--db", str(store), "--skip-bad", "--rejects", str(rejects))
    assert result.returncode == 0, result.stderr
    total = sum(_count_data_lines(f) for f in d.glob("*.tsv") if f.name != "title.akas.tsv")  # akas is not read
    assert f"read {total:,} lines: {total - 4:,} stored, 4 rejected" in result.stdout
    with open(rejects, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    got = sorted((Path(r["file"]).name, int(r["line"])) for r in rows)
    assert got == [("name.basics.tsv", 101), ("title.basics.tsv", 7), ("title.crew.tsv", 5), ("title.principals.tsv", 3)]
    reasons = {Path(r["file"]).name: r["reason"] for r in rows}
    assert "TOO MANY COLUMNS" in reasons["title.crew.tsv"]
    assert "startYear" in reasons["title.basics.tsv"] and "abc" in reasons["title.basics.tsv"]
    assert "ordering" in reasons["title.principals.tsv"]
    assert "INVALID ENCODING" in reasons["name.basics.tsv"]
    for r in rows:
        assert r["location"] == f"{r['file']}:{r['line']}"
    con = duckdb.connect(str(store), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("titles", "people")}
    detail = con.execute("SELECT detail FROM sources WHERE source = 'imdb'").fetchall()[0][0]
    assert con.execute("SELECT count(*) FROM titles WHERE title_id = 'tt0000006'").fetchall() == [(0,)]
    con.close()
    assert counts == {"titles": 98, "people": 99}
    assert "rejected_lines=4" in detail


def test_skip_bad_default_rejects_file_and_clean_input(tmp_path: Path, store: Path, shared_data: Path) -> None:
    result = run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(store), "--skip-bad")
    assert result.returncode == 0, result.stderr
    default = store.with_name(store.name + ".rejects.tsv")
    assert default.read_text(encoding="utf-8") == "location\tfile\tline\treason\ttext\n"
    assert "0 rejected" in result.stdout


@pytest.mark.parametrize("case", ["truncated_gzip", "wrong_header", "missing_file", "stray_carriage_return"])
def test_skip_bad_still_fails_on_what_it_cannot_skip(case: str, tmp_path: Path, store: Path) -> None:
    mutate, needles = CASES[case]
    assert_ingest_refused(mutate(copy_sample(tmp_path / "dump")), store, needles, "--skip-bad")
    assert not store.with_name(store.name + ".rejects.tsv").exists()
