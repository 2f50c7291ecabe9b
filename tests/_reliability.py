"""Helpers for the reliability tests: IMDb-format dumps of any size, store snapshots, error-line checks.

Not a test module. The generated dumps follow the real files' columns (and reuse real names/titles from the
shared sample) so a failure here is a failure a user could meet; their size is chosen per test.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import IMDB_SAMPLE, run_cli

HEADERS = {
    "title.basics": "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
    "title.episode": "tconst\tparentTconst\tseasonNumber\tepisodeNumber",
    "title.crew": "tconst\tdirectors\twriters",
    "title.principals": "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
    "name.basics": "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
    "title.ratings": "tconst\taverageRating\tnumVotes",
}
REQUIRED = tuple(HEADERS)
TABLES = ("meta", "sources", "titles", "people", "credits", "gender_evidence", "resolved_gender")


def copy_sample(dst: Path, *, gz: bool = False) -> Path:
    """The real 99-line sample files in ``dst`` (optionally gzipped)."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(IMDB_SAMPLE.glob("*.tsv")):
        if gz:
            with open(f, "rb") as src, gzip.open(dst / (f.name + ".gz"), "wb", compresslevel=1) as out:
                shutil.copyfileobj(src, out)
        else:
            shutil.copy(f, dst / f.name)
    return dst


def read_lines(path: Path) -> list[str]:
    """A text file's lines, without their ``\\n`` (the last line ends with one)."""
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def write_file(path: Path, lines: list[str] | list[bytes], *, crlf: bool = False) -> None:
    """Write lines (text or bytes) with ``\\n`` (or ``\\r\\n``) after each; gzip when the name ends in .gz."""
    end = b"\r\n" if crlf else b"\n"
    data = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + end for x in lines)
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=1)
    path.write_bytes(data)


