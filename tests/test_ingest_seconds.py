"""`ingest imdb` reports the wall time of the whole ingest the user waited for, not of its reading step only
(resolving gender and building the query tables came after the clock stopped: "in 0.0 s" for a 2.5 s run)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crewparity import api

PAUSE = 1.5


def test_the_summary_times_the_whole_ingest(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crewparity.gender.resolve as resolve_mod

    real = resolve_mod.resolve

    def slow_resolve(*args: Any, **kwargs: Any) -> Any:
        time.sleep(PAUSE)  # stands for the resolve and query-table work of a big store
        return real(*args, **kwargs)

    monkeypatch.setattr(resolve_mod, "resolve", slow_resolve)
    started = time.perf_counter()
    summary = api.ingest_imdb(shared_data / "imdb_sample_2021", tmp_path / "s.duckdb")
    wall = time.perf_counter() - started
    assert PAUSE <= summary.seconds <= wall
    assert 0 < summary.load_seconds < summary.seconds - PAUSE      # reading the files alone, also kept


def test_the_cli_prints_the_whole_time(tmp_path: Path, shared_data: Path) -> None:
    code = ("import sys, time\n"
            "import crewparity.gender.resolve as r\n"
            "real = r.resolve\n"
            "def slow(*a, **k):\n"
            f"    time.sleep({PAUSE})\n"
            "    return real(*a, **k)\n"
            "r.resolve = slow\n"
            "from crewparity.cli import main\n"
            "sys.argv = ['crewparity', *sys.argv[1:]]\n"
            "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    result = subprocess.run([sys.executable, "-c", code, "ingest", "imdb", str(shared_data / "imdb_sample_2021"),
                             "--db", str(tmp_path / "s.duckdb")], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    m = re.search(r"Ingested .* in ([0-9.]+) s \(reading the files ([0-9.]+) s\)", text)
    assert m, result.stdout
    assert float(m.group(1)) >= PAUSE > float(m.group(2)), result.stdout
    # the ingest benchmark reads the loading phase from this line
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from ingest import loading_seconds  # type: ignore[import-not-found]

    assert loading_seconds(result.stdout) == float(m.group(2))
