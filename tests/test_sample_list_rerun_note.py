"""A table over ``--sample list:/dev/stdin`` (or ``list:<(...)``, any pipe) prints under it a command that cannot
be rerun: the list is gone once read. The note under the table says so, right under the command, and so does a
file written with ``-o`` wherever it records the command (a csv/json's description, a Parquet file's notes, a
text table's caption). A list in a regular file gets no such note."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crewparity.output import list_rerun_note
from tests.conftest import run_cli

IDS = "tt0000003\ntt0000007\n"  # titles of the real sample with key-role credits
STDIN_NOTE = ("The list was read from standard input; save it to a file and give --sample list:FILE to rerun "
              "this line")


def _from_stdin(*args: str) -> subprocess.CompletedProcess[str]:
    """``printf IDS | crewparity ARGS``: the ids through a real pipe on standard input."""
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    return subprocess.run([sys.executable, "-m", "crewparity", *args], input=IDS, capture_output=True, text=True,
                          env=env, timeout=600)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def test_the_table_says_its_list_came_from_standard_input(sample_store: Path) -> None:
    r = _from_stdin("share", "--by", "role", "--sample", "list:/dev/stdin", "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    lines = _lines(r.stdout)
    command = f"crewparity share --by role --sample list:/dev/stdin --db {sample_store}"
    assert lines[lines.index(command) + 1] == STDIN_NOTE


@pytest.mark.parametrize("name", ["out.csv", "out.json", "out.txt", "out.parquet"])
def test_a_file_written_says_it_too(sample_store: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    r = _from_stdin("share", "--sample", "list:/dev/stdin", "-o", str(out), "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    if name.endswith(".parquet"):
        notes = pq.read_schema(out).metadata[b"crewparity.notes"].decode()
        assert _lines(notes)[1] == STDIN_NOTE
    elif name.endswith(".txt"):
        assert STDIN_NOTE in _lines(out.read_text(encoding="utf-8"))
    else:
        doc = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))
        assert f"list:/dev/stdin --db {sample_store}` prints. {STDIN_NOTE}. " in doc["dc:description"]


def test_distribution_over_process_substitution_names_the_pipe(sample_store: Path) -> None:
    cmd = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "crewparity", "distribution", "--db",
                                            str(sample_store), "--sample"])
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    r = subprocess.run(["bash", "-c", f"{cmd} list:<(printf {shlex.quote(IDS)})"], capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    notes = [line for line in _lines(r.stdout) if line.startswith("The list was read from /dev/fd/")]
    assert len(notes) == 2, r.stdout  # under each of the two tables
    assert all(n.endswith(", a pipe, which cannot be read again; save it to a file and give --sample list:FILE "
                          "to rerun this line") for n in notes)


def test_a_list_in_a_file_gets_no_note(sample_store: Path, tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text(IDS, encoding="utf-8")
    r = run_cli("share", "--by", "role", "--sample", f"list:{listed}", "--db", str(sample_store))
    assert r.returncode == 0, r.stderr
    assert "The list was read from" not in r.stdout


def test_the_note_for_each_kind_of_sample(tmp_path: Path) -> None:
    fifo, regular = tmp_path / "ids.fifo", tmp_path / "ids.txt"
    os.mkfifo(fifo)
    regular.write_text(IDS, encoding="utf-8")
    assert list_rerun_note(f"list:{fifo}") == (f"The list was read from {fifo}, a pipe, which cannot be read again; "
                                               "save it to a file and give --sample list:FILE to rerun this line")
    assert list_rerun_note("LIST:/dev/stdin") == STDIN_NOTE
    for sample in (f"list:{regular}", "all", "top:250", None):
        assert list_rerun_note(sample) is None
