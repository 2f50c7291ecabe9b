"""A ``distribution`` written to a file says what the terminal's stderr says of a role no title has a credit in:
its row's share_no_woman is blank and every title is in no_credit, which says nothing of who held the role. A
file passed on has no stderr, and a blank cell with nothing beside it reads as a missing figure or a 0 (a short
top:N sample and listed ids not in the store were already said in the file; this was not)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests._metrics_store import build_store
from tests.conftest import run_cli

NOTE = ("no title in the selection has a credit as composer: its row has no share_no_woman (every title is in "
        "no_credit), which says nothing of who held it")
ARGS = ("distribution", "--kind", "movie", "--roles", "director,composer")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("distribution_file_notes"))


@pytest.mark.parametrize("name", ["d.csv", "d.json", "d.txt", "d.parquet"])
def test_the_file_says_the_role_has_no_credit(db: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    part = () if name.endswith((".json", ".txt")) else ("--part", "roles")
    res = run_cli(*ARGS, *part, "-o", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert f"crewparity: note: {NOTE}" in res.stderr.splitlines()
    if name.endswith(".parquet"):
        said = pq.read_schema(out).metadata[b"crewparity.notes"].decode()
    elif name.endswith(".txt"):
        said = " ".join(out.read_text(encoding="utf-8").split())
    else:
        said = json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]
    assert NOTE in said


def test_every_role_credited_adds_nothing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    res = run_cli("distribution", "--kind", "movie", "--roles", "director", "--part", "roles", "-o", str(out),
                  "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "has a credit as" not in Path(f"{out}-metadata.json").read_text(encoding="utf-8")


def test_printed_to_the_terminal_it_stays_on_stderr(db: Path) -> None:
    res = run_cli(*ARGS, "--part", "roles", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert NOTE not in " ".join(res.stdout.split())
    assert res.stderr.splitlines() == [f"crewparity: note: {NOTE}"]
