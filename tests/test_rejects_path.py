"""`ingest imdb --skip-bad --rejects PATH`: the path is checked before anything is written, and a rejects file that
cannot be written fails the whole ingest with one line, leaving the store exactly as it was (all or nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crewparity import api
from crewparity.errors import CrewparityError
from crewparity.sources import rejects as rejects_mod
from tests._reliability import assert_one_line_error, snapshot
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store from a small synthetic dump (`crewparity synth --scale 0.001`)."""
    from crewparity import synth

    base = tmp_path_factory.mktemp("rejects-path")
    synth.generate(base / "dump", 0.001, seed=11)
    db = base / "s.duckdb"
    api.ingest_imdb(base / "dump", db)
    return db


@pytest.fixture()
def store(synth_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "store" / "s.duckdb"
    db.parent.mkdir()
    shutil.copyfile(synth_db, db)
    return db


def _ingest(store: Path, dump: Path, rejects: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("ingest", "imdb", str(dump), "--db", str(store), "--skip-bad", "--rejects", str(rejects))


def _no_temp_files(*folders: Path) -> None:
    for folder in folders:
        if folder.is_dir():
            assert not [p.name for p in folder.iterdir() if ".tmp" in p.name], list(folder.iterdir())


def test_missing_folder_is_named_before_anything_is_written(tmp_path: Path, store: Path, shared_data: Path) -> None:
    before = snapshot(store)
    rejects = tmp_path / "no such folder" / "r.tsv"
    result = _ingest(store, shared_data / "imdb_sample_2021", rejects)
    assert_one_line_error(result, str(rejects), "does not exist")
    assert snapshot(store) == before
    assert not rejects.parent.exists()
    _no_temp_files(store.parent)


def test_a_folder_as_rejects_path_is_refused(tmp_path: Path, store: Path, shared_data: Path) -> None:
    before = snapshot(store)
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = _ingest(store, shared_data / "imdb_sample_2021", folder)
    assert_one_line_error(result, str(folder), "is a folder", "expected a file name")
    assert snapshot(store) == before
    assert list(folder.iterdir()) == []
    _no_temp_files(store.parent)


def test_a_file_as_the_rejects_folder_is_refused(tmp_path: Path, store: Path, shared_data: Path) -> None:
    before = snapshot(store)
    (tmp_path / "plain").write_text("x")
    rejects = tmp_path / "plain" / "r.tsv"
    result = _ingest(store, shared_data / "imdb_sample_2021", rejects)
    assert_one_line_error(result, str(rejects), "is not a folder")
    assert snapshot(store) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_an_unwritable_folder_is_refused(tmp_path: Path, store: Path, shared_data: Path) -> None:
    before = snapshot(store)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = _ingest(store, shared_data / "imdb_sample_2021", locked / "r.tsv")
    finally:
        locked.chmod(0o700)
    assert_one_line_error(result, "not writable")
    assert snapshot(store) == before


def _failing_open(*_args: object, **_kwargs: object) -> None:
    raise OSError(28, "No space left on device")


def test_a_rejects_file_that_cannot_be_written_leaves_the_store_as_it_was(
        tmp_path: Path, store: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The up-front check passes, then writing the list fails (a full disk): the new store is not swapped in."""
    before = snapshot(store)
    rejects = tmp_path / "r.tsv"
    monkeypatch.setattr(rejects_mod, "open", _failing_open, raising=False)
    with pytest.raises(CrewparityError) as info:
        api.ingest_imdb(shared_data / "imdb_sample_2021", store, skip_bad=True, rejects=rejects)
    message = str(info.value)
    assert str(rejects) in message and "No space left on device" in message and "store is unchanged" in message
    assert snapshot(store) == before
    assert not rejects.exists()
    _no_temp_files(tmp_path, store.parent)


def test_the_cli_reports_a_failed_rejects_write_in_one_line(tmp_path: Path, store: Path, shared_data: Path) -> None:
    """The same failure through the CLI: one line on stderr, exit 1, no traceback, the store unchanged."""
    before = snapshot(store)
    rejects = tmp_path / "r.tsv"
    code = ("import sys\n"
            "from crewparity.sources import rejects\n"
            "def fail(*a, **k):\n"
            "    raise OSError(28, 'No space left on device')\n"
            "rejects.open = fail\n"
            "from crewparity.cli import main\n"
            "sys.argv = ['crewparity', *sys.argv[1:]]\n"
            "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    result = subprocess.run(
        [sys.executable, "-c", code, "ingest", "imdb", str(shared_data / "imdb_sample_2021"), "--db", str(store),
         "--skip-bad", "--rejects", str(rejects)], capture_output=True, text=True, env=env, timeout=600)
    assert_one_line_error(result, str(rejects), "cannot write the rejects file", "store is unchanged")
    assert snapshot(store) == before
    assert not rejects.exists()
    _no_temp_files(tmp_path, store.parent)


def test_a_good_rejects_path_still_gets_the_list(tmp_path: Path, store: Path, shared_data: Path) -> None:
    rejects = tmp_path / "r.tsv"
    result = _ingest(store, shared_data / "imdb_sample_2021", rejects)
    assert result.returncode == 0, result.stderr
    assert rejects.read_text(encoding="utf-8").startswith("location\tfile\tline\treason\ttext\n")
    assert f"(listed in {rejects})" in result.stdout
    _no_temp_files(tmp_path, store.parent)
