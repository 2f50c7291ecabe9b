"""A dashboard error names no folder of this machine: an unknown role's message shows roles.toml as the
package's file, where the CLI shows its full path.

A user review found a 400 page reading "... (aliases in /…/site-packages/crewparity/data/roles.toml)".
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what is installed and works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import crewparity
from crewparity.metrics.roles import rules_path
from tests._dashboard_store import build_store, dashboard_client
from tests.conftest import run_cli

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PACKAGE = str(Path(crewparity.__file__).parent)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web-errors"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    yield from dashboard_client(store)


@pytest.mark.parametrize("url", ["/api/share?roles=grip", "/api/distribution?roles=grip"])
def test_the_api_error_names_roles_toml_without_a_path(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith("unknown role 'grip'; allowed: ")
    assert error.endswith("(aliases in crewparity/data/roles.toml)")
    assert PACKAGE not in error and str(rules_path()) not in error


@pytest.mark.parametrize("url", ["/?roles=grip", "/?roles=director,grip&kind=movie"])
def test_the_error_page_too(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    text = html.unescape(r.text)
    assert "unknown role 'grip'" in text and "crewparity/data/roles.toml" in text
    assert PACKAGE not in text and str(rules_path().parent) not in text


def test_the_cli_keeps_the_path(store: Path) -> None:
    r = run_cli("share", "--roles", "grip", "--db", str(store))
    assert r.returncode == 1 and f"(aliases in {rules_path()})" in r.stderr
