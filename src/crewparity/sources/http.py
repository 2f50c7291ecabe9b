"""The client for Wikidata's SPARQL endpoint, asked politely (``fetch imdb`` and ``fetch tmdb`` have their own, in
:mod:`crewparity.sources.imdb_download` and :mod:`crewparity.sources.tmdb_fetch`).

Only ``crewparity fetch wikidata-genders`` calls this, and only when the user runs it. Every request carries
a User-Agent that names the tool (Wikimedia's policy asks for one), requests are spaced to at most ``rate``
per second, and 429/5xx answers, dropped connections and query timeouts are retried with exponential backoff,
honouring ``Retry-After`` when the server sends it (the policy the three fetches share,
:mod:`crewparity.sources.retry`). IMDb ids are checked against ``nm[0-9]+`` before they are put
into the query text, so nothing else can reach the query.

A query timeout at Wikidata's endpoint is not a 5xx: once the answer has begun it arrives as HTTP 200 whose JSON
stops midway, followed by ``java.util.concurrent.TimeoutException`` and a stack trace. Such an answer (or any
JSON answer cut off) is retried like a 5xx; an answer that is not JSON at all (an HTML page) is not.

Each retry is reported on the ``crewparity.sources.http`` logger (INFO): the CLI shows it with its progress.
A fetch given a ``save`` file keeps what arrived, rewritten after every batch (a SIGKILL loses at most the batch in
flight), and continues from that file when called again; see :func:`fetch_genders` and :class:`_SaveFile`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from crewparity import __version__
from crewparity.atomic import atomic_path
from crewparity.errors import ArgumentError, CrewparityError, InputError
from crewparity.sources.retry import TRANSIENT, RetryPolicy, connection_problem, gave_up, retry_after, retryable_status

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = f"crewparity/{__version__} (https://github.com/crewparity; contact in README)"
#: The ``save`` file is rewritten after every batch; only a rewrite that took longer than :data:`SLOW_SAVE` seconds
#: makes the next wait, until the rewrites have taken at most this share of the time (see :class:`_SaveFile`).
SAVE_SHARE = 0.1
#: seconds a rewrite of the ``save`` file may take and still be followed by one after the very next batch
SLOW_SAVE = 0.05
#: the variables of :data:`QUERY`, as a saved result names them
VARS = ["person", "imdb", "gender"]
_PERSON = re.compile(r"^nm\d+$")

log = logging.getLogger(__name__)

QUERY = """SELECT ?person ?imdb ?gender WHERE {{
  VALUES ?imdb {{ {values} }}
  ?person wdt:P345 ?imdb ;
          wdt:P21 ?gender .
}}"""

PageProgress = Callable[[int, int], None]


class Fetched(list[Any]):
    """The JSON pages of a fetch (a list, as before), with what it took: ``batches`` asked and answered in this
    run (each one page of at most ``batch`` people), the HTTP ``requests`` they took (retries included), and what
    came from the ``save`` file of an earlier, unfinished run instead: ``resumed_people`` asked then and their
    ``resumed_answers`` (the bindings; together the first page when any).

    Why: the source note said "N requests" for the number of pages, which counted a resumed file as one more
    request and no retry at all."""

    batches: int = 0
    requests: int = 0
    resumed_people: int = 0
    resumed_answers: int = 0

    def describe(self, ids: int, batch: int, save: str | os.PathLike[str] | None = None) -> str:
        """What the fetch did, for the source note: "1,234 IMDb ids: 7 batches of up to 200 asked in 9 requests;
        600 people (590 answers) resumed from part.json"."""
        text = (f"{ids:,} IMDb ids: {self.batches:,} batch{'es' if self.batches != 1 else ''} of up to {batch:,} "
                f"asked in {self.requests:,} request{'s' if self.requests != 1 else ''}")
        if self.resumed_people:
            text += (f"; {self.resumed_people:,} people ({self.resumed_answers:,} answers) resumed from "
                     f"{save if save is not None else 'the save file'}")
        return text


def build_query(imdb_ids: Sequence[str]) -> str:
    """The SPARQL query for one page of IMDb person ids."""
    bad = [i for i in imdb_ids if not _PERSON.match(i)]
    if bad:
        raise ArgumentError(f"not an IMDb person id: {bad[0]!r}; expected nm followed by digits")
    return QUERY.format(values=" ".join(f'"{i}"' for i in imdb_ids))


