"""When a downloader asks again, and how long it waits first: the one retry policy of ``fetch imdb``
(:mod:`crewparity.sources.imdb_download`), ``fetch tmdb`` (:mod:`crewparity.sources.tmdb_fetch`) and ``fetch
wikidata-genders`` (:mod:`crewparity.sources.http`).

Why one module: each of the three had its own retry loop with the same rules written out again (and the
``Retry-After`` parser, private to ``http.py``, imported by the other two), so a fix to one (a cap, an HTTP-date)
had to be made three times or the three drifted apart. The loops stay in their modules, since what a retry
resumes differs (a POST of the same batch, a GET of the same path, a Range request from the byte a file reached);
what they share is here:

- what is worth asking again: HTTP 429 and every 5xx (:func:`retryable_status`), and a connection that failed,
  dropped or timed out (a :data:`TRANSIENT` exception, described by :func:`connection_problem`); each downloader
  adds what only it can see (an answer whose JSON is cut off, a file shorter than its Content-Length);
- how long to wait before retry ``n`` (0 for the first): what the server's ``Retry-After`` says, in seconds or as
  an HTTP-date (:func:`retry_after`), else ``backoff * 2**n``; never more than :data:`MAX_WAIT`
  (:meth:`RetryPolicy.wait`);
- the budget: ``max_retries`` retries after the first attempt, counted per request (per file for ``fetch imdb``:
  a retry of a file resumes it, and the next file starts with the whole budget again; :meth:`RetryPolicy.spent`);
- the words: each retry is logged as "<problem>; retry 2 of 5 in 2.0 s", with " (Retry-After)" when the server
  set the wait (:meth:`RetryPolicy.retry_words`), and giving up is "<problem> after 6 attempts" (:func:`gave_up`),
  which each downloader puts after what it asked (the URL, the endpoint and batch, the API path).
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import UTC

import httpx

from crewparity.errors import ArgumentError

#: the longest wait before a retry, in seconds, whatever ``Retry-After`` or the backoff say (a server asking for an
#: hour is better answered by an error that says to try again later than by a command that sits silent)
MAX_WAIT = 300.0

#: the exceptions of a request that a retry may cure: a refused or dropped connection, a timeout, a read cut off
TRANSIENT: tuple[type[Exception], ...] = (httpx.TransportError,)


def retryable_status(status: int) -> bool:
    """Whether an HTTP answer of ``status`` is worth asking again: 429 (too many requests) and every 5xx."""
    return status == 429 or status >= 500


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks to wait: a count of seconds (``"120"``) or an HTTP-date (the
    seconds until then, 0 when it has passed; ``now`` is the time to count from, default the clock). None when
    there is no header or it is neither (then the backoff decides)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # the asctime form has no zone; an HTTP-date is always GMT, never the local time
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def connection_problem(exc: BaseException) -> str:
    """What went wrong when a request raised one of :data:`TRANSIENT`: ``connection failed (ConnectTimeout)``."""
    return f"connection failed ({type(exc).__name__})"


def attempts(retries: int) -> str:
    """The attempts made after ``retries`` retries, in words: ``1 attempt``, ``3 attempts``."""
    return f"{retries + 1} attempt{'s' if retries else ''}"


def gave_up(problem: str, retries: int) -> str:
    """The end of the error when the budget is spent: ``HTTP 503 after 6 attempts`` (``after 1 attempt`` with no
    retries)."""
    return f"{problem} after {attempts(retries)}"


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to ask again (``max_retries``, after the first attempt) and the first wait (``backoff``
    seconds, doubled at each retry); waits are capped at ``max_wait``. Made from the ``--max-retries`` and
    ``--backoff`` options, so a bad value is an :class:`ArgumentError` naming the option."""

    max_retries: int = 5
    backoff: float = 1.0
    max_wait: float = MAX_WAIT

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ArgumentError("--max-retries must be 0 or more")
        if self.backoff < 0:
            raise ArgumentError("--backoff must be 0 or more (seconds)")

    def spent(self, retries: int) -> bool:
        """Whether a request that has been retried ``retries`` times has used its budget (give up now)."""
        return retries >= self.max_retries

    def wait(self, retries: int, told: float | None = None) -> float:
        """Seconds to wait before the next retry, after ``retries`` so far: ``told`` (from :func:`retry_after`)
        when the server said, else ``backoff * 2**retries``; at most ``max_wait``."""
        return min(told if told is not None else self.backoff * (2 ** retries), self.max_wait)

    def retry_words(self, retries: int, delay: float, told: bool) -> str:
        """The retry notice after the problem: ``retry 1 of 5 in 1.0 s``, `` (Retry-After)`` when ``told``."""
        return (f"retry {retries + 1} of {self.max_retries} in {delay:.1f} s"
                f"{' (Retry-After)' if told else ''}")
