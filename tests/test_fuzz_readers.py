"""Property tests for the readers: whatever bytes a file holds, an ingest either stores every line (exact
accounting, checked against an independent count of the file's lines) or fails with one :class:`InputError`,
and a failed ingest leaves the store's bytes untouched. Never another exception type, never a half-written
store.

Each property runs a bounded number of examples (``CREWPARITY_FUZZ_EXAMPLES``, default 40) in-process.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crewparity import api
from crewparity.errors import InputError
from tests._reliability import HEADERS, copy_sample, write_file

EXAMPLES = int(os.environ.get("CREWPARITY_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: The fuzzed file and the table that gets exactly one row per accepted line of it.
TARGETS = {"name.basics": "people", "title.basics": "titles"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A sample folder and a good store, built once; each example works on fresh copies."""
    root = tmp_path_factory.mktemp("fuzz")
    copy_sample(root / "sample")
    api.ingest_imdb(root / "sample", root / "good.duckdb")
    return root


def _data_lines(content: bytes) -> int:
    """Independent count of data lines: after the header, not blank (readers skip blank lines)."""
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return sum(1 for ln in lines[1:] if ln not in (b"", b"\r"))


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _check(workdir: Path, target: str, content: bytes, *, skip_bad: bool) -> str:
    """Ingest the sample with ``target`` replaced by ``content``; assert the contract; return the outcome."""
    outcome = _check_inner(workdir, target, content, skip_bad=skip_bad)
    if _in_hypothesis():
        event(f"{'skip-bad' if skip_bad else 'strict'}: {outcome}")
    return outcome


def _check_inner(workdir: Path, target: str, content: bytes, *, skip_bad: bool) -> str:
    case = workdir / "case"
    if case.exists():
        shutil.rmtree(case)
    shutil.copytree(workdir / "sample", case / "dump")
    (case / "dump" / f"{target}.tsv").write_bytes(content)
    db = case / "store.duckdb"
    shutil.copy(workdir / "good.duckdb", db)
    before = _sha(db)
    try:
        summary = api.ingest_imdb(case / "dump", db, skip_bad=skip_bad)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and message.strip() == message and message
        assert f"{target}.tsv" in message or "dump" in message, message
        assert _sha(db) == before, "a failed ingest changed the store"
        event(f"error: {exc.reason[:40]}") if _in_hypothesis() else None
        assert sorted(p.name for p in case.iterdir()) == ["dump", "store.duckdb", "store.duckdb.lock"]
        return "error"
    expected = _data_lines(content)
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.execute(f"SELECT count(*) FROM {TARGETS[target]} WHERE source = 'imdb'").fetchall()[0][0]
    finally:
        con.close()
    if not skip_bad:
        assert summary.rejects is None
        assert stored == expected, (stored, expected)
        return "stored"
    log = summary.rejects
    assert log is not None
    key = str(case / "dump" / f"{target}.tsv")
    read, accepted, rejected = log.accounting[key]
    assert read == expected, (read, expected)
    assert read == accepted + rejected
    assert accepted == stored
    with open(summary.rejects_path or "", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    mine = [r for r in rows if r["file"] == key]
    assert len(mine) == rejected
    n_lines = content.count(b"\n") + 1
    for r in mine:
        assert r["location"] == f"{key}:{r['line']}" and 2 <= int(r["line"]) <= n_lines and r["reason"]
    return "stored" if rejected == 0 else "skipped"


def _in_hypothesis() -> bool:
    from hypothesis.control import currently_in_test_context

    return currently_in_test_context()


# --- strategies -------------------------------------------------------------------------------------------

FIELD = st.one_of(
    st.just("\\N"), st.just(""), st.just("NA"), st.just("Null"), st.just('"'), st.just('a "quoted" name'),
    st.integers(-10**12, 10**12).map(str), st.just("abc"), st.just("1.5"),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=30),
    st.from_regex(r"(nm|tt)[0-9]{7}", fullmatch=True),
)


def _line(n_fields: int) -> st.SearchStrategy[str]:
    return st.integers(n_fields - 2, n_fields + 2).flatmap(
        lambda k: st.lists(FIELD, min_size=max(k, 1), max_size=max(k, 1)).map("\t".join)
    )


def _good_line(target: str) -> st.SearchStrategy[str]:
    if target == "name.basics":
        return st.builds(lambda i, name, y: f"nm{i:07d}\t{name}\t{y}\t\\N\tdirector\t\\N",
                         st.integers(0, 9_999_999),
                         st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=40),
                         st.one_of(st.just("\\N"), st.integers(1800, 2030).map(str)))
    return st.builds(lambda i, t, y: f"tt{i:07d}\tmovie\t{t}\t{t}\t0\t{y}\t\\N\t90\tDrama",
                     st.integers(0, 9_999_999),
                     st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=40),
                     st.one_of(st.just("\\N"), st.integers(1800, 2030).map(str)))


