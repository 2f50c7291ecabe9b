"""The day of the IMDb dumps, as the server dated them when `fetch imdb` downloaded them, travels into the store.

IMDb rebuilds its datasets daily, so a figure is "as of" a day of the dumps; the store recorded only when it was
loaded. Now `ingest imdb` records the dumps' day (from `fetch imdb`'s sidecar) in its `sources` row, says it in its
table's title, and a chart's source line cites it; files of different days are a warning; a file changed since it
was fetched (or one downloaded by hand) is not dated."""

from __future__ import annotations

import email.utils
import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crewparity import api
from crewparity.report.charts import source_line
from crewparity.sources.imdb_download import DEFAULT_FILES
from crewparity.store import loaded_sources, open_store
from tests._store_read import store_value
from tests.conftest import IMDB_SAMPLE, run_cli
from tests.test_fetch_imdb import Dumps, sample_server

#: the day the stand-in server dates its files (tests/test_fetch_imdb.py's Dumps: 1,600,000,000 s plus hours)
DAY = "2020-09-13"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[Dumps, str]]:
    with sample_server(tmp_path) as served:
        yield served


def _detail(db: Path) -> str:
    return store_value(db, "SELECT detail FROM sources WHERE source = 'imdb'")


def test_the_dumps_day_is_recorded_said_and_cited(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    folder = tmp_path / "imdb"
    r = run_cli("fetch", "imdb", str(folder), "--base-url", base)
    assert r.returncode == 0, r.stderr
    assert "dated (UTC)" in r.stdout and r.stdout.count(DAY) == len(DEFAULT_FILES)   # each file's day, in its row
    for name in DEFAULT_FILES:  # each file keeps the server's Last-Modified as its time, as curl -R does
        served = email.utils.parsedate_to_datetime(dumps.tags[name][1]).timestamp()
        assert (folder / name).stat().st_mtime == served
    db = tmp_path / "s.duckdb"
    r = run_cli("ingest", "imdb", str(folder), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert f"IMDb's dumps of {DAY}" in r.stdout
    assert "different days" not in r.stderr
    assert _detail(db).endswith(f"; dumps_dated={DAY}")
    with open_store(db) as store:
        assert loaded_sources(store)[0]["dumps_dated"] == DAY
        assert f"IMDb non-commercial datasets (imdb/, dumps of {DAY}, loaded " in source_line(store)


def test_files_of_different_days_are_a_warning(server: tuple[Dumps, str], tmp_path: Path) -> None:
    dumps, base = server
    name = "title.ratings.tsv.gz"
    dumps.put(name, dumps.files[name], 48)   # two days later than the others
    later = datetime.fromtimestamp(email.utils.parsedate_to_datetime(dumps.tags[name][1]).timestamp(), UTC).date()
    folder = tmp_path / "imdb"
    api.fetch_imdb(folder, base_url=base, backoff=0.0)
    db = tmp_path / "s.duckdb"
    r = run_cli("ingest", "imdb", str(folder), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "crewparity: warning: the IMDb dump files are of different days" in r.stderr
    assert f"title.ratings {later.isoformat()}" in r.stderr and f"title.basics {DAY}" in r.stderr
    assert _detail(db).endswith(f"; dumps_dated={DAY}..{later.isoformat()}")


def test_a_file_changed_since_the_fetch_or_never_fetched_is_not_dated(server: tuple[Dumps, str],
                                                                       tmp_path: Path) -> None:
    _dumps, base = server
    folder = tmp_path / "imdb"
    api.fetch_imdb(folder, base_url=base, backoff=0.0)
    ratings = folder / "title.ratings.tsv.gz"
    ratings.write_bytes(gzip.compress(b"tconst\taverageRating\tnumVotes\ntt0000001\t5.7\t1900\n"))  # by hand
    db = tmp_path / "s.duckdb"
    r = run_cli("ingest", "imdb", str(folder), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert _detail(db).endswith(f"; dumps_dated={DAY}")   # the five others, of one day
    # the sample's own folder, never fetched: nothing dated, nothing said
    plain = tmp_path / "plain.duckdb"
    r = run_cli("ingest", "imdb", str(IMDB_SAMPLE), "--db", str(plain))
    assert r.returncode == 0, r.stderr
    assert "dumps_dated" not in _detail(plain) and "IMDb's dumps of" not in r.stdout
    with open_store(plain) as store:
        assert "dumps_dated" not in loaded_sources(store)[0]
        assert "dumps of" not in source_line(store)
