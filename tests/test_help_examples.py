"""Every command's --help ends with examples, as sqlite-utils documents its commands, and every example runs.

Users (journalists, researchers) learn a command from its examples, so each example is run here as a user would
run it after ``crewparity demo``: in a folder holding the demo store (demo.duckdb) and the files the examples name
as the user's own (an IMDb dump folder, a crew list ...). One demo store is built, by running ``crewparity demo``
(itself an example); every other example runs in-process, in a fresh copy of that folder, and must exit 0 and
print something or write the file it names.

Not run exactly as written, each for a stated reason (``ADJUSTED``; a test checks that each still applies):

- ``fetch wikidata-genders``: it asks query.wikidata.org; here ``--endpoint`` points it at a real HTTP server on
  127.0.0.1 speaking the endpoint's format (as tests/test_fetch_wikidata.py), so no request leaves the machine.
- ``fetch imdb``: it downloads from datasets.imdbws.com; here ``--base-url`` points it at a real HTTP server on
  127.0.0.1 serving the bundled demo's IMDb-format files gzipped (tests/test_fetch_imdb.py's), likewise.
- ``fetch tmdb``: it asks api.themoviedb.org with the user's key; here ``--base-url`` points it at a real HTTP server
  on 127.0.0.1 answering with the shared data's real TMDB responses (as tests/test_fetch_tmdb.py), ``--token``
  gives that server's test key, and ``--rate`` is raised so the example's person pages take no time.
- ``serve``: it runs until Ctrl-C, on port 8000 which another program may hold; every serve example is parsed
  with its options (no server), and the first is started in a process of its own on a free port, asked for the
  dashboard's first page and stopped.
- a ``*`` in an argument (``ingest tmdb tmdb/*.json``) is expanded as the shell would, in the example's folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from crewparity.cli import app
from crewparity.cli.docs import help_text, walk
from tests._local_server import local_server
from tests.conftest import SHARED_DATA
from tests.test_fetch_imdb import Dumps
from tests.test_fetch_tmdb import KEY as TMDB_KEY
from tests.test_fetch_tmdb import Tmdb
from tests.test_fetch_wikidata import Endpoint

COMMANDS = list(walk())
IDS = [" ".join(p) for p, _ in COMMANDS]
BUNDLED = Path(__file__).resolve().parents[1] / "src" / "crewparity" / "data" / "demo"

FETCH = ("fetch", "wikidata-genders")
FETCH_IMDB = ("fetch", "imdb")
FETCH_TMDB = ("fetch", "tmdb")
SERVE = ("serve",)
#: the commands whose examples are not run exactly as written, and why (the module docstring says more)
ADJUSTED = {
    FETCH: "asks Wikidata over the network: pointed at a local endpoint with --endpoint",
    FETCH_IMDB: "downloads the IMDb dumps over the network: pointed at a local server with --base-url",
    FETCH_TMDB: "asks TMDB over the network with a key: pointed at a local server with --base-url and --token",
    SERVE: "serves until Ctrl-C on a fixed port: parsed, and the first started on a free port and stopped",
}

#: the files the examples name as the user's own, and where the test takes them from: real data in each format
#: (the bundled demo's IMDb-format files, the real TMDB responses and name benchmark of the shared data) or, for
#: a production's crew list and a list of names, a few lines written here
USER_FILES: dict[str, Path | str] = {
    "imdb-dumps": BUNDLED,  # (the .tsv files of the bundled sample: the reader takes .tsv and .tsv.gz)
    "wikidata.json": BUNDLED / "wikidata_genders.json",
    "corrections.csv": BUNDLED / "curated_genders.csv",
    "tmdb": SHARED_DATA / "tmdb_api",
    "benchmark.csv": SHARED_DATA / "benchmarks" / "santamaria_mihaljevic_2018.csv",
    "crew.csv": "name,role,gender\nAnna Example,director,woman\nBen Example,writer,\nCarla Example,editor,\n"
                "David Example,cinematographer,man\nEmma Example,producer,\n",
    "names.txt": "Deborah Chow\nS. J. Clarkson\nKrysten Ritter\nMelissa Rosenberg\nUta Briesewitz\n",
}


def _example_lines(text: str) -> list[str]:
    """The lines under "Examples:" up to the next blank line, stripped."""
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if line.strip() == "Examples:"]
    found: list[str] = []
    for line in lines[heads[0] + 1:] if heads else []:
        if not line.strip():
            break
        found.append(line.strip())
    return found


def examples_of(path: tuple[str, ...], command: Any) -> list[str]:
    """The examples of a command's help as ``--help`` prints it."""
    return _example_lines(help_text(path, command))


