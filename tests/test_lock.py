"""Concurrent use: a second ingest while one runs is refused with a clear message (the store's lock), and
readers in other processes keep answering from the last good store during the ingest, then see the new one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests._reliability import assert_one_line_error, make_dump, snapshot
from tests.conftest import run_cli
from tests.test_interrupt import N_TITLES, start_ingest

READER = textwrap.dedent(
    """
    import sys, time
    from crewparity.store import open_store
    db, seconds = sys.argv[1], float(sys.argv[2])
    # at least `seconds` and at least 6 reads (a loaded CI machine may manage only a few reads a second),
    # never more than 60 s
    start = time.monotonic()
    seen, errors, deadline = [], [], start + seconds
    while (time.monotonic() < deadline or len(seen) + len(errors) < 6) and time.monotonic() < start + 60:
        try:
            with open_store(db, read_only=True) as s:
                seen.append(s.counts()["titles"])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.02)
    print(len(seen), sorted(set(seen)), len(errors), errors[:3])
    """
)


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lock")
    make_dump(root / "big", N_TITLES)
    prev = root / "prev.duckdb"
    assert run_cli("ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(prev)).returncode == 0
    return {"big": root / "big", "prev": prev, "sample": shared_data / "imdb_sample_2021"}


def _wait_for_temp(db: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    """The writer holds the lock once its temporary store exists."""
    deadline = time.monotonic() + timeout
    while not list(db.parent.glob(f"{db.name}.tmp-*")):
        assert proc.poll() is None, "the ingest ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_second_ingest_is_refused_while_one_runs(dumps: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "crew.duckdb"
    shutil.copy(dumps["prev"], db)
    first = start_ingest(dumps["big"], db)
    try:
        _wait_for_temp(db, first)
        second = run_cli("ingest", "imdb", str(dumps["sample"]), "--db", str(db))
        assert first.poll() is None, "the first ingest ended before the second one tried: test proves nothing"
        assert_one_line_error(second, "crew.duckdb: another crewparity process is writing to this store",
                              "wait for it to finish")
    finally:
        _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    # The first ingest's result is what the store holds.
    with_big = run_cli("ingest", "imdb", str(dumps["sample"]), "--db", str(db))
    assert with_big.returncode == 0, with_big.stderr  # and the lock is free again


def test_readers_answer_from_last_good_store_during_ingest(dumps: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "crew.duckdb"
    shutil.copy(dumps["prev"], db)
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    writer = start_ingest(dumps["big"], db)
    _wait_for_temp(db, writer)
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(db), "1.0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [r.communicate(timeout=120) for r in readers]
    writer_running = writer.poll() is None
    _, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    for out, rerr in outs:
        n, seen, n_err, errors = out.strip().split(" ", 3)
        assert int(n) > 5, (out, rerr)
        assert n_err == "0", errors
        if writer_running:
            assert seen == "[99]", out  # the old store, whole, for the whole time the writer ran
        else:
            assert set(eval(seen)) <= {99, N_TITLES}  # noqa: S307 (our own printed list)
    # After the swap, a new reader sees the new data.
    from crewparity.store import open_store

    with open_store(db) as store:
        assert store.counts()["titles"] == N_TITLES


def test_reader_holding_the_store_open_does_not_block_ingest(dumps: dict[str, Path], tmp_path: Path) -> None:
    """A dashboard keeps its read-only connection open; an ingest still completes and the reader is unharmed."""
    from crewparity.store import open_store

    db = tmp_path / "crew.duckdb"
    shutil.copy(dumps["prev"], db)
    with open_store(db, read_only=True) as reader:
        result = run_cli("ingest", "imdb", str(dumps["sample"]), "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert reader.counts()["titles"] == 99  # still answering from the file it opened


def test_failed_ingest_releases_the_lock(dumps: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "crew.duckdb"
    shutil.copy(dumps["prev"], db)
    bad = tmp_path / "bad"
    shutil.copytree(dumps["sample"], bad)
    (bad / "title.crew.tsv").write_text("tconst\tdirectors\twriters\ntt1\tnm1\n", encoding="utf-8")
    before = snapshot(db)
    assert run_cli("ingest", "imdb", str(bad), "--db", str(db)).returncode == 1
    assert snapshot(db) == before
    assert run_cli("ingest", "imdb", str(dumps["sample"]), "--db", str(db)).returncode == 0
