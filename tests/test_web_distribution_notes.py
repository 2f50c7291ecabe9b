"""``/api/distribution`` downloads carry the notes ``distribution -o FILE`` writes into the file's description:
a role with no credited title (its share_no_woman blank; by year, the years), and a top:N sample short of N.

A review found the dashboard's csv of ``part=roles`` with a blank share_no_woman and nothing to say why, where
the CLI's file now says it (tests/test_distribution_file_notes.py). The body stays what the CLI prints (rows
only); each note comes in a ``Crewparity-Note`` header, the API's stderr.

The metrics test store's movies: 3 with IMDb votes in 2016 and 1 in 2017; an editor credit in 2016 alone; no
composer credit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import dashboard_client
from tests._metrics_store import build_store
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

COMPOSER = ("no title in the selection has a credit as composer: its row has no share_no_woman (every title is in "
            "no_credit), which says nothing of who held it")
EDITOR = ("in 2017 no title has a credit as editor: its row of that year has no share_no_woman (every title is in "
          "no_credit), which says nothing of who held it")
SHORT = ("the top:5 sample holds fewer than 5 titles in 2 years (the store has no more with IMDb votes): "
         "2016 (3), 2017 (1)")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web_distribution_notes"))


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[Any]:
    yield from dashboard_client(db)


def _notes(response: Any) -> list[str]:
    return response.headers.get_list("crewparity-note")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_role_without_credits_is_said_as_the_cli_file_says_it(client: Any, db: Path, tmp_path: Path,
                                                                 fmt: str) -> None:
    params = {"part": "roles", "kind": "movie", "roles": "director,composer", "format": fmt}
    r = client.get("/api/distribution", params=params)
    assert r.status_code == 200, r.text
    assert _notes(r) == [COMPOSER]
    out = tmp_path / "d.csv"
    cli = run_cli("distribution", "--kind", "movie", "--roles", "director,composer", "--part", "roles", "-o",
                  str(out), "--db", str(db))
    assert cli.returncode == 0, cli.stderr
    assert COMPOSER in json.loads(Path(f"{out}-metadata.json").read_text(encoding="utf-8"))["dc:description"]


def test_by_year_the_years_without_a_credit_are_named(client: Any) -> None:
    r = client.get("/api/distribution", params={"part": "roles", "kind": "movie", "roles": "director,editor",
                                                "by": "year", "format": "csv"})
    assert r.status_code == 200, r.text
    assert _notes(r) == [EDITOR]
    assert r.text.splitlines()[0].startswith("year,role,")   # the body is the rows alone, as the CLI prints


def test_a_short_sample_and_both_parts(client: Any) -> None:
    r = client.get("/api/distribution", params={"part": "both", "kind": "movie", "roles": "director,composer",
                                                "sample": "top:5"})
    assert r.status_code == 200, r.text
    assert _notes(r) == [SHORT, COMPOSER]
    assert set(r.json()) == {"buckets", "roles"}
    r = client.get("/api/distribution", params={"kind": "movie", "sample": "top:5", "format": "csv"})
    assert _notes(r) == [SHORT]   # the buckets alone: no role's share is blank


def test_nothing_to_say_adds_no_header(client: Any) -> None:
    r = client.get("/api/distribution", params={"part": "roles", "kind": "movie", "roles": "director",
                                                "format": "csv"})
    assert r.status_code == 200, r.text
    assert _notes(r) == []


def test_a_share_download_says_its_short_sample_too(client: Any) -> None:
    r = client.get("/api/share", params={"kind": "movie", "sample": "top:5", "by": "role", "format": "csv"})
    assert r.status_code == 200, r.text
    assert _notes(r) == [SHORT]
    r = client.get("/api/share", params={"kind": "movie", "by": "role", "format": "csv"})
    assert _notes(r) == []


def test_a_note_header_is_one_latin1_line() -> None:
    """A note with a line break or a character outside Latin-1 still makes a valid header (a line break in a
    header value would fail the response), its words kept."""
    from starlette.responses import Response

    from crewparity.web.app import NOTE_HEADER, with_notes

    r = with_notes(Response("x"), ["first line\nsecond\tline – ∞", None])
    assert r.headers.getlist(NOTE_HEADER) == ["first line second line \\u2013 \\u221e"]
