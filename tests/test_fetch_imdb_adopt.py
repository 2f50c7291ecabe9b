"""`crewparity fetch imdb DIR` adopts the dumps it finds in DIR without a record (downloaded by hand with
`curl -R -O` or `wget -N`, which date a file by the server's Last-Modified) instead of downloading them again
(about 1.5 GB at full scale): it asks with If-Modified-Since the file's time, and on 304 checks the file is whole
gzip and records it in the sidecar, dated, so `ingest imdb` dates it. A file the server has newer, one cut short,
and one whose time is not the server's (a plain copy) are downloaded again. Against the real server of
tests/test_fetch_imdb.py, which evaluates If-Modified-Since as RFC 9110 says."""

from __future__ import annotations

import email.utils
import gzip
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.errors import CrewparityError
from crewparity.sources.imdb_download import ADOPTED, DEFAULT_FILES, REPLACED, SIDECAR
from tests._store_read import store_value
from tests.conftest import run_cli
from tests.test_fetch_imdb import Dumps, fetch, sample_server
from tests.test_fetch_imdb_dates import DAY


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[Dumps, str]]:
    with sample_server(tmp_path) as served:
        yield served


def by_hand(folder: Path, name: str, data: bytes, modified: str | float) -> Path:
    """What `curl -R -O` leaves: the bytes, with the server's Last-Modified (an HTTP-date) as the file's time."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    when = email.utils.parsedate_to_datetime(modified).timestamp() if isinstance(modified, str) else modified
    os.utime(path, (when, when))
    return path


def records(folder: Path) -> dict[str, Any]:
    files: dict[str, Any] = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))["files"]
    return files


def imdb_detail(db: Path) -> str:
    return store_value(db, "SELECT detail FROM sources WHERE source = 'imdb'")


def test_files_fetched_by_hand_are_adopted_without_a_byte_and_dated(server: tuple[Dumps, str],
                                                                     tmp_path: Path) -> None:
    dumps, base = server
    folder = tmp_path / "imdb"
    for name in DEFAULT_FILES:
        by_hand(folder, name, dumps.files[name], dumps.tags[name][1])
    times = {n: (folder / n).stat().st_mtime_ns for n in DEFAULT_FILES}
    summary = fetch(folder, base)
    assert [f.status for f in summary.files] == [ADOPTED] * 6
    assert summary.transferred == 0 and summary.requests == 6
    assert [f.size for f in summary.files] == [len(dumps.files[n]) for n in DEFAULT_FILES]
    for name in DEFAULT_FILES:
        (headers,) = dumps.asked_for(name)
        assert headers["if-modified-since"] == dumps.tags[name][1]   # the file's own time, as an HTTP-date
        assert "if-none-match" not in headers and "range" not in headers
        assert (folder / name).read_bytes() == dumps.files[name]
    assert times == {n: (folder / n).stat().st_mtime_ns for n in DEFAULT_FILES}   # the files are left alone
    assert sorted(p.name for p in folder.iterdir()) == sorted([*DEFAULT_FILES, SIDECAR])
    # the sidecar now describes them as a fetch would have, so ingest imdb dates them
    for name, record in records(folder).items():
        etag, modified = dumps.tags[name]
        assert record == {"url": base + name, "size": len(dumps.files[name]), "etag": etag,
                          "last_modified": modified, "adopted": True}
    db = tmp_path / "s.duckdb"
    r = run_cli("ingest", "imdb", str(folder), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert f"IMDb's dumps of {DAY}" in r.stdout and imdb_detail(db).endswith(f"; dumps_dated={DAY}")
    # the next run asks as after a fetch of its own (the ETag the 304 gave): up to date, nothing transferred
    asked = len(dumps.asked)
    summary = fetch(folder, base)
    assert [f.status for f in summary.files] == ["up to date"] * 6 and summary.transferred == 0
    assert all(h["if-none-match"] == dumps.tags[n][0] for n, h in dumps.asked[asked:])


def test_the_table_says_adopted(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    name = "title.ratings.tsv.gz"
    folder = tmp_path / "imdb"
    by_hand(folder, name, dumps.files[name], dumps.tags[name][1])
    r = run_cli("fetch", "imdb", str(folder), "--base-url", base, "--files", "title.ratings")
    assert r.returncode == 0, r.stderr
    assert ADOPTED in r.stdout and DAY in r.stdout and "downloaded" not in r.stdout


def test_an_older_file_by_hand_is_replaced(server: tuple[Dumps, str], tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    dumps, base = server
    name = "title.ratings.tsv.gz"
    served = dumps.tags[name][1]
    day_before = email.utils.parsedate_to_datetime(served).timestamp() - 86_400
    old = gzip.compress(b"tconst\taverageRating\tnumVotes\ntt0000001\t5.7\t1900\n")   # yesterday's, by curl -R
    by_hand(tmp_path, name, old, day_before)
    with caplog.at_level(logging.INFO, logger="crewparity"):
        summary = fetch(tmp_path, base, files=["title.ratings"])
    (only,) = summary.files
    assert (only.status, only.transferred) == (REPLACED["newer"], len(dumps.files[name]))
    assert dumps.asked_for(name)[0]["if-modified-since"] == email.utils.formatdate(day_before, usegmt=True)
    assert (tmp_path / name).read_bytes() == dumps.files[name]
    assert (tmp_path / name).stat().st_mtime == email.utils.parsedate_to_datetime(served).timestamp()
    assert records(tmp_path)[name] == {"url": base + name, "size": len(dumps.files[name]),
                                       "etag": dumps.tags[name][0], "last_modified": served}
    assert any("the server has a newer file than the one here" in r.getMessage() for r in caplog.records)


def test_a_truncated_file_by_hand_is_replaced(server: tuple[Dumps, str], tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """Dated as the server's (curl -R sets the time once the headers arrive, even when the body is cut short), so
    the server says 304; the gzip check finds it cut short and it is downloaded again, whole."""
    dumps, base = server
    name = "title.basics.tsv.gz"
    data = dumps.files[name]
    by_hand(tmp_path, name, data[:len(data) // 2], dumps.tags[name][1])
    with caplog.at_level(logging.INFO, logger="crewparity"):
        summary = fetch(tmp_path, base, files=["title.basics"])
    (only,) = summary.files
    assert (only.status, only.transferred, only.requests) == (REPLACED["not gzip"], len(data), 2)
    assert [h.get("if-modified-since") for h in dumps.asked_for(name)] == [dumps.tags[name][1], None]
    assert (tmp_path / name).read_bytes() == data
    assert "adopted" not in records(tmp_path)[name]
    assert any(f"imdb: {name}: the file here is not a whole gzip file: truncated gzip stream" in r.getMessage()
               for r in caplog.records)


def test_a_copy_not_dated_by_the_server_is_replaced(server: tuple[Dumps, str], tmp_path: Path) -> None:
    """A plain `cp` (or `curl -O` without -R) dates the file by the copy: the server's file is no newer, so it says
    304, but its Last-Modified is not the file's time, and what the file holds (of which day) is unknown."""
    dumps, base = server
    name = "title.crew.tsv.gz"
    by_hand(tmp_path, name, dumps.files[name], time.time())
    summary = fetch(tmp_path, base, files=["title.crew"])
    assert summary.files[0].status == REPLACED["not dated"]
    assert [("if-modified-since" in h) for h in dumps.asked_for(name)] == [True, False]
    assert records(tmp_path)[name]["last_modified"] == dumps.tags[name][1]


