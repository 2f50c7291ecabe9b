"""TMDB API v3 over the network: the responses :mod:`crewparity.sources.tmdb` reads, asked for and saved as files.

Only ``crewparity fetch tmdb`` (and :func:`crewparity.api.fetch_tmdb`) call this, and only when the user runs it.
For each target (``movie:ID``, ``tv:ID``) it asks, one request each (no ``append_to_response``: every response is
a file of one endpoint, as ``ingest tmdb`` reads them and as the user would save them by hand):

- a movie: ``/movie/{id}`` and ``/movie/{id}/credits``;
- a series: ``/tv/{id}`` (whose ``seasons`` list gives the season numbers), ``/tv/{id}/aggregate_credits`` and
  ``/tv/{id}/season/{n}`` for every season (the per-episode crew: an episode's directors and writers);
- with ``people``: ``/person/{id}`` of every person those responses name in a key crew role (a job of
  :data:`crewparity.sources.tmdb.JOB_ROLES`, or a creator): its ``imdb_id`` records the person under the IMDb id
  (credits and evidence then join an IMDb store and Wikidata's genders), its ``birthday``/``deathday`` give
  birth and death years. Actors are not asked (a series' cast is hundreds of people and no key role).

Each response is written to the save folder under a name that says what it is (:func:`file_name`:
``tv-60573-season-2.json``), through a temporary file and :func:`os.replace`, so a stop leaves whole files only. A
file already there is reused, not asked again (a stopped fetch continues where it stopped; a rerun makes no
request), unless ``refresh``.

Requests carry the tool's User-Agent, are spaced to at most ``rate`` per second, and 429/5xx answers and dropped
connections are retried with exponential backoff, honouring ``Retry-After`` (:mod:`crewparity.sources.retry`).
The key is sent as ``api_key=`` (a v3 API key) or as ``Authorization: Bearer`` (a v4 read access token) and is
never written anywhere: not into the files (TMDB's answers do not echo it), the messages (they name the endpoint
path, never the URL asked), the log or the store (nor in the ``httpx`` logger's lines, :class:`_Redact`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from crewparity.atomic import write_bytes_atomic
from crewparity.errors import ArgumentError, CrewparityError, InputError
from crewparity.sources.http import USER_AGENT
from crewparity.sources.retry import TRANSIENT, RetryPolicy, connection_problem, gave_up, retry_after, retryable_status
from crewparity.sources.tmdb import JOB_ROLES

DEFAULT_BASE_URL = "https://api.themoviedb.org/3"
KEY_URL = "https://www.themoviedb.org/settings/api"
#: the environment variables a key is read from: a v3 API key, a v4 read access token
ENV_KEY, ENV_TOKEN = "TMDB_API_KEY", "TMDB_TOKEN"
_TARGET = re.compile(r"^(movie|tv):([0-9]+)$")

log = logging.getLogger(__name__)

#: (responses done, responses known so far): the total grows as the series' seasons and the people become known
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Target:
    """One title to fetch: ``kind`` movie or tv, and its TMDB id."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def parse_target(text: str) -> Target:
    """``movie:496243`` or ``tv:60573`` -> a :class:`Target`; anything else is an :class:`ArgumentError`."""
    m = _TARGET.match(text.strip()) if isinstance(text, str) else None
    if m is None or int(m.group(2)) == 0:
        raise ArgumentError(f"{text!r} is not a TMDB title; expected movie:ID or tv:ID (a TMDB id, e.g. "
                            "movie:496243 or tv:60573)")
    return Target(m.group(1), int(m.group(2)))


def parse_targets(texts: Iterable[str]) -> list[Target]:
    """Every target, in order, each once."""
    targets = [parse_target(t) for t in ([texts] if isinstance(texts, str) else texts)]
    if not targets:
        raise ArgumentError("no title given; expected movie:ID or tv:ID (e.g. movie:496243 or tv:60573)")
    return list(dict.fromkeys(targets))


@dataclass(frozen=True)
class Auth:
    """A key and how it is sent. ``repr`` never shows the key."""

    key: str = field(repr=False)
    bearer: bool

    @classmethod
    def resolve(cls, token: str | None = None) -> Auth:
        """``token`` (a v4 token if it looks like one, a JWT; else a v3 key), else ``$TMDB_TOKEN`` (Bearer), else
        ``$TMDB_API_KEY`` (``api_key=``); none of them is an error saying where to get a key."""
        if token is not None and token.strip():
            token = token.strip()
            return cls(token, bearer=token.count(".") == 2 and len(token) > 40)
        env_token = os.environ.get(ENV_TOKEN, "").strip()
        if env_token:
            return cls(env_token, bearer=True)
        env_key = os.environ.get(ENV_KEY, "").strip()
        if env_key:
            return cls(env_key, bearer=False)
        raise ArgumentError(f"no TMDB API key: set {ENV_KEY} (a v3 API key) or {ENV_TOKEN} (a v4 read access "
                            f"token), or give --token; get one at {KEY_URL}")


