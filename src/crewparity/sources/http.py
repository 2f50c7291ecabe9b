"""The one network client: Wikidata's SPARQL endpoint, asked politely.

Only ``crewparity fetch wikidata-genders`` calls this, and only when the user runs it. Every request carries
a User-Agent that names the tool (Wikimedia's policy asks for one), requests are spaced to at most ``rate``
per second, and 429/5xx answers or dropped connections are retried with exponential backoff, honouring
``Retry-After`` when the server sends it. IMDb ids are checked against ``nm[0-9]+`` before they are put
into the query text, so nothing else can reach the query.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from crewparity import __version__
from crewparity.errors import ArgumentError, CrewparityError, InputError

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = f"crewparity/{__version__} (https://github.com/crewparity; contact in README)"
MAX_WAIT = 300.0
_PERSON = re.compile(r"^nm\d+$")

QUERY = """SELECT ?person ?imdb ?gender WHERE {{
  VALUES ?imdb {{ {values} }}
  ?person wdt:P345 ?imdb ;
          wdt:P21 ?gender .
}}"""

PageProgress = Callable[[int, int], None]


def build_query(imdb_ids: Sequence[str]) -> str:
    """The SPARQL query for one page of IMDb person ids."""
    bad = [i for i in imdb_ids if not _PERSON.match(i)]
    if bad:
        raise ArgumentError(f"not an IMDb person id: {bad[0]!r}; expected nm followed by digits")
    return QUERY.format(values=" ".join(f'"{i}"' for i in imdb_ids))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Client:
    """Spaces requests to ``rate`` per second and retries transient failures."""

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, *, rate: float = 1.0, max_retries: int = 5,
                 backoff: float = 1.0, timeout: float = 60.0):
        if rate <= 0:
            raise ArgumentError("--rate must be above 0 (requests per second)")
        if max_retries < 0:
            raise ArgumentError("--max-retries must be 0 or more")
        if not endpoint.startswith(("http://", "https://")):
            raise ArgumentError(f"--endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.interval = 1.0 / rate
        self.max_retries = max_retries
        self.backoff = backoff
        self.http = httpx.Client(timeout=timeout, headers={
            "User-Agent": USER_AGENT, "Accept": "application/sparql-results+json"})
        self._last = 0.0
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def _pace(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def query(self, sparql: str) -> Any:
        """POST one query; return the decoded JSON result."""
        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            problem: str
            wait: float | None = None
            try:
                resp = self.http.post(self.endpoint, data={"query": sparql})
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                if resp.status_code == 200:
                    try:
                        return resp.json()
                    except ValueError:
                        raise InputError("the answer is not JSON; expected application/sparql-results+json",
                                         path=self.endpoint) from None
                problem = f"HTTP {resp.status_code}"
                if resp.status_code != 429 and resp.status_code < 500:
                    first = (resp.text.strip().splitlines() or [""])[0][:200]
                    raise CrewparityError(f"{self.endpoint}: {problem} {first}".strip())
                wait = _retry_after(resp.headers.get("Retry-After"))
            if attempt >= self.max_retries:
                raise CrewparityError(f"{self.endpoint}: {problem} after {attempt + 1} attempts; try again later")
            delay = wait if wait is not None else self.backoff * (2 ** attempt)
            time.sleep(min(delay, MAX_WAIT))
            attempt += 1


def fetch_genders(imdb_ids: Sequence[str], *, endpoint: str = DEFAULT_ENDPOINT, batch: int = 200,
                  rate: float = 1.0, max_retries: int = 5, backoff: float = 1.0,
                  progress: PageProgress | None = None) -> list[Any]:
    """Ask the endpoint for P21 of the given IMDb people, ``batch`` ids per request; returns the JSON pages."""
    if batch < 1:
        raise ArgumentError("--batch must be at least 1")
    ids = sorted(set(imdb_ids))
    pages = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    queries = [build_query(p) for p in pages]
    client = Client(endpoint, rate=rate, max_retries=max_retries, backoff=backoff)
    out: list[Any] = []
    try:
        for n, q in enumerate(queries, start=1):
            out.append(client.query(q))
            if progress is not None:
                progress(n, len(queries))
    finally:
        client.close()
    return out
