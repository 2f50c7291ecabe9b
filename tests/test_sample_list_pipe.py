"""`--sample list:FILE` reads its file once, so a pipe works: `... | crewparity share --sample list:/dev/stdin` and
`--sample list:<(...)`. (The CLI checks --sample before opening the store and the query parsed it again: the
second read of a pipe found it empty, "the title list holds no title ids".)"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crewparity.errors import InputError
from crewparity.metrics.samples import read_id_list
from tests._reliability import assert_one_line_error
from tests.conftest import run_cli

IDS = "tt0000003\ntt0000007\n"  # titles of the real sample with key-role credits


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}


def _share(store: Path, sample: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crewparity", "share", "--by", "none", "--sample", sample,
                           "--db", str(store), "--format", "json"],
                          input=stdin, capture_output=True, text=True, env=_env(), timeout=600)


@pytest.fixture()
def expected(sample_store: Path, tmp_path: Path) -> list[dict[str, object]]:
    listed = tmp_path / "ids.txt"
    listed.write_text(IDS)
    result = run_cli("share", "--by", "none", "--sample", f"list:{listed}", "--db", str(sample_store),
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and rows[0]["total"] > 0
    return list(rows)


def test_list_from_stdin(sample_store: Path, expected: list[dict[str, object]]) -> None:
    result = _share(sample_store, "list:/dev/stdin", stdin=IDS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_list_from_process_substitution(sample_store: Path, expected: list[dict[str, object]]) -> None:
    cmd = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "crewparity", "share", "--by", "none", "--db",
                                            str(sample_store), "--format", "json", "--sample"])
    result = subprocess.run(["bash", "-c", cmd + " list:<(printf " + shlex.quote(IDS) + ")"],
                            capture_output=True, text=True, env=_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_distribution_from_stdin(sample_store: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "crewparity", "distribution", "--sample", "list:/dev/stdin",
                             "--db", str(sample_store), "--format", "json", "--part", "buckets"],
                            input=IDS, capture_output=True, text=True, env=_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    assert sum(r["titles"] for r in json.loads(result.stdout)) == 2


def test_an_empty_pipe_is_still_an_error(sample_store: Path) -> None:
    assert_one_line_error(_share(sample_store, "list:/dev/stdin", stdin=""), "/dev/stdin",
                          "the title list holds no title ids")


def test_a_file_changed_since_it_was_read_is_read_again(tmp_path: Path) -> None:
    listed = tmp_path / "ids.txt"
    listed.write_text("tt0000001\n")
    assert read_id_list(listed) == ("tt0000001",)
    time.sleep(0.01)
    listed.write_text("tt0000002\ntt0000003\n")
    assert read_id_list(listed) == ("tt0000002", "tt0000003")
    listed.write_text("not an id\n")
    with pytest.raises(InputError):
        read_id_list(listed)


def test_a_dash_is_standard_input(sample_store: Path, expected: list[dict[str, object]]) -> None:
    """``list:-`` reads standard input, as most command-line tools take ``-`` (it said "list file not found: -"),
    and the printed line says it cannot be rerun as it stands."""
    result = _share(sample_store, "list:-", stdin=IDS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected
    table = subprocess.run([sys.executable, "-m", "crewparity", "share", "--by", "none", "--sample", "list:-",
                            "--db", str(sample_store)], input=IDS, capture_output=True, text=True, env=_env(),
                           timeout=600)
    assert table.returncode == 0, table.stderr
    assert "The list was read from standard input; save it to a file" in table.stdout + table.stderr


def test_a_bad_line_on_standard_input_is_named_so(sample_store: Path) -> None:
    assert_one_line_error(_share(sample_store, "list:-", stdin="tt0000003\nnot-an-id\n"),
                          "standard input:2:", "expected a title id")