def file_name(path: str) -> str:
    """The file a response of ``path`` is saved as: ``/tv/60573/season/2`` -> ``tv-60573-season-2.json``."""
    return "-".join(p for p in path.strip("/").split("/") if p) + ".json"


class RefusedKey(CrewparityError):
    """TMDB answered 401: the key is not valid (or not allowed this)."""


class NotFound(CrewparityError):
    """TMDB answered 404 for a path."""


class _Redact(logging.Filter):
    """Writes the key as ``***`` in the records of the ``httpx`` logger, which logs every URL asked at INFO
    (``HTTP Request: GET https://api.themoviedb.org/3/tv/1?api_key=...``): shown by any program that turns INFO
    logging on, such as a notebook's ``logging.basicConfig(level=logging.INFO)``."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is left to the handler to report
            return True
        if self.key in message:
            record.msg, record.args = message.replace(self.key, "***"), None
        return True


class Client:
    """GETs TMDB API paths, ``rate`` per second at most, retrying transient failures; counts its requests."""

    def __init__(self, auth: Auth, base_url: str = DEFAULT_BASE_URL, *, rate: float = 20.0, max_retries: int = 5,
                 backoff: float = 1.0, timeout: float = 30.0):
        if rate <= 0:
            raise ArgumentError("--rate must be above 0 (requests per second)")
        self.retry = RetryPolicy(max_retries, backoff)
        if not base_url.startswith(("http://", "https://")):
            raise ArgumentError(f"--base-url {base_url!r} is not an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.interval = 1.0 / rate
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        self._params: dict[str, str] = {}
        if auth.bearer:
            headers["Authorization"] = f"Bearer {auth.key}"
        else:
            self._params["api_key"] = auth.key
        self.http = httpx.Client(timeout=timeout, headers=headers)
        self._redact = _Redact(auth.key)
        logging.getLogger("httpx").addFilter(self._redact)
        self._last = 0.0
        self.requests = 0

    def close(self) -> None:
        self.http.close()
        logging.getLogger("httpx").removeFilter(self._redact)

    def _pace(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def get(self, path: str) -> tuple[Any, bytes]:
        """GET one path (``/tv/60573``); the decoded JSON object and the body as it came. Errors name the path,
        never the URL (which may hold the key)."""
        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            wait: float | None = None
            try:
                resp = self.http.get(self.base_url + path, params=self._params)
            except TRANSIENT as exc:
                problem = connection_problem(exc)
            else:
                status = resp.status_code
                if status == 200:
                    try:
                        doc = json.loads(resp.content)
                    except ValueError:
                        doc = None
                    if isinstance(doc, dict):
                        return doc, resp.content
                    if not resp.content.lstrip().startswith(b"{"):
                        raise InputError(f"{path}: the answer is not a JSON object; expected a TMDB API v3 "
                                         "response", path=self.base_url)
                    problem = "the answer was cut off (HTTP 200, the JSON incomplete)"
                elif status == 401:
                    raise RefusedKey(f"TMDB refused the key (HTTP 401 for {path}{_message(resp)}); check "
                                     f"{ENV_KEY} / {ENV_TOKEN} / --token, or get a key at {KEY_URL}")
                elif status == 404:
                    raise NotFound(f"{path}: HTTP 404{_message(resp)}")
                elif retryable_status(status):
                    problem = f"HTTP {status}"
                    wait = retry_after(resp.headers.get("Retry-After"))
                else:
                    raise CrewparityError(f"{self.base_url}: {path}: HTTP {status}{_message(resp)}")
            if self.retry.spent(attempt):
                raise CrewparityError(f"{self.base_url}: {path}: {gave_up(problem, attempt)}; try again later")
            delay = self.retry.wait(attempt, wait)
            log.info("tmdb: %s: %s; %s", path, problem, self.retry.retry_words(attempt, delay, wait is not None))
            time.sleep(delay)
            attempt += 1


def _message(resp: httpx.Response) -> str:
    """TMDB's own ``status_message`` of an error answer, for the error text (": Invalid API key: ...")."""
    try:
        doc = resp.json()
    except ValueError:
        return ""
    text = doc.get("status_message") if isinstance(doc, dict) else None
    return f": {' '.join(text.split())[:200]}" if isinstance(text, str) and text.strip() else ""


@dataclass
class Fetched:
    """What a fetch did: the ``files`` of its targets (in the order asked), how many responses were ``asked``
    (requests that answered; ``requests`` counts retries too) and how many ``reused`` from the folder, and the
    people TMDB had no page for (``missing_people``; each a warning, not an error)."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    asked: int = 0
    reused: int = 0
    requests: int = 0
    missing_people: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """"12 responses: 9 asked in 10 requests, 3 reused from tmdb/" for the CLI's line."""
        n = len(self.files)
        return (f"{n:,} TMDB response{'s' if n != 1 else ''}: {self.asked:,} asked in {self.requests:,} "
                f"request{'s' if self.requests != 1 else ''}, {self.reused:,} reused from {self.folder}")


def _write(path: Path, body: bytes) -> None:
    try:
        write_bytes_atomic(path, body, temp=".{name}.tmp")
    except OSError as exc:
        raise CrewparityError(f"cannot write the response ({exc.strerror})", path=path) from None