def argv(example: str) -> list[str]:
    """An example as the shell would split it (a trailing ``# ...`` is a comment), without the ``crewparity``."""
    words = shlex.split(example, comments=True)
    assert words[0] == "crewparity", example
    return words[1:]


EXAMPLES = {path[1:]: examples_of(path, command) for path, command in COMMANDS}
DEMO = ["demo"]  #: `crewparity demo`: the first step of every example
RUNNER = CliRunner()


def invoke(args: list[str], cwd: Path) -> Result:
    with contextlib.chdir(cwd):
        return RUNNER.invoke(app, args, env={"CREWPARITY_DB": None})


def _failed(example: str, result: Result) -> str:
    return f"{example!r} exited {result.exit_code}:\n{result.output}\n{result.exception!r}"


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_every_command_has_examples(path: tuple[str, ...], command: Any) -> None:
    examples = EXAMPLES[path[1:]]
    assert 1 <= len(examples) <= 4, f"{' '.join(path)} --help: {len(examples)} examples"
    for example in examples:
        words = argv(example)
        if not getattr(command, "commands", None):  # a command's examples run that command
            assert words[:len(path) - 1] == list(path[1:]), example
    # printed one a line, as written: a paragraph reflowed by the help formatter would join them
    assert examples == _example_lines(str(command.help)), f"{' '.join(path)} --help reflows its examples"


def test_adjustments_name_commands_with_examples() -> None:
    for path in ADJUSTED:
        assert EXAMPLES.get(path), f"ADJUSTED names {path}, which has no example"


def test_user_files_are_named_by_examples() -> None:
    every = " ".join(e for examples in EXAMPLES.values() for e in examples)
    for name in USER_FILES:
        assert name in every, f"USER_FILES holds {name}, which no example names"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """``crewparity demo``, run as its help says, in a folder of its own: the demo store every example reads."""
    assert DEMO in [argv(e) for e in EXAMPLES[("demo",)]]
    folder = tmp_path_factory.mktemp("demo")
    return folder, invoke(DEMO, folder)


@pytest.fixture(scope="module")
def user_files(tmp_path_factory: pytest.TempPathFactory, demo_run: tuple[Path, Result]) -> Path:
    """A folder as a user's after ``crewparity demo``: demo.duckdb and the files the examples name."""
    folder, result = demo_run
    assert result.exit_code == 0, _failed("crewparity demo", result)
    files = tmp_path_factory.mktemp("user")
    shutil.copyfile(folder / "demo.duckdb", files / "demo.duckdb")
    for name, source in USER_FILES.items():
        if isinstance(source, str):
            (files / name).write_text(source, encoding="utf-8")
        elif source == BUNDLED:  # its IMDb-format files only, as in a dump folder
            shutil.copytree(source, files / name, ignore=shutil.ignore_patterns("*.md", "*.json", "*.csv"))
        elif source.is_dir():
            shutil.copytree(source, files / name)
        elif source.exists():
            shutil.copyfile(source, files / name)
    return files


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A SPARQL endpoint on 127.0.0.1 answering every IMDb id it is asked (tests/test_fetch_wikidata.py's)."""
    with local_server(Endpoint([]).handler(), "/sparql") as url:
        yield url


@pytest.fixture(scope="module")
def dumps_url() -> Iterator[str]:
    """A server on 127.0.0.1 serving the bundled demo's IMDb-format files gzipped, as datasets.imdbws.com serves the
    dumps (tests/test_fetch_imdb.py's)."""
    import gzip

    files = {p.name + ".gz": gzip.compress(p.read_bytes(), mtime=0) for p in BUNDLED.glob("*.tsv")}
    with local_server(Dumps(files).handler()) as url:
        yield url


@pytest.fixture(scope="module")
def tmdb_server() -> Iterator[str]:
    """A TMDB API v3 stand-in on 127.0.0.1 serving the shared data's responses (tests/test_fetch_tmdb.py's)."""
    with local_server(Tmdb().handler(), "/3") as url:
        yield url


def _named_outputs(words: list[str]) -> list[str]:
    """The files or folders an example says it writes: -o/--output/--save FILE, synth's OUTDIR."""
    named = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output", "--save", "--report")]
    if words[0] == "synth":
        named.append(words[1])
    return named


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")
            if p.is_file()}


