"""`crewparity fetch imdb DIR` against a real HTTP server on 127.0.0.1 serving gzip files made from the real IMDb
sample lines, with Range, If-Range, ETag, Last-Modified, If-None-Match and If-Modified-Since, scripted to fail as
servers do."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import logging
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb
import pytest

from crewparity import api
from crewparity.errors import ArgumentError, CrewparityError, InputError
from crewparity.sources.http import USER_AGENT
from crewparity.sources.imdb_download import DEFAULT_FILES, SIDECAR, FetchSummary, check_gzip
from tests._local_server import local_server
from tests.conftest import IMDB_SAMPLE, ingest_cli, run_cli

SIX = ["title.basics", "title.episode", "title.crew", "title.principals", "name.basics", "title.ratings"]

#: a scripted answer for the next GET of a file: ("drop", K) sends K bytes of the body then closes the connection;
#: ("status", code, retry_after) answers that status; ("ignore_range",) answers 200 with the whole file
Action = tuple


class Dumps:
    """The dump server's state: the files it serves, what it was asked, and what it will do next."""

    def __init__(self, files: dict[str, bytes]):
        self.files: dict[str, bytes] = {}
        self.tags: dict[str, tuple[str, str]] = {}
        self.script: dict[str, list[Action]] = {}
        self.asked: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        #: a 304 says the file's ETag and Last-Modified (as S3 does); False: neither (RFC 9110 requires neither)
        self.validators_on_304 = True
        for n, (name, data) in enumerate(files.items()):
            self.put(name, data, n)

    def put(self, name: str, data: bytes, when: int = 0) -> None:
        """Serve ``data`` as ``name``: a new version, with its own ETag and Last-Modified."""
        self.files[name] = data
        self.tags[name] = (f'"{hashlib.sha1(data).hexdigest()[:16]}"',
                           email.utils.formatdate(1_600_000_000 + when * 3600 + len(data), usegmt=True))

    def asked_for(self, name: str) -> list[dict[str, str]]:
        return [h for n, h in self.asked if n == name]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        dumps = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                name = self.path.lstrip("/")
                with dumps.lock:
                    dumps.asked.append((name, {k.lower(): v for k, v in self.headers.items()}))
                    script = dumps.script.get(name)
                    action = script.pop(0) if script else None
                    data = dumps.files.get(name)
                    etag, modified = dumps.tags.get(name, ("", ""))
                if data is None:
                    return self._empty(404)
                if action is not None and action[0] == "status":
                    return self._empty(action[1], {"Retry-After": action[2]} if action[2] is not None else {})
                inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                if (inm is not None and inm == etag) or (inm is None and ims is not None and _not_after(modified, ims)):
                    return self._empty(304, {"ETag": etag, "Last-Modified": modified} if dumps.validators_on_304
                                       else {}, length=False)
                start, status, extra = 0, 200, {}
                m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
                if m and (action is None or action[0] != "ignore_range"):
                    if_range = self.headers.get("If-Range")
                    if if_range is None or if_range in (etag, modified):
                        start = int(m.group(1))
                        if start >= len(data):
                            return self._empty(416, {"Content-Range": f"bytes */{len(data)}"})
                        status = 206
                        extra = {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
                body = data[start:]
                self.send_response(status)
                for k, v in {"ETag": etag, "Last-Modified": modified, "Accept-Ranges": "bytes",
                             "Content-Type": "application/gzip", "Content-Length": str(len(body)), **extra}.items():
                    self.send_header(k, v)
                self.end_headers()
                if action is not None and action[0] == "drop":
                    self.wfile.write(body[:action[1]])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def _empty(self, status: int, headers: dict[str, str] | None = None, length: bool = True) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if length:
                    self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


def _not_after(modified: str, since: str) -> bool:
    """If-Modified-Since as a server evaluates it (RFC 9110 13.1.3): not modified when the file's Last-Modified is
    no later than the date asked (an unreadable date: modified)."""
    try:
        return email.utils.parsedate_to_datetime(modified) <= email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def sample_gz(folder: Path) -> dict[str, bytes]:
    """The real IMDb sample files, gzipped as IMDb serves them (title.akas too), by name."""
    out = {}
    for tsv in sorted(IMDB_SAMPLE.glob("*.tsv")):
        out[tsv.name + ".gz"] = gzip.compress(tsv.read_bytes(), mtime=0)
    assert len(out) == 7, f"the IMDb sample at {IMDB_SAMPLE} is incomplete"
    return out


@contextmanager
def sample_server(tmp_path: Path) -> Iterator[tuple[Dumps, str]]:
    """A dump server of the real IMDb sample on 127.0.0.1 while the block runs: its state, and its URL."""
    if not IMDB_SAMPLE.is_dir():
        pytest.skip(f"shared data not found at {IMDB_SAMPLE}")
    dumps = Dumps(sample_gz(tmp_path))
    with local_server(dumps.handler()) as url:
        yield dumps, url


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[Dumps, str]]:
    with sample_server(tmp_path) as served:
        yield served


