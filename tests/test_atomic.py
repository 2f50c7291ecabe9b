"""crewparity.atomic: a file is replaced whole or not at all, on real files in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crewparity.atomic import atomic_path, temp_path, write_bytes_atomic, write_text_atomic

OLD = b"the old file\x00\xff, whole\n"


def _old(tmp_path: Path) -> Path:
    target = tmp_path / "out.csv"
    target.write_bytes(OLD)
    return target


def test_success_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = _old(tmp_path)
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_text("new,file\n", encoding="utf-8")
        assert target.read_bytes() == OLD  # not in place before the block ends
    assert target.read_text(encoding="utf-8") == "new,file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_new_file_is_created(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "new.txt", "année\n")
    write_bytes_atomic(tmp_path / "new.bin", b"\x00\x01")
    assert (tmp_path / "new.txt").read_bytes() == "année\n".encode()
    assert (tmp_path / "new.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.bin", "new.txt"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), ValueError("bad"), KeyboardInterrupt()])
def test_an_error_in_the_block_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                         error: BaseException) -> None:
    target = _old(tmp_path)
    with pytest.raises(type(error)), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a fi")
        raise error
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_an_error_before_the_temporary_file_exists_is_raised_as_it_is(tmp_path: Path) -> None:
    target = _old(tmp_path)
    with pytest.raises(KeyboardInterrupt), atomic_path(target):
        raise KeyboardInterrupt
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_missing_folder_is_named_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "out.csv"
    ran = False
    with pytest.raises(FileNotFoundError) as info, atomic_path(target):
        ran = True
    assert not ran
    assert info.value.strerror == f"the folder {str(target.parent)!r} does not exist"
    assert info.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rename_removes_the_temporary_file(tmp_path: Path) -> None:
    """A folder where the file should go: the rename fails, the folder and its contents stay as they were."""
    target = tmp_path / "out.csv"
    target.mkdir()
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(OSError):
        write_text_atomic(target, "new\n")
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_folder_with_the_temporary_name_is_not_removed(tmp_path: Path) -> None:
    """Whatever sits at the temporary name and is not a file was not made by the write: it is left alone."""
    target = _old(tmp_path)
    blocker = temp_path(target)
    blocker.mkdir()
    with pytest.raises(OSError):
        write_text_atomic(target, "new\n")
    assert blocker.is_dir() and target.read_bytes() == OLD


def test_the_temporary_name_follows_the_pattern(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    assert temp_path(target) == tmp_path / f".a.json.tmp-{os.getpid()}"
    assert temp_path(target, "{name}.tmp") == tmp_path / "a.json.tmp"
    seen: list[Path] = []
    with atomic_path(target, temp=".{name}.tmp") as tmp:
        seen.append(tmp)
        tmp.write_text("{}", encoding="utf-8")
    assert seen == [tmp_path / ".a.json.tmp"] and target.read_text(encoding="utf-8") == "{}"


def test_the_file_mode_is_the_usual_one(tmp_path: Path) -> None:
    """The temporary file is made as any new file is (the umask), not private as mkstemp's: the replaced file
    keeps the mode a plain write would give it."""
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    write_text_atomic(tmp_path / "atomic.txt", "x")
    assert (tmp_path / "atomic.txt").stat().st_mode == plain.stat().st_mode


_WRITER = """
import sys, time
from crewparity.atomic import atomic_path
with atomic_path(sys.argv[1]) as tmp, tmp.open("wb") as fh:
    fh.write(b"half ")
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
    fh.write(b"and the rest")
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_process_leaves_the_old_file(tmp_path: Path, sig: signal.Signals) -> None:
    """Ctrl-C (SIGINT: the temporary file is removed) or SIGKILL (no handler runs: the temporary file stays, the
    target is still the old file, whole) in the middle of a write."""
    target = _old(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert target.read_bytes() == OLD
    left = sorted(p.name for p in tmp_path.iterdir())
    if sig == signal.SIGINT:
        assert left == ["out.csv"]
    else:
        assert left == [".out.csv.tmp-" + str(proc.pid), "out.csv"]
