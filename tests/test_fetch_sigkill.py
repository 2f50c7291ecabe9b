"""``fetch wikidata-genders --save FILE`` killed with SIGKILL: the file holds every batch answered before the kill,
and the same command continues from the batch after it, ending where an uninterrupted fetch ends.

Why: the file was rewritten only every five minutes (``CHECKPOINT_EVERY``) and when the fetch stopped by itself
(an error, Ctrl-C). A SIGKILL (the OOM killer, a closed laptop's session, ``kill -9``) runs no handler, so it lost
every batch since the last rewrite: a fetch killed in its first five minutes kept nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._local_server import local_server
from tests.conftest import run_cli
from tests.test_fetch_wikidata import Endpoint, expected_evidence, key_people, wikidata_evidence
from tests.test_source_wikidata import snapshot

BATCH = 2
#: the fetch is killed when it asks this batch: it has taken in every batch before it
KILL_AT = 5


@pytest.fixture()
def endpoint() -> Iterator[tuple[Endpoint, str]]:
    """The SPARQL endpoint stand-in of test_fetch_wikidata on 127.0.0.1, and its URL."""
    ep = Endpoint([])
    with local_server(ep.handler(), "/sparql") as url:
        yield ep, url


def _fetch(store: Path, url: str, save: Path) -> tuple[str, ...]:
    return ("fetch", "wikidata-genders", "--db", str(store), "--endpoint", url, "--batch", str(BATCH), "--rate", "20",
            "--save", str(save))


def test_sigkill_keeps_every_batch_answered_and_the_same_command_continues(
        store: Path, tmp_path: Path, endpoint: tuple[Endpoint, str]) -> None:
    ep, url = endpoint
    people = key_people(store)
    pages = -(-len(people) // BATCH)
    assert pages >= KILL_AT + 4
    uninterrupted = tmp_path / "whole.duckdb"
    shutil.copy(store, uninterrupted)
    before = snapshot(store)
    part = tmp_path / "part.json"

    env = {k: v for k, v in os.environ.items() if k != "CREWPARITY_DB"}
    proc = subprocess.Popen([sys.executable, "-m", "crewparity", *_fetch(store, url, part)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # the fetch asks a batch only once it has taken in the one before
        deadline = time.monotonic() + 60
        while len(ep.requests) < KILL_AT and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the fetch ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    killed_after = len(ep.requests)
    assert snapshot(store) == before  # the store never takes half a fetch

    saved = json.loads(part.read_text(encoding="utf-8"))
    asked = saved["crewparity"]["asked"]
    # whole batches: at least those taken in before the kill, at most those asked before it
    assert len(asked) % BATCH == 0, len(asked)
    assert (KILL_AT - 1) * BATCH <= len(asked) <= killed_after * BATCH, (len(asked), killed_after)
    assert asked == people[:len(asked)]
    assert [b["imdb"]["value"] for b in saved["results"]["bindings"]] == asked  # the stand-in answers everyone
    # the same command continues from the batch after the last one saved
    r = run_cli(*_fetch(store, url, part))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == (f"wikidata: continuing the fetch saved in {part}: {len(asked)} of "
                                        f"{len(people)} people asked already, {len(people) - len(asked)} to ask")
    again = ep.requests[killed_after:]
    assert again[0]["ids"] == people[len(asked):len(asked) + BATCH]
    assert [i for q in again for i in q["ids"]] == people[len(asked):]  # type: ignore[attr-defined]
    resumed = json.loads(part.read_text(encoding="utf-8"))
    # (a kill in the middle of a rewrite leaves its temporary file, the old file in place; the next rewrite reuses it)
    assert not list(tmp_path.glob("part.json?*"))

    # ... and ends as a fetch that was never interrupted: the same file, the same evidence in the store
    whole = tmp_path / "whole.json"
    r = run_cli(*_fetch(uninterrupted, url, whole))
    assert r.returncode == 0, r.stderr
    assert resumed == json.loads(whole.read_text(encoding="utf-8"))
    assert "crewparity" not in resumed
    assert wikidata_evidence(store) == wikidata_evidence(uninterrupted) == expected_evidence(ep, people)