def fetch(folder: Path, base: str, **kwargs: object) -> FetchSummary:
    kwargs.setdefault("backoff", 0.0)
    return api.fetch_imdb(folder, base_url=base, **kwargs)  # type: ignore[arg-type]


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("titles", "people", "credits", "episodes")}
    finally:
        con.close()


def test_fetch_then_ingest_then_up_to_date(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    folder = tmp_path / "new" / "imdb"  # made, parents too
    r = run_cli("fetch", "imdb", str(folder), "--base-url", base)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*DEFAULT_FILES, SIDECAR]), names  # the six ingest reads; no akas, no .part
    for name in DEFAULT_FILES:
        assert (folder / name).read_bytes() == dumps.files[name]
        assert dumps.asked_for(name)[0]["user-agent"] == USER_AGENT
        assert "range" not in dumps.asked_for(name)[0]
    assert "title.akas.tsv.gz" not in [n for n, _ in dumps.asked]
    assert r.stdout.count("downloaded") == 6 and "up to date" not in r.stdout
    assert f"crewparity ingest imdb {folder} --db" in r.stdout
    assert "title.principals.tsv.gz:" in r.stderr  # the plain progress line of a bar off a terminal
    # the fetched folder ingests to the same store as the sample's own files
    fetched = ingest_cli("imdb", folder, db=tmp_path / "fetched.duckdb")
    direct = ingest_cli("imdb", IMDB_SAMPLE, db=tmp_path / "direct.duckdb")
    got = counts(fetched)
    assert got == counts(direct) and got["titles"] > 0 and got["credits"] > 0
    # a second run: every file up to date by its ETag, nothing transferred
    before = {n: (folder / n).stat().st_mtime_ns for n in DEFAULT_FILES}
    asked = len(dumps.asked)
    summary = fetch(folder, base)
    assert [f.status for f in summary.files] == ["up to date"] * 6 and summary.transferred == 0
    assert [f.size for f in summary.files] == [len(dumps.files[n]) for n in DEFAULT_FILES]
    for name, headers in dumps.asked[asked:]:
        assert headers["if-none-match"] == dumps.tags[name][0]
        assert headers["if-modified-since"] == dumps.tags[name][1]
    assert before == {n: (folder / n).stat().st_mtime_ns for n in DEFAULT_FILES}
    # a changed file is downloaded again, the others stay up to date
    dumps.put("title.ratings.tsv.gz", gzip.compress(b"tconst\taverageRating\tnumVotes\ntt0000001\t5.7\t1900\n"), 9)
    summary = fetch(folder, base)
    assert [f.status for f in summary.files] == ["up to date"] * 5 + ["downloaded"]
    assert (folder / "title.ratings.tsv.gz").read_bytes() == dumps.files["title.ratings.tsv.gz"]
    # --force: everything again
    summary = fetch(folder, base, force=True)
    assert [f.status for f in summary.files] == ["downloaded"] * 6
    assert summary.transferred == sum(len(dumps.files[n]) for n in DEFAULT_FILES)


