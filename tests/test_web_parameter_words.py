"""A bad parameter's 400 says what the field takes in words, on the pages and in the API, never pydantic's.

What a review found, beside the whole numbers (already "from: a whole number, not 'abc'"):

* ``/series/ID?include_pilots=maybe`` and ``/rankings?all_series=maybe`` read "Input should be a valid boolean,
  unable to interpret input";
* ``/api/share?format=xml`` read "String should match pattern '^(json|csv)$'";
* ``/api/compare`` without a study read "study: Field required";
* a bad ``sample`` on the overview listed ``list:FILE`` among what is allowed, which the dashboard refuses.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import SERIES_ID, build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("parameter-words"))
    yield from dashboard_client(db)


def _message(response: Any) -> str:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    if response.headers["content-type"].startswith("application/json"):
        return str(response.json()["error"])
    text = html.unescape(response.text)
    start = text.index('class="error" role="alert">') + len('class="error" role="alert">')
    return text[start:text.index("</p>", start)]


@pytest.mark.parametrize(("url", "said"), [
    (f"/series/{SERIES_ID}?include_pilots=maybe", "bad parameter: include_pilots: true or false, not 'maybe'"),
    ("/rankings?all_series=maybe", "bad parameter: all_series: true or false, not 'maybe'"),
    ("/api/series?query=Harbour&episodes=maybe", "bad parameter: episodes: true or false, not 'maybe'"),
    ("/api/share?format=xml", "bad parameter: format: json or csv, not 'xml'"),
    ("/api/compare", "bad parameter: study: missing (give one)"),
])
def test_a_bad_parameter_is_said_in_words(client: Any, url: str, said: str) -> None:
    message = _message(client.get(url))
    assert message == said
    assert "Input should" not in message and "String should" not in message and "Field required" not in message


@pytest.mark.parametrize("url", ["/?sample=top:0", "/?sample=xyz", "/api/share?sample=top:0"])
def test_a_bad_sample_offers_only_what_the_dashboard_takes(client: Any, url: str) -> None:
    message = _message(client.get(url))
    assert "allowed: all or top:N (N titles per year by votes)" in message and "or list:FILE" not in message, message
    assert message.endswith("; list:FILE (a file of title ids) is the CLI's"), message