#: every distinct example (a group's help repeats some of its commands'), with the first help that shows it
RUN: dict[tuple[str, ...], str] = {}
for _examples in EXAMPLES.values():
    for _example in _examples:
        RUN.setdefault(tuple(argv(_example)), _example)
RUN = {words: example for words, example in RUN.items() if words[:len(SERVE)] != SERVE}  # test_serve_examples


@pytest.mark.parametrize("example", list(RUN.values()), ids=[shlex.join(w) for w in RUN])
def test_example_runs(example: str, demo_run: tuple[Path, Result], user_files: Path, endpoint: str,
                      dumps_url: str, tmdb_server: str, tmp_path: Path) -> None:
    words = argv(example)
    if words == DEMO:  # run once, by the fixture, in a folder of its own
        folder, result = demo_run
        assert result.exit_code == 0 and result.stdout.strip(), _failed(example, result)
        assert (folder / "demo.duckdb").is_file() and (folder / "demo-report.html").is_file()
        return
    needs = [name for name, source in USER_FILES.items() if isinstance(source, Path) and name in example
             and not source.exists()]
    if needs:
        pytest.skip(f"{example!r} needs {needs}: shared data not found at {SHARED_DATA}")
    work = tmp_path / "work"
    shutil.copytree(user_files, work)
    args: list[str] = []
    for w in words:  # expand a glob as the shell would
        matches = sorted(glob.glob(w, root_dir=work)) if "*" in w else []
        args += matches or [w]
    if tuple(words[:len(FETCH)]) == FETCH:
        args += ["--endpoint", endpoint]
    if tuple(words[:len(FETCH_IMDB)]) == FETCH_IMDB:
        args += ["--base-url", dumps_url]
    if tuple(words[:len(FETCH_TMDB)]) == FETCH_TMDB:
        args += ["--base-url", tmdb_server, "--token", TMDB_KEY, "--rate", "1000"]
    before = _snapshot(work)
    result = invoke(args, work)
    assert result.exit_code == 0, _failed(example, result)
    after = _snapshot(work)
    assert result.stdout.strip() or after != before, f"{example!r} printed nothing and wrote nothing"
    for name in _named_outputs(words):
        target = work / name
        assert target.exists() and (target.is_dir() or target.stat().st_size > 0), f"{example!r}: no {name}"
        assert name not in before or before[name] != after.get(name), f"{example!r}: {name} unchanged"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_examples(user_files: Path, tmp_path: Path) -> None:
    """Every serve example parses; the first serves the dashboard (on a free port instead of its own)."""
    command = dict(COMMANDS)[("crewparity", *SERVE)]
    examples = EXAMPLES[SERVE]
    for example in examples:
        words = argv(example)
        with command.make_context("serve", words[len(SERVE):]) as ctx:  # parses and checks the options, runs nothing
            assert ctx.params["db"] == Path("demo.duckdb")
    words = argv(examples[0])
    work = tmp_path / "work"
    shutil.copytree(user_files, work)
    port = _free_port()
    if "--port" in words:
        words[words.index("--port") + 1] = str(port)
    else:
        words += ["--port", str(port)]
    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    proc = subprocess.Popen([sys.executable, "-m", "crewparity", *words], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = (answer.status, answer.read().decode("utf-8"))
            except OSError:
                time.sleep(0.2)
    finally:
        proc.terminate()  # (the server this test started, by its own handle)
        _, err = proc.communicate(timeout=30)
    assert page is not None, f"{examples[0]!r} did not answer on port {port}: {err}"
    assert page[0] == 200 and "crewparity" in page[1], page