def test_dropped_connection_is_retried_from_where_it_stopped(server: tuple[Dumps, str], tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    dumps, base = server
    name = "name.basics.tsv.gz"
    dumps.script[name] = [("drop", 1000), ("drop", 500)]
    with caplog.at_level(logging.INFO, logger="crewparity"):
        summary = fetch(tmp_path, base, files=["name.basics"])
    assert (tmp_path / name).read_bytes() == dumps.files[name]
    assert not (tmp_path / (name + ".part")).exists()
    asked = dumps.asked_for(name)
    assert [h.get("range") for h in asked] == [None, "bytes=1000-", "bytes=1500-"]
    assert asked[1]["if-range"] == dumps.tags[name][0]
    only = summary.files[0]
    assert (only.status, only.requests, only.transferred) == ("resumed", 3, len(dumps.files[name]))
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 2 and "from byte 1,000" in retries[0], retries


def test_interrupted_run_keeps_the_part_and_the_next_run_resumes(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    name = "title.principals.tsv.gz"
    dumps.script[name] = [("drop", 700)]
    with pytest.raises(CrewparityError) as err:
        fetch(tmp_path, base, max_retries=0)
    assert f"{base}{name}: the connection dropped at byte 700" in str(err.value) and "after 1 attempt;" in str(err.value)
    assert "keeps the 700 bytes" in str(err.value)
    # the files before it are in place; it is only a part; the ones after it were not asked
    for done in DEFAULT_FILES[:DEFAULT_FILES.index(name)]:
        assert (tmp_path / done).read_bytes() == dumps.files[done]
    assert not (tmp_path / name).exists()
    assert (tmp_path / (name + ".part")).read_bytes() == dumps.files[name][:700]
    summary = fetch(tmp_path, base)
    assert [f.status for f in summary.files] == ["up to date"] * 3 + ["resumed", "downloaded", "downloaded"]
    assert (tmp_path / name).read_bytes() == dumps.files[name]
    assert dumps.asked_for(name)[-1]["range"] == "bytes=700-"
    assert summary.files[3].transferred == len(dumps.files[name]) - 700


def test_a_server_that_ignores_range_or_a_changed_file_starts_the_part_again(server: tuple[Dumps, str],
                                                                            tmp_path: Path) -> None:
    dumps, base = server
    name = "title.basics.tsv.gz"
    dumps.script[name] = [("drop", 900), ("ignore_range",)]
    summary = fetch(tmp_path, base, files=["title.basics"], max_retries=1)
    assert dumps.asked_for(name)[1]["range"] == "bytes=900-"  # asked, but the whole file came back
    assert (tmp_path / name).read_bytes() == dumps.files[name]
    assert summary.files[0].status == "downloaded"
    # a part of a file that has changed since: If-Range does not match, the server sends the new file whole
    (tmp_path / name).unlink()
    dumps.script[name] = [("drop", 800)]
    with pytest.raises(CrewparityError):
        fetch(tmp_path, base, files=["title.basics"], max_retries=0)
    old_tag = dumps.tags[name][0]
    dumps.put(name, gzip.compress((IMDB_SAMPLE / "title.basics.tsv").read_bytes()[:3000] + b"\n"), 5)
    summary = fetch(tmp_path, base, files=["title.basics"])
    last = dumps.asked_for(name)[-1]
    assert (last["range"], last["if-range"]) == ("bytes=800-", old_tag)
    assert (tmp_path / name).read_bytes() == dumps.files[name]
    assert summary.files[0].status == "downloaded"


def test_503_with_retry_after_is_retried(server: tuple[Dumps, str], tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    dumps, base = server
    dumps.script["title.crew.tsv.gz"] = [("status", 503, "0")]
    with caplog.at_level(logging.INFO, logger="crewparity"):
        summary = fetch(tmp_path, base, files=["title.crew"], backoff=30.0)  # Retry-After 0 wins: no 30 s wait
    assert summary.files[0].status == "downloaded" and summary.files[0].requests == 2
    assert any("HTTP 503" in r.getMessage() and "(Retry-After)" in r.getMessage() for r in caplog.records)
    # always 503: an error after the retries, naming the URL
    dumps.script["title.crew.tsv.gz"] = [("status", 503, None)] * 3
    with pytest.raises(CrewparityError, match=r"title\.crew\.tsv\.gz: HTTP 503 Service Unavailable after 3 attempts"):
        fetch(tmp_path, base, files=["title.crew"], max_retries=2, force=True)
    assert (tmp_path / "title.crew.tsv.gz").read_bytes() == dumps.files["title.crew.tsv.gz"]  # the earlier copy stays


def test_a_corrupt_or_truncated_gzip_is_not_put_in_place(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    name = "title.episode.tsv.gz"
    good = dumps.files[name]
    for bad, what in ((good[:len(good) // 2], "truncated gzip stream"),
                      (good[:40] + bytes(b ^ 0xFF for b in good[40:80]) + good[80:], "corrupt gzip stream")):
        dumps.put(name, bad)
        with pytest.raises(CrewparityError) as err:
            fetch(tmp_path, base, files=["title.episode"])
        assert f"{base}{name}: the download is not a complete gzip file" in str(err.value)
        assert what in str(err.value)
        assert sorted(p.name for p in tmp_path.iterdir()) == [SIDECAR]  # no final file, no part


def test_check_gzip(tmp_path: Path) -> None:
    two = tmp_path / "two.gz"  # concatenated members are one gzip file, as gzip reads them
    two.write_bytes(gzip.compress(b"a\tb\n") + gzip.compress(b"c\td\n"))
    check_gzip(two)
    for data, what in ((b"", "empty file"), (gzip.compress(b"x" * 100_000)[:-9], "truncated"),
                       (gzip.compress(b"a\n") + b"junk", "corrupt")):
        bad = tmp_path / "bad.gz"
        bad.write_bytes(data)
        with pytest.raises(InputError, match=what):
            check_gzip(bad)


def test_errors_are_one_line(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    del dumps.files["title.ratings.tsv.gz"]  # the last of the six: a 404
    folder = tmp_path / "imdb"
    r = run_cli("fetch", "imdb", str(folder), "--base-url", base, "--backoff", "0")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == f"crewparity: error: {base}title.ratings.tsv.gz: HTTP 404 Not Found"
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted([*DEFAULT_FILES[:5], SIDECAR])  # the five stay
    r = run_cli("fetch", "imdb", str(folder), "--base-url", "ftp://example.org/")
    assert (r.returncode, r.stderr) == (1, "crewparity: error: --base-url 'ftp://example.org/' is not an http(s) "
                                           "URL\n")
    (tmp_path / "file").write_text("x")
    r = run_cli("fetch", "imdb", str(tmp_path / "file"), "--base-url", base)
    assert r.returncode == 1 and r.stderr.startswith(f"crewparity: error: {tmp_path / 'file'}: not a folder")
    assert len(r.stderr.splitlines()) == 1


def test_files_and_akas(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    summary = fetch(tmp_path, base, files=["title.ratings,title.crew.tsv.gz"], akas=True)
    assert [f.name for f in summary.files] == ["title.ratings.tsv.gz", "title.crew.tsv.gz", "title.akas.tsv.gz"]
    assert (tmp_path / "title.akas.tsv.gz").read_bytes() == dumps.files["title.akas.tsv.gz"]
    with pytest.raises(ArgumentError, match="files: unknown IMDb dump 'title.nope'"):
        fetch(tmp_path, base, files=["title.nope"])
    with pytest.raises(ArgumentError, match=r"base_url='http://\[::1/' is not a URL"):
        fetch(tmp_path, "http://[::1/")
    with pytest.raises(ArgumentError, match="max_retries must be 0 or more"):
        fetch(tmp_path, base, max_retries=-1)
    assert SIX == [n.removesuffix(".tsv.gz") for n in DEFAULT_FILES]


def test_a_part_that_is_already_whole_or_longer_than_the_file(server: tuple[Dumps, str], tmp_path: Path) -> None:
    """A run stopped between a file's last byte and its rename leaves the whole file as a part: the server answers
    416 with the file's length, and the part is checked and put in place without a byte more. A part longer than
    the file (the file changed and shrank) is started again."""
    dumps, base = server
    name = "title.crew.tsv.gz"
    data = dumps.files[name]
    dumps.script[name] = [("drop", len(data) - 1)]
    with pytest.raises(CrewparityError):
        fetch(tmp_path, base, files=["title.crew"], max_retries=0)
    with (tmp_path / (name + ".part")).open("ab") as fh:
        fh.write(data[-1:])  # its last byte, as if it had arrived before the stop
    summary = fetch(tmp_path, base, files=["title.crew"])
    assert dumps.asked_for(name)[-1]["range"] == f"bytes={len(data)}-"
    assert (summary.files[0].status, summary.files[0].transferred) == ("resumed", 0)
    assert (tmp_path / name).read_bytes() == data and not (tmp_path / (name + ".part")).exists()
    # a longer part: 416 with another length, then the whole file from zero
    (tmp_path / name).unlink()
    dumps.script[name] = [("drop", 10)]
    with pytest.raises(CrewparityError):
        fetch(tmp_path, base, files=["title.crew"], max_retries=0)
    (tmp_path / (name + ".part")).write_bytes(data + b"more")
    summary = fetch(tmp_path, base, files=["title.crew"])
    assert [h.get("range") for h in dumps.asked_for(name)[-2:]] == [f"bytes={len(data) + 4}-", None]
    assert (tmp_path / name).read_bytes() == data and summary.files[0].status == "downloaded"


def test_an_interrupted_fetch_continues(server: tuple[Dumps, str], tmp_path: Path,
                                        caplog: pytest.LogCaptureFixture) -> None:
    """Ctrl-C in the middle of a file (here: from the progress callback, once bytes have arrived) keeps the part
    and its record; the same call continues it."""
    dumps, base = server
    name = "title.principals.tsv.gz"
    dumps.script[name] = [("drop", 600)]  # (so that the first bytes arrive in a chunk of their own)
    calls: list[int] = []

    def progress(file: str, done: int, total: int | None) -> None:
        if file == name and done:
            calls.append(done)
            raise KeyboardInterrupt

    with caplog.at_level(logging.INFO, logger="crewparity"), pytest.raises(KeyboardInterrupt):
        fetch(tmp_path, base, files=["title.principals"], progress=progress)
    assert calls == [600] and (tmp_path / (name + ".part")).stat().st_size == 600
    assert any(f"interrupted in {name}; {name}.part keeps the 600 bytes" in r.getMessage() for r in caplog.records)
    summary = fetch(tmp_path, base, files=["title.principals"])
    assert (summary.files[0].status, summary.files[0].transferred) == ("resumed", len(dumps.files[name]) - 600)
    assert (tmp_path / name).read_bytes() == dumps.files[name]