class Client:
    """Spaces requests to ``rate`` per second and retries transient failures."""

    def __init__(self, endpoint: str = DEFAULT_ENDPOINT, *, rate: float = 1.0, max_retries: int = 5,
                 backoff: float = 1.0, timeout: float = 60.0):
        if rate <= 0:
            raise ArgumentError("--rate must be above 0 (requests per second)")
        self.retry = RetryPolicy(max_retries, backoff)
        if not endpoint.startswith(("http://", "https://")):
            raise ArgumentError(f"--endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.interval = 1.0 / rate
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

    def query(self, sparql: str, label: str = "") -> Any:
        """POST one query; return the decoded JSON result. ``label`` names the request in retry notices and
        errors (``batch 3 of 9 (people nm... to nm...)``)."""
        where = f"{self.endpoint}: {label}: " if label else f"{self.endpoint}: "
        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            problem: str | None
            wait: float | None = None
            try:
                resp = self.http.post(self.endpoint, data={"query": sparql})
            except TRANSIENT as exc:
                problem = connection_problem(exc)
            else:
                if resp.status_code == 200:
                    try:
                        return resp.json()
                    except ValueError:
                        problem = _cut_off(resp.text)
                        if problem is None:
                            raise InputError(f"{label + ': ' if label else ''}the answer is not JSON; expected "
                                             "application/sparql-results+json", path=self.endpoint) from None
                else:
                    problem = f"HTTP {resp.status_code}"
                    if not retryable_status(resp.status_code):
                        first = (resp.text.strip().splitlines() or [""])[0][:200]
                        raise CrewparityError(f"{where}{problem} {first}".strip())
                    wait = retry_after(resp.headers.get("Retry-After"))
            if self.retry.spent(attempt):
                smaller = " or with a smaller --batch" if problem.startswith("the query timed out") else ""
                raise CrewparityError(f"{where}{gave_up(problem, attempt)}; try again later{smaller}")
            delay = self.retry.wait(attempt, wait)
            log.info("wikidata: %s%s; %s", f"{label}: " if label else "", problem,
                     self.retry.retry_words(attempt, delay, wait is not None))
            time.sleep(delay)
            attempt += 1


def _cut_off(text: str) -> str | None:
    """What went wrong when a 200 answer is not JSON but asking again may help; None when it would not."""
    if "TimeoutException" in text:
        return "the query timed out at the endpoint (HTTP 200 cut off by java.util.concurrent.TimeoutException)"
    if text.lstrip().startswith(("{", "[")):
        return "the answer was cut off (HTTP 200, the JSON incomplete)"
    return None


def _batch_label(n: int, total: int, page: Sequence[str]) -> str:
    who = f"person {page[0]}" if len(page) == 1 else f"people {page[0]} to {page[-1]}"
    return f"batch {n} of {total} ({who})"


class _SaveFile:
    """The ``--save`` file of a fetch, kept current: a SPARQL JSON result of every batch taken in so far, marked as
    partial with the ids asked (a ``crewparity`` member, which SPARQL JSON readers, ``ingest wikidata`` among them,
    ignore), rewritten whole through a temporary file and :func:`os.replace`, so a stop at any instant, a SIGKILL
    included, leaves either the last file or the one before, never half a file.

    Why after every batch: a SIGKILL runs no handler, so whatever the file did not hold yet was lost (it was rewritten
    every five minutes). Why it stays cheap: each batch is turned into JSON text once, when it arrives, and a rewrite
    only writes the texts out; and when a rewrite takes long (over :data:`SLOW_SAVE`: a file of ~150,000 answers, ~35 MB,
    here), the next waits until the rewrites have taken at most :data:`SAVE_SHARE` of the time
    (:meth:`batch_done`). Measured against the tests' local endpoint (``tests/test_fetch_wikidata.py``'s, every id
    answered), batches of 200, against the code that rewrote the file only every five minutes: paced at 20 requests
    a second, 100,000 ids took 27.4 s (27.5 s before; 270 rewrites); at 50 a second, 400,000 ids 52.9 s (51.3 s;
    514 rewrites); unpaced (1,000 a second, the rewrites at their worst), 100,000 ids 7.4 s (3.0 s) and 400,000
    26.9 s (18.0 s). A rewrite of 100,000 answers (21 MB) takes about 0.03 s, of 1M (222 MB) 0.25 s; at
    Wikidata's pace of one batch a second every batch is written until a rewrite takes 0.11 s (~400,000 answers).
    Rewriting after every batch with no spacing and ``json.dumps(indent=1)``, as the five-minute checkpoint did,
    took 541 s for 100,000 ids unpaced.
    """

    def __init__(self, path: Path, endpoint: str, bindings: list[Any], asked: list[str]):
        self.path = path
        self.endpoint = endpoint
        self._bindings: list[bytes] = []  # per batch, its answers as JSON text (UTF-8), comma-separated
        self._asked: list[bytes] = []     # per batch, its ids likewise
        self._ready = 0.0    # time.monotonic() after which the next batch is written
        self.add(bindings, asked)

    def add(self, bindings: list[Any], asked: Sequence[str]) -> None:
        """One batch taken in (its answers and the ids it asked)."""
        if bindings:
            self._bindings.append(",\n".join(json.dumps(b, ensure_ascii=False) for b in bindings).encode())
        if asked:
            self._asked.append(",".join(json.dumps(i) for i in asked).encode())

    def batch_done(self) -> None:
        """Rewrite the partial file after a batch, unless the last rewrite took more than SAVE_SHARE of the time."""
        if time.monotonic() >= self._ready:
            self.write(partial=True)

    def write(self, partial: bool) -> None:
        """The file as it stands: partial (with the ids asked) or the complete result."""
        started = time.monotonic()
        parts = [f'{{"head": {{"vars": {json.dumps(VARS)}}}, "results": {{"bindings": [\n'.encode(),
                 *_joined(self._bindings, b",\n"), b"\n]}"]
        if partial:
            parts += [f', "crewparity": {{"partial": true, "endpoint": {json.dumps(self.endpoint)}, "asked": ['.encode(),
                      *_joined(self._asked, b","),
                      b'], "note": "an unfinished fetch wikidata-genders: the same command again continues it"}']
        parts.append(b"}\n")
        try:
            with atomic_path(self.path, temp="{name}.tmp") as tmp, tmp.open("wb") as fh:
                fh.writelines(parts)
        except OSError as exc:
            raise CrewparityError(f"cannot write the --save file ({exc.strerror})", path=self.path) from None
        done = time.monotonic()
        took = done - started
        self._ready = done + (took * (1 - SAVE_SHARE) / SAVE_SHARE if took > SLOW_SAVE else 0.0)


def _joined(chunks: list[bytes], sep: bytes) -> list[bytes]:
    """``chunks`` with ``sep`` between them, as a list to write one after the other (no copy of their bytes)."""
    out = [sep] * (2 * len(chunks) - 1) if chunks else []
    out[::2] = chunks
    return out


def _partial(save: Path, endpoint: str) -> tuple[list[str], list[Any]] | None:
    """The ids asked and the bindings received of an unfinished fetch saved in ``save``; None when the file is
    absent or anything else (a complete result is not continued: it is replaced)."""
    try:
        doc = json.loads(save.read_bytes())
    except (OSError, ValueError):
        return None
    meta = doc.get("crewparity") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or meta.get("partial") is not True:
        return None
    asked = meta.get("asked")
    results = doc.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if (not isinstance(asked, list) or not all(isinstance(i, str) for i in asked)
            or not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings)):
        raise InputError("crewparity.asked / results.bindings: expected the lists an unfinished fetch writes; "
                         "remove the file to start again", path=save)
    if meta.get("endpoint") != endpoint:
        raise ArgumentError(f"--save {save} holds a partial fetch from {meta.get('endpoint')}, not {endpoint}: "
                            "continue it with that --endpoint, or remove the file to start again")
    return asked, bindings