def make_dump(dst: Path, n_titles: int, *, gz: bool = True, seed_name: str = "Ada") -> dict[str, int]:
    """Write an IMDb-format dump with ``n_titles`` titles (3 principals each); return data lines per file."""
    dst.mkdir(parents=True, exist_ok=True)
    ext = ".tsv.gz" if gz else ".tsv"
    n_people = max(1, n_titles // 2)
    r = range(n_titles)
    files = {
        "title.basics": [f"tt{9000000 + i}\t{'tvEpisode' if i % 3 else 'movie'}\tA \"Title\" {i}\tA \"Title\" {i}\t0\t"
                         f"{1950 + i % 70}\t\\N\t{60 + i % 90}\tDrama,Comedy" for i in r],
        "title.episode": [f"tt{9000000 + i}\ttt{9000000 + i - i % 3}\t{i % 7 or chr(92) + 'N'}\t{i % 13}"
                          for i in r if i % 3],
        "title.crew": [f"tt{9000000 + i}\tnm{8000000 + i % n_people}\tnm{8000000 + (i + 1) % n_people},"
                       f"nm{8000000 + (i + 2) % n_people}" for i in r],
        "title.principals": [f"tt{9000000 + i}\t{k + 1}\tnm{8000000 + (i + k) % n_people}\t"
                             f"{('actress', 'producer', 'editor')[k]}\t\\N\t\\N" for i in r for k in range(3)],
        "name.basics": [f"nm{8000000 + j}\t{seed_name} Person{j}\t{1900 + j % 100}\t\\N\t"
                        f"{'actress' if j % 2 else 'director,writer'}\ttt{9000000 + j % n_titles}"
                        for j in range(n_people)],
        "title.ratings": [f"tt{9000000 + i}\t{1 + i % 90 / 10:.1f}\t{i % 5000}" for i in r],
    }
    for name, lines in files.items():
        write_file(dst / f"{name}{ext}", [HEADERS[name], *lines])
    return {name: len(lines) for name, lines in files.items()}


def snapshot(db: Path) -> dict[str, Any]:
    """Every table's full contents (sorted) plus the file's hash: equal snapshots mean an unchanged store."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    finally:
        con.close()
    return {"sha256": digest, "tables": tables}


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.startswith("crewparity: error:")]


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1, no traceback, exactly one ``crewparity: error:`` line, and it is the last line on stderr."""
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errs = error_lines(result)
    assert len(errs) == 1, result.stderr[-2000:]
    assert result.stderr.rstrip("\n").splitlines()[-1] == errs[0]
    line = errs[0]
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def gzip_tsv(d: Path) -> Path:
    """Each ``.tsv`` file of the folder ``d`` replaced by its bytes gzipped (``.tsv.gz``). Returns ``d``."""
    for f in list(d.glob("*.tsv")):
        with open(f, "rb") as src, gzip.open(f.with_name(f.name + ".gz"), "wb") as out:
            shutil.copyfileobj(src, out)
        f.unlink()
    return d


def gz_needles(needles: tuple[str, ...]) -> tuple[str, ...]:
    """An error line's expected parts with each ``FILE.tsv:LINE`` named as the gzipped file's."""
    return tuple(n.replace(".tsv:", ".tsv.gz:") for n in needles)


def assert_ingest_refused(dump: Path, store: Path, needles: tuple[str, ...], *options: str) -> None:
    """``crewparity ingest imdb DUMP --db STORE OPTIONS`` in a real process fails with one error line holding each of
    ``needles`` (:func:`assert_one_line_error`), and the store is exactly as it was (every table and its bytes)."""
    before = snapshot(store)
    assert_one_line_error(run_cli("ingest", "imdb", str(dump), "--db", str(store), *options), *needles)
    assert snapshot(store) == before


def assert_alone(store: Path) -> None:
    """Nothing but the store (and its lock file) in its folder: a failed ingest left no temporary file."""
    assert sorted(p.name for p in store.parent.iterdir() if not p.name.endswith(".lock")) == [store.name]


# --- hostile data and a live dashboard ------------------------------------------------------------------------

HOSTILE_SERIES = '<script>alert("series")</script>'
HOSTILE_EPISODE = '"><img src=x onerror=alert(1)>'
HOSTILE_PERSON = "<b onmouseover=alert(2)>Ann</b> & Co"


def hostile_dump(dst: Path) -> Path:
    """The real sample plus a series whose title, episode titles and director names are HTML/JS payloads."""
    copy_sample(dst)

    def add(name: str, lines: list[str]) -> None:
        with open(dst / f"{name}.tsv", "a", encoding="utf-8", newline="") as fh:
            fh.write("".join(line + "\n" for line in lines))

    add("title.basics", [f"tt9900001\ttvSeries\t{HOSTILE_SERIES}\t{HOSTILE_SERIES}\t0\t2015\t2019\t50\tDrama"]
        + [f"tt99000{10 + i}\ttvEpisode\t{HOSTILE_EPISODE} {i}\t{HOSTILE_EPISODE}\t0\t2015\t\\N\t50\tDrama"
           for i in range(6)])
    add("title.episode", [f"tt99000{10 + i}\ttt9900001\t{1 + i // 3}\t{1 + i % 3}" for i in range(6)])
    add("title.crew", [f"tt99000{10 + i}\tnm990000{i % 2 + 1}\t\\N" for i in range(6)])
    add("name.basics", [f"nm9900001\t{HOSTILE_PERSON}\t\\N\t\\N\tactress,director\t\\N",
                        "nm9900002\tBob <i>Smith</i>\t\\N\t\\N\tactor,director\t\\N"])
    return dst


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVE_SNIPPET = (
    "import sys, uvicorn\n"
    "from crewparity.web.app import create_app\n"
    "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
)


def start_server(db: Path, *, use_cli: bool | None = None, extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen[str], str]:
    """Run the dashboard in its own process on 127.0.0.1 (``crewparity serve`` when it exists); wait until it answers."""
    import os
    import sys
    import time

    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    if use_cli is None:
        use_cli = has_serve_command()
    if use_cli:
        cmd = [sys.executable, "-m", "crewparity", "serve", "--db", str(db), "--port", str(port), *extra]
    else:
        cmd = [sys.executable, "-c", SERVE_SNIPPET, str(db), str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"server exited {proc.returncode}: {err[-2000:]}")
        try:
            httpx.get(base + "/openapi.json", timeout=2)
            return proc, base
        except httpx.TransportError:
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("server did not start within 60 s") from None
            time.sleep(0.1)


def stop_server(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


def has_serve_command() -> bool:
    import typer.main

    from crewparity.cli import app

    group = typer.main.get_command(app)
    return "serve" in getattr(group, "commands", {})


def q(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of one query on a store file, opened read-only and closed again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --- the table an ingest prints -------------------------------------------------------------------------------

#: the tables an ingest's summary has a row for, in its order
SUMMARY_TABLES = ("titles", "people", "credits", "gender_evidence", "resolved_gender")


def store_counts(db: Path) -> dict[str, int]:
    """The rows of each of :data:`SUMMARY_TABLES` in the store ``db``."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in SUMMARY_TABLES}
    finally:
        con.close()


def printed_table(stdout: str) -> dict[str, list[str]]:
    """The rows of a table rich printed, by their first cell (the header under "table")."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.replace("┃", "│").split("│")[1:-1]]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def check_ingest_table(stdout: str, db: Path, header: list[str], rows: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The table an ingest printed (``stdout``) has the columns ``header``, and each table named in ``rows`` has
    its given cells (the rows in the files, the rows added ...) followed by the store's count after the load, with
    thousands separators. Returns those counts (:func:`store_counts`)."""
    table = printed_table(stdout)
    after = store_counts(db)
    assert table["table"] == header
    for name, cells in rows.items():
        assert table[name] == [*cells, f"{after[name]:,}"], name
    return after
