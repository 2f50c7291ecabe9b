"""Fuzz the evidence readers (Wikidata JSON and CSV, TMDB JSON, overrides CSV, crew-list CSV) with hypothesis.

Issue 7: every reader, given random bytes or a damaged real-format file (lines dropped or duplicated, random
text inserted, invalid UTF-8, a BOM, Windows line ends, an empty file, a huge field), either ingests or fails
with crewparity's one-line error naming the file, and a failure leaves the store exactly as it was. Any other
exception (a KeyError, a UnicodeDecodeError, a DuckDB error) is a bug the property finds.

In-process through the API (the CLI turns the same CrewparityError into its one line); a bounded number of
examples per property (``CREWPARITY_FUZZ_EXAMPLES``, default 15 here: each example copies and swaps a store).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crewparity import api
from crewparity.errors import CrewparityError
from tests._reliability import snapshot

EXAMPLES = int(os.environ.get("CREWPARITY_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

WIKIDATA_JSON = json.dumps({
    "head": {"vars": ["imdb", "gender"]},
    "results": {"bindings": [
        {"imdb": {"type": "literal", "value": "nm0000001"},
         "gender": {"type": "uri", "value": "http://www.wikidata.org/entity/Q6581072"}},
        {"imdb": {"type": "literal", "value": "nm0000002"},
         "gender": {"type": "uri", "value": "http://www.wikidata.org/entity/Q6581097"}},
    ]},
}, indent=1)
WIKIDATA_CSV = ("imdb,gender\r\nnm0000001,http://www.wikidata.org/entity/Q6581072\r\n"
                "nm0000002,http://www.wikidata.org/entity/Q6581097\r\n")
OVERRIDES = "person_id,gender,note\nnm0000001,woman,her own statement\nnm0000002,nonbinary,\nnm0000003,man,x\n"
CREWLIST = ("title,year,title_id,name,role,gender,person_id\nOur Film,2024,,Ana Lima,Director,woman,\n"
            "Our Film,2024,,Bo Chen,DP,nonbinary,\nOur Film,2024,,Nan Na,editor,,\n")


def _tmdb_credits() -> str:
    from tests.conftest import SHARED_DATA

    path = SHARED_DATA / "tmdb_api" / "movieCredits.json"
    if not path.is_file():
        pytest.skip(f"TMDB sample not found at {path}")
    return path.read_text(encoding="utf-8")


#: reader name -> (file suffix, valid content, ingest call)
READERS: dict[str, tuple[str, Callable[[], str], Callable[[Path, Path], Any]]] = {
    "wikidata-json": (".json", lambda: WIKIDATA_JSON, lambda f, db: api.ingest_wikidata(f, db)),
    "wikidata-csv": (".csv", lambda: WIKIDATA_CSV, lambda f, db: api.ingest_wikidata(f, db)),
    "tmdb": (".json", _tmdb_credits, lambda f, db: api.ingest_tmdb([f], db)),
    "overrides": (".csv", lambda: OVERRIDES, lambda f, db: api.ingest_overrides(f, db)),
    "crewlist": (".csv", lambda: CREWLIST, lambda f, db: api.ingest_crewlist(f, db)),
}


#: readers whose every input row becomes one evidence row or a counted skip
ROW_ACCOUNTED = {"wikidata-json", "wikidata-csv", "overrides"}


@pytest.fixture(scope="module")
def base_store(sample_store: Path) -> Path:
    return sample_store


def _attempt(reader: str, content: bytes, base: Path, work: Path) -> str:
    """Ingest ``content`` with ``reader`` into a copy of ``base``: 'ok', or 'error' with the store unchanged."""
    suffix, _valid, call = READERS[reader]
    work.mkdir(parents=True, exist_ok=True)
    db = work / "s.duckdb"
    shutil.copyfile(base, db)
    before = snapshot(db)
    f = work / f"input{suffix}"
    f.write_bytes(content)
    try:
        summary = call(f, db)
    except CrewparityError as err:
        message = str(err)
        assert "\n" not in message.strip(), message
        assert f.name in message, message
        assert snapshot(db) == before, f"{reader}: a failed ingest changed the store ({message})"
        return "error"
    finally:
        for p in work.glob("s.duckdb.*"):
            p.unlink()
    if reader in ROW_ACCOUNTED:
        # every row read is stored as evidence or counted under a named reason for skipping it
        assert summary.rows_read == summary.rows.get("gender_evidence", 0) + sum(summary.skipped.values()), summary
    return "ok"


def _mutate(valid: str, data: st.DataObject) -> bytes:
    lines = valid.splitlines(keepends=True)
    op = data.draw(st.sampled_from(["drop", "dup", "insert", "bad_utf8", "bom", "crlf", "truncate", "empty",
                                    "huge", "swap_header"]))
    i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    if op == "drop" and lines:
        del lines[i]
    elif op == "dup" and lines:
        lines.insert(i, lines[i])
    elif op == "insert":
        lines.insert(i, data.draw(st.text(max_size=80)) + "\n")
    elif op == "swap_header" and lines:
        lines[0] = data.draw(st.text(max_size=40)) + "\n"
    text = "".join(lines)
    raw = text.encode("utf-8")
    if op == "bad_utf8":
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80"])) + raw[at:]
    elif op == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif op == "crlf":
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif op == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif op == "empty":
        raw = b""
    elif op == "huge":
        raw = raw.replace(b"Q6581072", b"Q" + b"7" * 1_000_000, 1).replace(b"Ana Lima", b"A" * 1_000_000, 1)
    return raw


@pytest.mark.parametrize("reader", sorted(READERS))
def test_valid_file_ingests(reader: str, base_store: Path, tmp_path: Path) -> None:
    """The unmutated file is accepted: the properties below start from something that works."""
    _suffix, valid, _call = READERS[reader]
    assert _attempt(reader, valid().encode("utf-8"), base_store, tmp_path / "w") == "ok"


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(lambda t: t.encode("utf-8"))))
def test_random_bytes_ingest_or_fail_cleanly(reader: str, content: bytes, base_store: Path, tmp_path: Path) -> None:
    _attempt(reader, content, base_store, tmp_path / "w")


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_damaged_files_ingest_or_fail_cleanly(reader: str, data: st.DataObject, base_store: Path,
                                              tmp_path: Path) -> None:
    _suffix, valid, _call = READERS[reader]
    _attempt(reader, _mutate(valid(), data), base_store, tmp_path / "w")