def _imdb_of(binding: Any) -> str | None:
    cell = binding.get("imdb") if isinstance(binding, dict) else None
    value = cell.get("value") if isinstance(cell, dict) else None
    return value if isinstance(value, str) else None


def fetch_genders(imdb_ids: Sequence[str], *, endpoint: str = DEFAULT_ENDPOINT, batch: int = 200,
                  rate: float = 1.0, max_retries: int = 5, backoff: float = 1.0,
                  progress: PageProgress | None = None,
                  save: str | os.PathLike[str] | None = None) -> Fetched:
    """Ask the endpoint for P21 of the given IMDb people, ``batch`` ids per request; returns the JSON pages
    (:class:`Fetched`: a list, which also says how many batches and requests this run took and what it resumed).

    ``save``: write the answers there as one SPARQL JSON result when the fetch ends, and after every batch on the
    way, marked as partial with the ids asked (:class:`_SaveFile`; a rewrite that takes long spaces the next ones
    out, :data:`SAVE_SHARE`). When the fetch stops before the end (a batch that fails after its retries, an answer
    that is not a result, Ctrl-C, a SIGKILL) the file holds every batch answered before it; called again with the
    same file and endpoint, the fetch continues: it asks only the ids not asked yet and returns the saved answers
    as its first page. The error names the batch and says
    where what arrived is (or, without ``save``, that it is not kept).
    """
    if batch < 1:
        raise ArgumentError("--batch must be at least 1")
    ids = sorted(set(imdb_ids))
    wanted = set(ids)
    save_path = Path(save) if save is not None else None
    bindings: list[Any] = []
    asked: list[str] = []
    if save_path is not None:
        if not save_path.parent.is_dir():
            raise ArgumentError(f"--save {save_path}: no such folder")
        if save_path.is_dir():
            raise ArgumentError(f"--save {save_path} is a folder; expected a file name")
        earlier = _partial(save_path, endpoint)
        if earlier is not None:
            asked = [i for i in earlier[0] if i in wanted]
            done = set(asked)
            bindings = [b for b in earlier[1] if _imdb_of(b) in done]
            ids = [i for i in ids if i not in done]
            log.info("wikidata: continuing the fetch saved in %s: %d of %d people asked already, %d to ask",
                     save_path, len(asked), len(wanted), len(ids))
    resumed = len(asked)
    pages = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    queries = [build_query(p) for p in pages]
    client = Client(endpoint, rate=rate, max_retries=max_retries, backoff=backoff)
    out = Fetched([{"head": {"vars": VARS}, "results": {"bindings": list(bindings)}}] if resumed else [])
    out.resumed_people, out.resumed_answers = resumed, len(bindings)
    saver = _SaveFile(save_path, endpoint, bindings, asked) if save_path is not None else None

    def stopped_at() -> str:
        """The batch the fetch stopped in: the first not answered."""
        k = len(out) - bool(resumed)
        return _batch_label(k + 1, len(queries), pages[k]) if k < len(pages) else "the end"

    def kept() -> str:
        """What the error or the interruption says about the answers that arrived."""
        if saver is not None and asked:
            try:
                saver.write(partial=True)
            except CrewparityError as exc:
                return f"what arrived could not be kept ({exc}); the store is unchanged"
            return (f"what arrived before it is saved in {save_path} ({len(asked):,} people asked, "
                    f"{len(bindings):,} answers): run the same command again to continue from there, or load it "
                    f"now with `crewparity ingest wikidata {save_path}`; the store is unchanged")
        done = len(out) - bool(resumed)
        if done < 1:
            return ""
        return (f"the {done} batch{'es' if done > 1 else ''} before it ({len(asked):,} people) "
                f"{'are' if done > 1 else 'is'} not kept and the store is unchanged: run with --save FILE to keep "
                "what arrives and to continue from there after a failure")

    try:
        for n, (page, q) in enumerate(zip(pages, queries, strict=True), start=1):
            label = _batch_label(n, len(queries), page)
            doc = client.query(q, label)
            results = doc.get("results") if isinstance(doc, dict) else None
            got = results.get("bindings") if isinstance(results, dict) else None
            if not isinstance(got, list):
                raise InputError(f"{label}: the answer is not a SPARQL JSON result; expected results.bindings",
                                 path=endpoint)
            out.append(doc)
            out.batches += 1
            bindings.extend(got)
            asked.extend(page)
            if saver is not None:
                saver.add(got, page)
                if n < len(queries):
                    saver.batch_done()
            if progress is not None:
                progress(n, len(queries))
    except CrewparityError as exc:
        more = kept()
        raise exc.__class__(f"{exc}; {more}" if more else str(exc)) from None
    except KeyboardInterrupt:
        more = kept()
        if more:
            log.info("wikidata: interrupted in %s; %s", stopped_at(), more)
        raise
    finally:
        out.requests = client.requests
        client.close()
    if saver is not None:
        saver.write(partial=False)
    return out