def _tsv(target: str) -> st.SearchStrategy[bytes]:
    n = len(HEADERS[target].split("\t"))
    lines = st.lists(st.one_of(_good_line(target), _line(n)), max_size=25)
    return lines.map(lambda ls: ("\n".join([HEADERS[target], *ls]) + "\n").encode("utf-8"))


TARGET = st.sampled_from(sorted(TARGETS))


@FUZZ
@given(target=TARGET, body=st.binary(max_size=600), keep_header=st.booleans(), skip_bad=st.booleans())
def test_random_bytes(workdir: Path, target: str, body: bytes, keep_header: bool, skip_bad: bool) -> None:
    content = (HEADERS[target].encode() + b"\n" + body) if keep_header else body
    _check(workdir, target, content, skip_bad=skip_bad)


@FUZZ
@given(target=TARGET, data=st.data(), skip_bad=st.booleans())
def test_random_tsv_lines_and_wrong_column_counts(workdir: Path, target: str, data: st.DataObject, skip_bad: bool) -> None:
    _check(workdir, target, data.draw(_tsv(target)), skip_bad=skip_bad)


@FUZZ
@given(target=TARGET, data=st.data(), where=st.integers(0, 10**6), bad=st.sampled_from(
    [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\x80\x80", b"\xf8\x88\x80\x80\x80"]))
def test_invalid_utf8_is_skipped_or_named(workdir: Path, target: str, data: st.DataObject, where: int, bad: bytes) -> None:
    content = data.draw(_tsv(target))
    first_nl = content.index(b"\n") + 1
    if len(content) > first_nl + 1:
        cut = first_nl + where % (len(content) - first_nl - 1)
        if content[cut:cut + 1] in (b"\t", b"\n"):
            cut += 1
        content = content[:cut] + bad + content[cut:]
    for skip_bad in (False, True):
        outcome = _check(workdir, target, content, skip_bad=skip_bad)
        if not skip_bad and bad in content[first_nl:]:
            assert outcome == "error"


@FUZZ
@given(target=TARGET, data=st.data(), bom=st.booleans(), crlf=st.booleans(), skip_bad=st.booleans())
def test_bom_and_windows_line_ends(workdir: Path, target: str, data: st.DataObject, bom: bool, crlf: bool,
                                   skip_bad: bool) -> None:
    # good lines have ids of their own: an id on two lines is an error (tests/test_ingest_repeated_ids.py)
    lines = data.draw(st.lists(_good_line(target), max_size=15, unique_by=lambda line: line.split("\t", 1)[0]))
    content = ("\n".join([HEADERS[target], *lines]) + "\n").encode()
    if crlf:
        content = content.replace(b"\n", b"\r\n")
    if bom:
        content = b"\xef\xbb\xbf" + content
    assert _check(workdir, target, content, skip_bad=skip_bad) == "stored"


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\n", HEADERS["name.basics"].encode(),
                                     HEADERS["name.basics"].encode() + b"\n"],
                         ids=["empty", "newline", "crlf", "header-no-newline", "header-only"])
def test_empty_files(workdir: Path, content: bytes) -> None:
    outcome = _check(workdir, "name.basics", content, skip_bad=False)
    assert outcome == ("stored" if content.startswith(b"nconst") else "error")


@pytest.mark.parametrize("size", [1 << 20])
def test_huge_field(workdir: Path, size: int) -> None:
    """A 1 MB name is a name: stored whole."""
    name = "N" * size
    content = f"{HEADERS['name.basics']}\nnm0000001\t{name}\t\\N\t\\N\tdirector\t\\N\nnm0000002\tAda\t\\N\t\\N\t\\N\t\\N\n"
    assert _check(workdir, "name.basics", content.encode(), skip_bad=False) == "stored"
    con = duckdb.connect(str(workdir / "case" / "store.duckdb"), read_only=True)
    assert con.execute("SELECT length(name) FROM people WHERE person_id = 'nm0000001'").fetchall() == [(size,)]
    con.close()


def test_line_longer_than_the_reader_allows(workdir: Path) -> None:
    """Beyond DuckDB's line limit the ingest fails with one line naming the file, or skips it with --skip-bad."""
    content = f"{HEADERS['name.basics']}\nnm0000001\t{'N' * (3 << 20)}\t\\N\t\\N\tdirector\t\\N\n".encode()
    for skip_bad in (False, True):
        assert _check(workdir, "name.basics", content, skip_bad=skip_bad) in {"error", "skipped", "stored"}


def test_crlf_files_in_gzip(tmp_path: Path, shared_data: Path) -> None:
    """Every file of the sample with Windows line ends, gzipped: same rows as the original."""
    d = copy_sample(tmp_path / "dump")
    for f in list(d.glob("*.tsv")):
        lines = f.read_text(encoding="utf-8").split("\n")[:-1]
        write_file(f.with_name(f.name + ".gz"), lines, crlf=True)
        f.unlink()
    summary = api.ingest_imdb(d, tmp_path / "s.duckdb")
    assert summary.rows["titles"] == 99 and summary.rows["people"] == 99
