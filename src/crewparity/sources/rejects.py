"""``--skip-bad``: read a delimited file with DuckDB, keep the good lines, account for every bad one.

A reader that accepts ``--skip-bad`` stages each input file with :func:`stage` instead of reading it in place.
DuckDB's ``read_csv(..., ignore_errors=true, store_rejects=true)`` then skips a line it cannot parse or cast
and records it (line number, reason, the original text) in a rejects table. Staging reads every column, so a
bad value in a column the ingest never uses is rejected too, and the staged row count is exact. The result is
the accounting the user is promised: for every file, lines read = lines stored + lines rejected.

What cannot be skipped still fails with one line (a wrong header, a truncated gzip, a file that mixes line
endings: DuckDB's parser stops on those even with ``ignore_errors``). DuckDB skips blank lines silently; they
are not data and are not counted.

Any reader can reuse this: call :func:`stage` with a ``read_csv(...)`` expression whose options end before the
closing parenthesis (see :func:`reject_options`), then :func:`collect` the rejects and :func:`write_tsv` them.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from crewparity.atomic import atomic_path
from crewparity.errors import InputError


@dataclass
class Reject:
    """One rejected line: where it is, why, and what it said (truncated)."""

    file: str
    line: int | None
    reason: str
    text: str


@dataclass
class RejectLog:
    """Rejected lines and per-file accounting (lines read, stored, rejected)."""

    rejects: list[Reject] = field(default_factory=list)
    #: per file: data lines read (accepted + rejected), accepted, rejected.
    accounting: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(r for _, _, r in self.accounting.values())

    @property
    def read(self) -> int:
        return sum(n for n, _, _ in self.accounting.values())


#: A rejected line's text is cut to this many characters in the rejects file (a 1 MB field stays readable).
MAX_TEXT = 500


def _ident(tag: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", tag.lower())


def reject_options(tag: str) -> str:
    """Extra ``read_csv`` options that skip bad lines into the rejects tables named after ``tag``."""
    t = _ident(tag)
    return f", ignore_errors=true, store_rejects=true, rejects_table='rej_{t}', rejects_scan='rejscan_{t}'"


def stage(con: duckdb.DuckDBPyConnection, tag: str, read_csv_call: str) -> str:
    """Read a file (``read_csv(...)`` ending in ``)``) into a temp table ``stage_<tag>``; return its name.

    The options of :func:`reject_options` are spliced in before the closing parenthesis.
    """
    if not read_csv_call.rstrip().endswith(")"):
        raise ValueError("read_csv_call must end with ')'")
    t = _ident(tag)
    call = read_csv_call.rstrip()[:-1] + reject_options(tag) + ")"
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage_{t} AS SELECT * FROM {call}")
    return f"stage_{t}"


def collect(con: duckdb.DuckDBPyConnection, tag: str, path: str | os.PathLike[str], log: RejectLog) -> None:
    """Add the rejects of the staged file ``tag`` to ``log`` and record its accounting.

    A line with several bad values has several rows in DuckDB's rejects table; it is one rejected line here.
    """
    t = _ident(tag)
    row = con.execute(f"SELECT count(*) FROM stage_{t}").fetchone()
    accepted = int(row[0]) if row else 0
    rows = con.execute(
        f"""
        SELECT line, string_agg(DISTINCT error_type || coalesce(' (' || column_name || ')', '') || ': '
                                || error_message, '; '), any_value(csv_line)
        FROM rej_{t} GROUP BY line ORDER BY line
        """
    ).fetchall()
    for line, reason, text in rows:
        log.rejects.append(
            Reject(file=str(path), line=int(line) if line is not None else None,
                   reason=" ".join(str(reason).split()), text=str(text or "")[:MAX_TEXT])
        )
    log.accounting[str(path)] = (accepted + len(rows), accepted, len(rows))


def default_rejects_path(db: str | os.PathLike[str]) -> Path:
    """``<store>.rejects.tsv`` beside the store."""
    p = Path(db)
    return p.with_name(p.name + ".rejects.tsv")


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Fail with one line naming ``path`` when a rejects file cannot be written there; the path otherwise.

    Why: the ingest checks this before it writes anything, so that a typo in ``--rejects`` costs no ingest and
    can never leave a new store without its list of rejected lines.
    """
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise InputError("is a folder; expected a file name for the rejects list (e.g. rejects.tsv)", path=out)
    if not parent.exists():
        raise InputError(f"the folder {parent} does not exist; expected the rejects file in an existing folder",
                         path=out)
    if not parent.is_dir():
        raise InputError(f"{parent} is not a folder; expected the rejects file in an existing folder", path=out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"the folder {parent} is not writable (permission denied); expected a writable folder "
                         "for the rejects file", path=out)
    if out.exists() and not os.access(out, os.W_OK):
        raise InputError("the file is not writable (permission denied); expected a writable rejects file", path=out)
    return out


#: the rejects file's temporary name, beside it (:func:`crewparity.atomic.atomic_path`)
TEMP_NAME = "{name}.tmp"


@contextlib.contextmanager
def pending_tsv(log: RejectLog, path: str | os.PathLike[str]) -> Iterator[Path]:
    """Write ``file:line``, reason and the line's text, one rejected line per row (a header even when none), to a
    temporary file beside ``path``, and put it in place when the block ends without an error.

    Why a block: an ingest writes the rows before it swaps the new store in and ends the block after the swap, so
    it leaves both or neither. A failure to write raises one line naming the file; an error in the block
    removes the temporary file and leaves any earlier file as it was.
    """
    out = Path(path)
    with atomic_path(out, temp=TEMP_NAME) as tmp:
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
                w.writerow(["location", "file", "line", "reason", "text"])
                for r in log.rejects:
                    where = r.file if r.line is None else f"{r.file}:{r.line}"
                    w.writerow([where, r.file, "" if r.line is None else r.line, r.reason, r.text])
        except OSError as exc:
            raise InputError(f"cannot write the rejects file ({exc.strerror or exc})", path=out) from None
        yield tmp


def write_tsv(log: RejectLog, path: str | os.PathLike[str]) -> Path:
    """Write the rejects file (:func:`pending_tsv`) at once, whole or not at all."""
    with pending_tsv(log, path):
        pass
    return Path(path)
