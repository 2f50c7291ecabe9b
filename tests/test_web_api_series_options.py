"""/api/series refuses the option combinations the CLI refuses, with the CLI's reason, rather than ignoring them.

Why: ``/api/series?query=X&from=2020`` answered every season of X (``from`` only selects with ``rank``), while
``crewparity series X --from 2020`` is an error: a reader of the API took the whole series for 2020's. So were
``limit``, ``min_episodes`` and ``all_series`` with a query, ``season`` with ``rank`` and ``codirected`` with
``episodes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests._dashboard_store import crew_list_fixtures
from tests.conftest import run_cli

CREW = "series,season,episode,episode_title,year,name,role,gender\nDelta,1,1,One,2020,Bo Chen,Director,man\n"


db, client = crew_list_fixtures("options", CREW)


@pytest.mark.parametrize(("params", "cli", "api_says", "cli_says"), [
    ({"query": "Delta", "from": 2021}, ["Delta", "--from", "2021"], "from needs rank", "--from needs --rank"),
    ({"query": "Delta", "limit": 1}, ["Delta", "--limit", "1"], "limit needs rank", "--limit needs --rank"),
    ({"query": "Delta", "min_episodes": 1}, ["Delta", "--min-episodes", "1"], "min_episodes needs rank",
     "--min-episodes needs --rank"),
    ({"query": "Delta", "all_series": "true"}, ["Delta", "--all-series"], "all_series needs rank",
     "--all-series needs --rank"),
    ({"rank": "worst", "season": 1}, ["--rank", "worst", "--season", "1"], "does not go with rank",
     "does not go with --rank"),
    ({"query": "Delta", "episodes": "true", "codirected": "fractional"},
     ["Delta", "--episodes", "--codirected", "fractional"], "episodes lists each episode's directors",
     "--episodes lists each episode's directors"),
])
def test_api_refuses_what_the_cli_refuses(client: Any, db: Path, params: dict[str, object], cli: list[str],
                                          api_says: str, cli_says: str) -> None:
    r = client.get("/api/series", params=params)
    assert r.status_code == 400, r.text
    assert api_says in r.json()["error"]
    res = run_cli("series", *cli, "--db", str(db))
    assert res.returncode == 1 and cli_says in res.stderr


def test_the_combinations_that_go_together_still_answer(client: Any) -> None:
    assert client.get("/api/series", params={"query": "Delta"}).json()[0]["total"] == 1
    worst = client.get("/api/series", params={"rank": "worst", "min_episodes": 1, "from": 2020, "limit": 5}).json()
    assert [r["series"] for r in worst] == ["Delta"]
    assert client.get("/api/series", params={"rank": "worst"}).json() == []  # 6 episodes by default: too short
