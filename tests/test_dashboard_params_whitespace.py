"""Whitespace around a parameter's value is taken off, for every parameter of every route, in one place
(app.tidy_params / tidy_path, before FastAPI reads any parameter).

What a review found: ``kind`` and ``study`` took " movie " (their metrics strip it) while ``unit``, ``codirected``
and ``format`` answered 400 ("format: json or csv, not ' csv '"), and a series id in the path with a space around
it was echoed with its spaces into the page's links and CLI line. The test walks every parameter of every GET route
(tests/_dashboard_routes.py; a route or parameter without a value there fails it) and asks each with whitespace
around its value: the answer is the answer without it, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crewparity.web.app import tidy_params
from tests._dashboard_routes import REQUESTS, uncovered, url
from tests._dashboard_store import build_store, dashboard_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: what is put around a value: spaces, a tab, a newline (as a paste from a spreadsheet or a document brings)
PADS = (" {} ", "\t{}\n")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db: Path = build_store(tmp_path_factory.mktemp("params-ws"))
    yield from dashboard_client(db)


def test_every_parameter_of_every_route_has_a_value_to_try(client: Any) -> None:
    assert uncovered(client.app) == []


CASES = [(path, i, name) for path, requests in REQUESTS.items() for i, params in enumerate(requests)
         for name in params]


@pytest.mark.parametrize(("route", "i", "name"), CASES, ids=[f"{p} {n}" for p, _, n in CASES])
def test_whitespace_around_a_value_is_taken_off(client: Any, route: str, i: int, name: str) -> None:
    params = REQUESTS[route][i]
    path, query = url(route, params)
    plain = client.get(path, params=query)
    assert plain.status_code == 200, (route, params, plain.text[:300])
    for pad in PADS:
        path, query = url(route, {**params, name: pad.format(params[name])})
        padded = client.get(path, params=query)
        assert padded.status_code == 200, (route, name, repr(pad), padded.text[:300])
        assert padded.content == plain.content, (route, name, repr(pad))


def test_tidy_params_strips_values_and_keeps_the_rest_as_it_came() -> None:
    assert tidy_params(b"unit=+titles+&kind=%09movie%0A&from=") == b"unit=titles&kind=movie"
    assert tidy_params(b"q=a%2Cb&y=%3D&roles=director%2C+writer") == b"q=a%2Cb&y=%3D&roles=director%2C+writer"
    assert tidy_params(b"query=%20Caf%C3%A9%20") == b"query=Caf%C3%A9"  # UTF-8 kept as UTF-8
    assert tidy_params(b"") == b""
