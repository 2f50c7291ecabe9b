"""Every GET route of the dashboard, with requests that together give each of its parameters a value the hand-worked
store of tests/_dashboard_store.py answers 200 to: for the tests that walk every parameter of every route
(whitespace around a value, HEAD). A route or parameter added to the app without a request here fails
:func:`uncovered`, so the walk cannot silently miss it."""

from __future__ import annotations

from typing import Any

from tests._dashboard_store import SERIES_ID, SERIES_NAME

#: route path -> requests (path parameters are put in the path, query parameters sent); together a route's
#: requests name every one of its parameters
REQUESTS: dict[str, list[dict[str, str]]] = {
    "/": [{"roles": "director,writer", "kind": "movie", "from": "2018", "to": "2020", "sample": "top:2",
           "unit": "titles"}],
    "/series": [{"query": "Harbour"}],
    "/series/{series_id}": [{"series_id": SERIES_ID, "codirected": "fractional", "include_pilots": "true"}],
    "/rankings": [{"from": "2018", "to": "2020", "min_episodes": "3", "limit": "10", "all_series": "true"}],
    "/compare": [{"study": "dga", "from": "2019", "to": "2020", "season_year": "end"}],
    "/method": [{}],
    "/credits/{title_id}": [{"title_id": SERIES_ID, "season": "2", "roles": "director,writer"}],
    "/api/share": [{"roles": "director,writer", "by": "year,role", "kind": "movie", "from": "2018", "to": "2020",
                    "sample": "top:2", "unit": "credits", "format": "csv"}],
    "/api/series": [{"query": SERIES_NAME, "season": "1", "codirected": "fractional", "include_pilots": "true",
                     "format": "csv"},
                    {"query": SERIES_ID, "episodes": "true"},
                    {"rank": "worst", "from": "2018", "to": "2020", "min_episodes": "3", "limit": "10",
                     "undecided": "true", "all_series": "true"}],
    "/api/distribution": [{"roles": "director", "kind": "movie", "from": "2018", "to": "2020", "sample": "top:2",
                           "by": "year", "part": "roles", "format": "csv"}],
    "/api/compare": [{"study": "dga", "from": "2019", "to": "2020", "season_year": "end", "format": "csv"}],
    "/api/credits/{title_id}": [{"title_id": SERIES_ID, "season": "1", "roles": "director", "format": "csv"}],
    "/api/sources": [{"format": "csv"}],
    "/api/evidence": [{"format": "csv"}],
    "/openapi.json": [{}],
}


def get_routes(app: Any) -> dict[str, set[str]]:
    """Every GET route of ``app`` (path -> the names its parameters are sent by, path and query), mounts left out."""
    from fastapi.routing import APIRoute
    from starlette.routing import Route

    out: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            params = [*route.dependant.path_params, *route.dependant.query_params]
            out[route.path] = {p.alias for p in params}
        elif isinstance(route, Route) and route.methods and "GET" in route.methods:
            out[route.path] = set()
    return out


def uncovered(app: Any) -> list[str]:
    """The routes and parameters of ``app`` that :data:`REQUESTS` gives no value (``path`` or ``path: name``)."""
    missing = []
    for path, names in get_routes(app).items():
        if path not in REQUESTS:
            missing.append(path)
            continue
        given = set().union(*(set(r) for r in REQUESTS[path]))
        missing += [f"{path}: {name}" for name in sorted(names - given)]
    return missing


def url(path: str, params: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The request's path (its path parameters filled in, percent-encoded) and its query parameters."""
    from urllib.parse import quote

    query = dict(params)
    for name in [n for n in query if "{" + n + "}" in path]:
        path = path.replace("{" + name + "}", quote(query.pop(name), safe=""))
    return path, query
