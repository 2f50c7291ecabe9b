"""The one retry policy of the three fetches (crewparity.sources.retry): what is retried, how long the wait is
(Retry-After in seconds or as an HTTP-date wins over the backoff, a garbled one does not, and no wait passes the
cap), the budget of retries, and the words of a retry and of giving up. The loops that use it are tested against
real servers in tests/test_fetch_imdb.py, tests/test_fetch_tmdb.py and tests/test_fetch_wikidata.py."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from crewparity.errors import ArgumentError
from crewparity.sources.retry import (
    MAX_WAIT,
    TRANSIENT,
    RetryPolicy,
    attempts,
    connection_problem,
    gave_up,
    retry_after,
    retryable_status,
)

NOW = 1_600_000_000.0


def test_retry_after_in_seconds() -> None:
    assert retry_after("120") == 120.0
    assert retry_after(" 7 ") == 7.0
    assert retry_after("0") == 0.0


def test_retry_after_as_an_http_date() -> None:
    later = email.utils.formatdate(NOW + 90, usegmt=True)           # Sun, 13 Sep 2020 12:28:10 GMT
    assert retry_after(later, now=NOW) == 90.0
    assert retry_after(email.utils.formatdate(NOW - 90, usegmt=True), now=NOW) == 0.0  # passed: no wait
    # the two obsolete forms HTTP still accepts, both GMT: RFC 850 and asctime (no zone written: GMT, not local)
    assert retry_after("Sunday, 13-Sep-20 12:28:10 GMT", now=NOW) == 90.0
    assert retry_after("Sun Sep 13 12:28:10 2020", now=NOW) == 90.0
    # a date with an offset counts from that offset
    assert retry_after("Sun, 13 Sep 2020 13:28:10 +0100", now=NOW) == 90.0
    # without now, from the clock
    soon = retry_after(email.utils.formatdate(time.time() + 60, usegmt=True))
    assert soon is not None and 55 < soon <= 60


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "3 s", "Sun, 99 Foo 2020 nonsense"])
def test_a_missing_or_garbled_retry_after_leaves_the_wait_to_the_backoff(value: str | None) -> None:
    assert retry_after(value, now=NOW) is None
    assert RetryPolicy(backoff=0.5).wait(2, retry_after(value, now=NOW)) == 2.0   # 0.5 * 2**2


def test_the_wait_doubles_and_the_server_wins_and_nothing_passes_the_cap() -> None:
    policy = RetryPolicy(max_retries=20, backoff=1.5)
    assert [policy.wait(n) for n in range(4)] == [1.5, 3.0, 6.0, 12.0]
    assert policy.wait(3, told=0.0) == 0.0          # Retry-After: 0 wins over a 12 s backoff
    assert policy.wait(0, told=42.0) == 42.0        # and over a shorter one
    assert policy.wait(12) == MAX_WAIT == 300.0     # 1.5 * 4096 s capped
    assert policy.wait(0, told=3600.0) == MAX_WAIT  # an hour's Retry-After too
    assert RetryPolicy(backoff=1.0, max_wait=5.0).wait(4) == 5.0
    assert RetryPolicy(backoff=0.0).wait(10) == 0.0


def test_the_budget() -> None:
    policy = RetryPolicy(max_retries=2)
    assert [policy.spent(n) for n in range(4)] == [False, False, True, True]   # 2 retries: 3 attempts in all
    assert RetryPolicy(max_retries=0).spent(0)                                  # one attempt, no retry
    assert RetryPolicy().max_retries == 5 and not RetryPolicy().spent(4) and RetryPolicy().spent(5)
    with pytest.raises(ArgumentError, match="^--max-retries must be 0 or more$"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ArgumentError, match=r"^--backoff must be 0 or more \(seconds\)$"):
        RetryPolicy(backoff=-0.1)


def test_what_is_retried() -> None:
    assert [s for s in (200, 304, 400, 401, 404, 416, 429, 500, 502, 503, 504) if retryable_status(s)] == \
        [429, 500, 502, 503, 504]
    for exc in (httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")):
        assert isinstance(exc, TRANSIENT)
    assert not isinstance(httpx.TooManyRedirects("loop"), TRANSIENT)   # asking again would not help
    assert connection_problem(httpx.ConnectTimeout("t")) == "connection failed (ConnectTimeout)"


def test_the_words() -> None:
    assert [attempts(n) for n in (0, 1, 5)] == ["1 attempt", "2 attempts", "6 attempts"]
    assert gave_up("HTTP 503", 2) == "HTTP 503 after 3 attempts"
    assert gave_up("connection failed (ConnectError)", 0) == "connection failed (ConnectError) after 1 attempt"
    policy = RetryPolicy(max_retries=5)
    assert policy.retry_words(0, 1.0, told=True) == "retry 1 of 5 in 1.0 s (Retry-After)"
    assert policy.retry_words(1, 0.4, told=False) == "retry 2 of 5 in 0.4 s"