def _saved(path: Path) -> Any | None:
    """The saved response at ``path``, or None when there is none (or it is not a JSON object: asked again)."""
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _list(obj: Any, key: str) -> list[Any]:
    """``obj[key]`` when it is a list, else no items (a response of another shape fails in the ingest, which
    names the file and the key)."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, list) else []


def key_people(docs: Iterable[Any]) -> list[int]:
    """The TMDB ids of the people the responses name in a key crew role (a job of JOB_ROLES, a series' creator),
    in order of first mention. Actors are left out."""
    ids: dict[int, None] = {}

    def add(person: Any, jobs: Iterable[Any]) -> None:
        if (isinstance(person, dict) and isinstance(person.get("id"), int)
                and any(isinstance(j, str) and j in JOB_ROLES for j in jobs)):
            ids.setdefault(person["id"])

    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for c in _list(doc, "created_by"):
            add(c, ["Creator"])
        for c in _list(doc, "crew"):
            if isinstance(c, dict):
                jobs = [j.get("job") for j in _list(c, "jobs") if isinstance(j, dict)] if "jobs" in c else [c.get("job")]
                add(c, jobs)
        for ep in _list(doc, "episodes"):
            for c in _list(ep, "crew"):
                if isinstance(c, dict):
                    add(c, [c.get("job")])
    return list(ids)


def fetch(targets: Sequence[Target], save: str | os.PathLike[str], auth: Auth, *, base_url: str = DEFAULT_BASE_URL,
          rate: float = 20.0, max_retries: int = 5, backoff: float = 1.0, refresh: bool = False,
          people: bool = False, progress: Progress | None = None) -> Fetched:
    """Get the targets' responses into the folder ``save`` (created if absent; its parent must exist), reusing
    the files there unless ``refresh``. A 401 is :class:`RefusedKey`; a title TMDB does not have
    (404) is an error naming it (``tv:99999999: TMDB has no such title``); a person it does not have is left out
    and listed in ``missing_people``. An error says how many responses are saved and that the same call continues."""
    folder = Path(save)
    if folder.exists() and not folder.is_dir():
        raise ArgumentError(f"--save {folder} is a file; expected a folder for the responses")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise ArgumentError(f"--save {folder}: no such folder {folder.parent}")
        try:
            folder.mkdir()
        except OSError as exc:
            raise CrewparityError(f"cannot create the folder ({exc.strerror})", path=folder) from None
    out = Fetched(folder)
    client = Client(auth, base_url, rate=rate, max_retries=max_retries, backoff=backoff)
    total = [0]
    # what each target needs first; a series' seasons and the people are added once known
    plan: list[tuple[Target, str]] = []
    for t in targets:
        plan += [(t, f"/{t.kind}/{t.id}"), (t, f"/{t.kind}/{t.id}/" + ("credits" if t.kind == "movie" else
                                                                       "aggregate_credits"))]
    total[0] = len(plan)

    def one(target: Target | None, path: str) -> Any:
        file = folder / file_name(path)
        doc = None if refresh else _saved(file)
        if doc is not None:
            out.reused += 1
        else:
            try:
                doc, body = client.get(path)
            except NotFound:
                if target is None:
                    raise
                what = ("title" if path == f"/{target.kind}/{target.id}" else
                        f"season {path.rsplit('/', 1)[1]}" if "/season/" in path else "credits for the title")
                raise CrewparityError(f"{target}: TMDB has no such {what} ({path}: HTTP 404)") from None
            _write(file, body)
            out.asked += 1
        out.files.append(file)
        if progress is not None:
            progress(len(out.files), total[0])
        return doc

    docs: list[Any] = []
    try:
        i = 0
        while i < len(plan):
            target, path = plan[i]
            doc = one(target, path)
            docs.append(doc)
            if target.kind == "tv" and path == f"/tv/{target.id}":
                seasons = [s.get("season_number") for s in _list(doc, "seasons") if isinstance(s, dict)]
                numbers = sorted({n for n in seasons if isinstance(n, int) and not isinstance(n, bool)})
                total[0] += len(numbers)
                # asked right after the series' aggregate credits, in season order
                plan[i + 2:i + 2] = [(target, f"/tv/{target.id}/season/{n}") for n in numbers]
            i += 1
        if people:
            who = key_people(docs)
            total[0] += len(who)
            for pid in who:
                try:
                    one(None, f"/person/{pid}")
                except NotFound:
                    out.missing_people.append(pid)
                    total[0] -= 1
                    if progress is not None:
                        progress(len(out.files), total[0])
                    log.info("tmdb: /person/%d: HTTP 404 (TMDB has no such person); left out", pid)
    except CrewparityError as exc:
        saved = len(out.files)
        more = (f"; the {saved:,} response{'s' if saved != 1 else ''} before it {'are' if saved != 1 else 'is'} "
                f"saved in {folder}: the same command continues from them; the store is unchanged") if saved else \
            "; the store is unchanged"
        raise exc.__class__(f"{exc}{more}") from None
    finally:
        out.requests = client.requests
        client.close()
    return out