def test_a_304_without_a_date_adopts_the_file_by_its_own_time(server: tuple[Dumps, str], tmp_path: Path) -> None:
    """A server need not repeat Last-Modified (nor the ETag) in a 304: the file is then dated by its own time, as
    `curl -R` set it."""
    dumps, base = server
    dumps.validators_on_304 = False
    name = "title.episode.tsv.gz"
    by_hand(tmp_path, name, dumps.files[name], dumps.tags[name][1])
    summary = fetch(tmp_path, base, files=["title.episode"])
    assert (summary.files[0].status, summary.transferred) == (ADOPTED, 0)
    assert records(tmp_path)[name] == {"url": base + name, "size": len(dumps.files[name]),
                                       "last_modified": dumps.tags[name][1], "adopted": True}


def test_force_downloads_files_by_hand_again(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    for name in DEFAULT_FILES[:2]:
        by_hand(tmp_path, name, dumps.files[name], dumps.tags[name][1])
    summary = fetch(tmp_path, base, files=DEFAULT_FILES[:2], force=True)
    assert [f.status for f in summary.files] == ["downloaded"] * 2
    assert summary.transferred == sum(len(dumps.files[n]) for n in DEFAULT_FILES[:2])
    assert not any("if-modified-since" in h for _, h in dumps.asked)


def test_the_retry_budget_is_per_file(server: tuple[Dumps, str], tmp_path: Path) -> None:
    """--max-retries 1 with one 503 for each of two files: each file has its own retry (a budget per run would
    have given up on the second)."""
    dumps, base = server
    for name in ("title.crew.tsv.gz", "title.ratings.tsv.gz"):
        dumps.script[name] = [("status", 503, "0")]
    summary = fetch(tmp_path, base, files=["title.crew", "title.ratings"], max_retries=1)
    assert [(f.status, f.requests) for f in summary.files] == [("downloaded", 2)] * 2
    dumps.script["title.crew.tsv.gz"] = [("status", 503, "0")] * 2
    with pytest.raises(CrewparityError, match=r"HTTP 503 Service Unavailable after 2 attempts"):
        fetch(tmp_path, base, files=["title.crew"], max_retries=1, force=True)
