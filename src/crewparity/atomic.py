"""Writing a file whole or not at all: a reader sees the old file or the whole new one, never part of one.

Why: a Ctrl-C, a full disk or a SIGKILL in the middle of a write must not leave half a chart, half an export or a
download record cut short where a good file was. Every file crewparity writes in one piece goes through
:func:`atomic_path` (or its :func:`write_text_atomic` / :func:`write_bytes_atomic` shorthands), so the rule is
kept in one place: the new content goes to a temporary file in the target's own folder (the same file system, so
the rename is atomic), which :func:`os.replace` puts in the target's place only once it is complete; on any
exception, KeyboardInterrupt included, the temporary file is removed and the target left as it was.

The temporary file's name is a pattern (``temp``) because the writers differ in what they need of it:

- ``.{name}.tmp-{pid}`` (the default): hidden, one per process, so two processes writing the same output (two
  exports, two reports) never write into each other's temporary file;
- ``{name}.tmp`` / ``.{name}.tmp``: one fixed name, for a folder a resumable fetch writes again and again
  (a SIGKILLed run's leftover is overwritten by the next run instead of piling up).

The temporary file is made with the process's usual mode (the umask), as the target would be; it is not
fsynced (none of the writers did: the guarantee is against a stopped process, not a power cut).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

#: the temporary file's name by default: hidden, beside the target, one per process
TEMP_NAME = ".{name}.tmp-{pid}"


def temp_path(target: Path, temp: str = TEMP_NAME) -> Path:
    """The temporary file :func:`atomic_path` writes ``target`` through: ``temp`` with ``{name}`` (the target's
    file name) and ``{pid}`` (this process's id) filled in, in the target's folder."""
    return target.with_name(temp.format(name=target.name, pid=os.getpid()))


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, temp: str = TEMP_NAME) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` to write the new file to; on a normal exit it replaces ``target``.

    On any exception in the block (KeyboardInterrupt and SystemExit included) or in the rename, the temporary
    file is removed, ``target`` is left as it was, and the exception is raised again. A ``target`` whose folder
    does not exist raises :class:`FileNotFoundError` naming the folder before the block runs (callers turn an
    :class:`OSError` into their own one-line message naming the file).
    """
    final = Path(target)
    parent = final.parent if str(final.parent) else Path(".")
    if not parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {str(parent)!r} does not exist", str(final))
    tmp = temp_path(final, temp)
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    """Remove a temporary file left by a failed write; not a folder that happens to have its name (that is not
    ours), and never an error that would hide the one being raised."""
    with contextlib.suppress(OSError):
        if tmp.is_file() or tmp.is_symlink():
            tmp.unlink()


def write_text_atomic(target: str | os.PathLike[str], text: str, *, temp: str = TEMP_NAME) -> None:
    """Write ``text`` (UTF-8) to ``target`` whole or not at all (:func:`atomic_path`)."""
    with atomic_path(target, temp=temp) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes, *, temp: str = TEMP_NAME) -> None:
    """Write ``data`` to ``target`` whole or not at all (:func:`atomic_path`)."""
    with atomic_path(target, temp=temp) as tmp:
        tmp.write_bytes(data)
