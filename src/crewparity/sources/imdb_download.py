"""Download the IMDb non-commercial dumps (``*.tsv.gz``) into a folder, resumably: ``crewparity fetch imdb DIR``.

Only that command (and :func:`crewparity.api.fetch_imdb`) calls this, and only when the user runs it. What a
careful downloader does (wget -c, curl -C -):

- each file streams into ``DIR/NAME.part`` and is renamed to ``DIR/NAME`` (:func:`os.replace`) only once it is
  complete (its length is the Content-Length, or the Content-Range total) and its gzip stream decompresses to the
  end (:func:`check_gzip`, in chunks); the folder never holds half a file under the final name;
- a ``NAME.part`` left by an interrupted run is continued with ``Range: bytes=N-`` and ``If-Range`` (the ETag, or
  the Last-Modified date, the server gave when the part began, kept in the sidecar :data:`SIDECAR`); a 206 answer
  is appended, a 200 (the server ignores ranges, or the file changed since) starts the part again from zero;
- a connection dropped mid-file, a 429 or a 5xx is retried up to ``max_retries`` times per file with exponential
  backoff (``Retry-After`` wins; :mod:`crewparity.sources.retry`), from the byte where it stopped; each retry is
  logged (INFO) on this module's logger;
- a file fetched before is asked again with ``If-None-Match`` / ``If-Modified-Since``: a 304 means it is up to
  date and nothing is transferred (``force`` downloads it again);
- a file present without a record (downloaded by hand: ``curl -R -O`` and ``wget -N`` give it the server's
  Last-Modified as its time) is asked for with ``If-Modified-Since`` its time, so that ~1.5 GB already here is not
  downloaded again: on a 304 it is adopted (:data:`ADOPTED`: recorded as the server's current file, dated by its
  time, so ``ingest imdb`` dates it) once its gzip stream checks whole; it is downloaded again (:data:`REPLACED`)
  when the server has a newer one (200), when it is not whole gzip, or when the 304 gives a Last-Modified that is
  not the file's time (a plain copy, dated by the copy: what it holds, of which day, is unknown);
- a 404 or other 4xx is a one-line error naming the URL; the files completed before it stay.

The sidecar is a small JSON file, ``{"files": {NAME: {...}}}``: for a completed file its URL, size, ETag and
Last-Modified (and ``adopted`` for a file adopted); for a part, the validators of the answer it began with. It is
rewritten whole (a temporary file and :func:`os.replace`).
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import re
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from crewparity.atomic import write_text_atomic
from crewparity.errors import ArgumentError, CrewparityError, InputError
from crewparity.sources.dump_dates import SIDECAR
from crewparity.sources.http import USER_AGENT
from crewparity.sources.imdb import FILES
from crewparity.sources.retry import TRANSIENT, RetryPolicy, connection_problem, gave_up, retry_after, retryable_status

DEFAULT_BASE_URL = "https://datasets.imdbws.com/"
SUFFIX = ".tsv.gz"
#: the files ``ingest imdb`` reads, fetched by default
DEFAULT_FILES: tuple[str, ...] = tuple(f"{s.name}{SUFFIX}" for s in FILES if s.read)
#: every file of the dumps crewparity knows (title.akas, which ingest does not read, only when asked)
KNOWN_FILES: tuple[str, ...] = tuple(f"{s.name}{SUFFIX}" for s in FILES)
CHUNK = 1 << 16
#: at most this much decompressed output per step of :func:`check_gzip` (bounded memory, even for a gzip bomb)
CHECK_OUT = 1 << 20

log = logging.getLogger(__name__)

#: ``progress(name, bytes_done, bytes_total_or_None)``, called as a file's bytes arrive (and once when it is found
#: up to date, with its size twice)
FileProgress = Callable[[str, int, int | None], None]

#: the status of a file found here without a record (downloaded by hand) that the server says is current
ADOPTED = "adopted, up to date"
#: the status of a file found here without a record that was downloaded again, by why
REPLACED = {"newer": "replaced (newer on the server)",
            "not gzip": "replaced (not a whole gzip file)",
            "not dated": "replaced (not dated by the server)"}

_CONTENT_RANGE = re.compile(r"^bytes\s+(\d+)-(\d+)/(\d+|\*)$")


@dataclass
class FetchedFile:
    """One file of a fetch: its ``name``, ``size`` on disk, ``status`` ("downloaded", "resumed": continued from a
    part, "up to date": the server said 304, "adopted, up to date": a file here without a record that the server
    said is current, :data:`ADOPTED`, or one of the :data:`REPLACED` statuses), the ``transferred`` bytes of its
    body this run, the HTTP ``requests`` it took (retries included) and the seconds the gzip check took."""

    name: str
    url: str
    size: int
    status: str
    transferred: int = 0
    requests: int = 0
    check_seconds: float = 0.0


@dataclass
class FetchSummary:
    """What :func:`fetch_imdb` did: the ``folder``, the ``base_url`` and every file, in order."""

    folder: Path
    base_url: str
    files: list[FetchedFile] = field(default_factory=list)

    @property
    def transferred(self) -> int:
        return sum(f.transferred for f in self.files)

    @property
    def requests(self) -> int:
        return sum(f.requests for f in self.files)


def file_names(files: Iterable[str] | None = None, *, akas: bool = False) -> list[str]:
    """The dump files to fetch: ``files`` (names like ``title.basics`` or ``title.basics.tsv.gz``) or the six that
    ``ingest imdb`` reads, plus ``title.akas.tsv.gz`` when ``akas``. An unknown name is an ArgumentError."""
    chosen: list[str] = []
    for raw in files if files is not None else DEFAULT_FILES:
        for part in str(raw).split(","):
            name = part.strip()
            if not name:
                continue
            full = name if name.endswith(SUFFIX) else name.removesuffix(".tsv") + SUFFIX
            if full not in KNOWN_FILES:
                raise ArgumentError(f"--files: unknown IMDb dump {name!r}; expected some of "
                                    + ", ".join(s.name for s in FILES))
            if full not in chosen:
                chosen.append(full)
    if akas and "title.akas.tsv.gz" not in chosen:
        chosen.append("title.akas.tsv.gz")
    if not chosen:
        raise ArgumentError("--files: no file named")
    return chosen


def check_base_url(base_url: str) -> str:
    """``base_url`` with one trailing slash; an ArgumentError unless it is an http(s) URL with a host."""
    try:
        parts = urlsplit(base_url)
        httpx.URL(base_url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise ArgumentError(f"--base-url {base_url!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArgumentError(f"--base-url {base_url!r} is not an http(s) URL")
    return base_url.rstrip("/") + "/"


def check_gzip(path: Path) -> None:
    """Decompress ``path`` end to end in chunks (nothing whole in memory); an InputError naming the file when the
    gzip stream is corrupt, cut short, empty or followed by bytes that are no gzip member."""
    try:
        with path.open("rb") as fh:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            seen = False
            while data := fh.read(CHUNK):
                seen = True
                while data:
                    if d.eof:  # one gzip member ended and another follows (concatenated members are one file)
                        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    d.decompress(data, CHECK_OUT)
                    data = d.unused_data if d.eof else d.unconsumed_tail
            while not d.eof and d.decompress(d.unconsumed_tail, CHECK_OUT):
                pass  # output held back by CHECK_OUT
            if not seen:
                raise InputError("empty file; expected a gzip stream", path=path)
            if not d.eof:
                raise InputError("truncated gzip stream (it stops before its end)", path=path)
    except zlib.error as exc:
        raise InputError(f"corrupt gzip stream ({exc})", path=path) from None
    except OSError as exc:
        raise CrewparityError(f"cannot read ({exc.strerror})", path=path) from None


class _Sidecar:
    """``DIR/.crewparity-fetch.json``: per file, what the server said of it (see the module docstring)."""

    def __init__(self, folder: Path):
        self.path = folder / SIDECAR
        self.files: dict[str, dict[str, Any]] = {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # none yet, or unreadable: every file is fetched as if for the first time
        files = doc.get("files") if isinstance(doc, dict) else None
        if isinstance(files, dict):
            self.files = {k: v for k, v in files.items() if isinstance(v, dict)}

    def entry(self, name: str) -> dict[str, Any]:
        return self.files.setdefault(name, {})

    def save(self) -> None:
        try:
            write_text_atomic(self.path, json.dumps({"files": self.files}, indent=1, sort_keys=True) + "\n",
                              temp="{name}.tmp")
        except OSError as exc:
            raise CrewparityError(f"cannot write ({exc.strerror})", path=self.path) from None


def _date_file(path: Path, last_modified: object) -> None:
    """Give a completed file the server's Last-Modified as its modification time, as ``curl -R`` and ``wget -N``
    do: a listing then shows the day IMDb built the dump, not the day it was downloaded. (The day ``ingest imdb``
    records comes from the sidecar, :mod:`crewparity.sources.dump_dates`, not from this time.)"""
    if not isinstance(last_modified, str):
        return
    try:
        when = email.utils.parsedate_to_datetime(last_modified).timestamp()
        os.utime(path, (when, when))
    except (TypeError, ValueError, OSError):
        pass  # a date the server wrote oddly, or a file system that keeps no times: the file is whole either way


def _same_second(a: str, b: str) -> bool:
    """Whether two HTTP-dates name the same second (a server may write the zone as GMT or +0000, or use the
    asctime form, which has no zone and is GMT)."""
    try:
        one, two = (email.utils.parsedate_to_datetime(d) for d in (a, b))
    except (TypeError, ValueError):
        return False
    return one.replace(tzinfo=one.tzinfo or UTC) == two.replace(tzinfo=two.tzinfo or UTC)


def _validators(resp: httpx.Response) -> dict[str, str]:
    out = {}
    for key, header in (("etag", "ETag"), ("last_modified", "Last-Modified")):
        value = resp.headers.get(header)
        if value:
            out[key] = value
    return out


def _if_range(record: dict[str, Any]) -> str | None:
    """The If-Range value for a part begun under ``record``: its strong ETag, else its Last-Modified date."""
    etag = record.get("etag")
    if isinstance(etag, str) and etag and not etag.startswith("W/"):
        return etag
    modified = record.get("last_modified")
    return modified if isinstance(modified, str) and modified else None


class _Retry(Exception):
    """A transient failure: retry (from the part's end), after ``wait`` seconds if the server said so."""

    def __init__(self, problem: str, wait: float | None = None):
        super().__init__(problem)
        self.problem = problem
        self.wait = wait


class _Downloader:
    def __init__(self, folder: Path, base_url: str, *, force: bool, retry: RetryPolicy,
                 timeout: float, progress: FileProgress | None):
        self.folder = folder
        self.base_url = base_url
        self.force = force
        self.retry = retry
        self.progress = progress
        self.sidecar = _Sidecar(folder)
        #: files found here without a record that could not be adopted: this run downloads them whole
        self._not_adoptable: set[str] = set()
        # identity: the bytes on disk are the file's own bytes (a Range counts them), never a decoded transfer
        self.http = httpx.Client(timeout=timeout, follow_redirects=True,
                                 headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})

    def close(self) -> None:
        self.http.close()

    def fetch(self, name: str) -> FetchedFile:
        url = self.base_url + name
        final = self.folder / name
        part = self.folder / (name + ".part")
        result = FetchedFile(name, url, 0, "downloaded")
        attempt = 0  # the retries of this file: the budget is per file, each file starts with all of it
        while True:
            try:
                done = self._attempt(name, url, final, part, result)
            except _Retry as exc:
                if self.retry.spent(attempt):
                    have = part.stat().st_size if part.exists() else 0
                    kept = (f"; {part.name} keeps the {have:,} bytes that arrived: run the same command again to "
                            "continue from there") if have else ""
                    raise CrewparityError(f"{url}: {gave_up(exc.problem, attempt)}{kept}") from None
                delay = self.retry.wait(attempt, exc.wait)
                have = part.stat().st_size if part.exists() else 0
                log.info("imdb: %s: %s; %s%s", name, exc.problem,
                         self.retry.retry_words(attempt, delay, exc.wait is not None),
                         f", from byte {have:,}" if have else "")
                time.sleep(delay)
                attempt += 1
                continue
            if done:
                return result

    def _attempt(self, name: str, url: str, final: Path, part: Path, result: FetchedFile) -> bool:
        """One request for ``name``; True when the file is in place (or up to date)."""
        entry = self.sidecar.entry(name)
        headers: dict[str, str] = {}
        adopt: str | None = None   # the If-Modified-Since of a file found here without a record
        told: dict[str, str] | None = None   # the validators of a 304 to it
        offset = part.stat().st_size if part.exists() else 0
        began = entry.get("part") if isinstance(entry.get("part"), dict) else None
        if offset and (began is None or began.get("url") != url or _if_range(began) is None):
            # a part with no record of the file it began (or from another URL): it cannot be continued safely
            self._drop_part(name, part)
            offset = 0
        if offset:
            assert began is not None
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = _if_range(began) or ""
        elif not self.force and final.is_file():
            here = final.stat()
            if entry.get("url") == url and entry.get("size") == here.st_size:
                if entry.get("etag"):
                    headers["If-None-Match"] = entry["etag"]
                if entry.get("last_modified"):
                    headers["If-Modified-Since"] = entry["last_modified"]
            elif name not in self._not_adoptable:
                # a file this folder has no record of: downloaded by hand (curl -R, wget -N date it by the server's
                # Last-Modified); the server says whether it has a newer one (see _adopt)
                adopt = email.utils.formatdate(here.st_mtime, usegmt=True)
                headers["If-Modified-Since"] = adopt
        result.requests += 1
        total: int | None
        try:
            with self.http.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status == 304 and adopt is not None:
                    told = _validators(resp)
                elif status == 304 and ("If-None-Match" in headers or "If-Modified-Since" in headers):
                    result.size, result.status = final.stat().st_size, "up to date"
                    if self.progress is not None:
                        self.progress(name, result.size, result.size)
                    return True
                elif status == 416 and offset:
                    whole = re.fullmatch(r"bytes\s+\*/(\d+)", resp.headers.get("Content-Range", "").strip())
                    if whole is None or int(whole.group(1)) != offset:
                        # the part is no prefix of the file as it is now: start it again
                        self._drop_part(name, part)
                        log.info("imdb: %s: the server cannot continue %s at byte %s (HTTP 416); starting it "
                                 "again", name, part.name, f"{offset:,}")
                        return False
                    # the part is the whole file already (a run stopped between its last byte and the rename)
                    result.status = "resumed"
                    written = total = offset
                else:
                    if retryable_status(status):
                        raise _Retry(f"HTTP {status} {resp.reason_phrase}".strip(),
                                     retry_after(resp.headers.get("Retry-After")))
                    if status not in (200, 206) or (status == 206 and not offset):
                        raise CrewparityError(f"{url}: HTTP {status} {resp.reason_phrase}".strip())
                    total = self._begin(name, url, part, resp, offset, entry)
                    start = offset if status == 206 else 0
                    if status == 206:
                        if result.status not in REPLACED.values():
                            result.status = "resumed"
                    elif adopt is not None:
                        result.status = REPLACED["newer"]
                        log.info("imdb: %s: the server has a newer file than the one here (HTTP 200 to "
                                 "If-Modified-Since %s); downloading it", name, adopt)
                    elif offset:
                        log.info("imdb: %s: the server sent the whole file (HTTP 200) instead of continuing %s "
                                 "at byte %s; starting it again", name, part.name, f"{offset:,}")
                    written = self._receive(name, part, resp, start, total, result)
        except TRANSIENT as exc:
            raise _Retry(connection_problem(exc)) from None
        except httpx.HTTPError as exc:  # too many redirects, and the like: asking again would not help
            raise CrewparityError(f"{url}: {exc}") from None
        if told is not None:
            assert adopt is not None
            return self._adopt(name, url, final, adopt, told, result)
        if total is not None and written < total:
            raise _Retry(f"the connection closed after {written:,} of {total:,} bytes")
        if total is not None and written > total:
            self._drop_part(name, part)
            raise CrewparityError(f"{url}: {written:,} bytes arrived, more than the {total:,} the server announced; "
                                  f"{part.name} removed: run again to download it anew")
        started = time.perf_counter()
        try:
            check_gzip(part)
        except InputError as exc:
            self._drop_part(name, part)
            raise CrewparityError(f"{url}: the download is not a complete gzip file ({exc.reason}); {part.name} "
                                  f"removed and nothing written as {name}: run again to download it anew") from None
        result.check_seconds = time.perf_counter() - started
        try:
            os.replace(part, final)
        except OSError as exc:
            raise CrewparityError(f"cannot rename {part.name} to {name} ({exc.strerror})", path=self.folder) from None
        began = entry.pop("part", {}) or {}
        entry.clear()
        entry.update({"url": url, "size": written, **{k: v for k, v in began.items() if k != "url"}})
        self.sidecar.save()
        _date_file(final, entry.get("last_modified"))
        result.size = written
        return True

    def _adopt(self, name: str, url: str, final: Path, asked: str, told: dict[str, str],
               result: FetchedFile) -> bool:
        """The server answered 304 to ``If-Modified-Since: asked`` (the time of a file found here without a record):
        record the file as the server's current one, once it is whole gzip and dated as the server dates it. True
        when adopted; False (after a log line saying why) when it is to be downloaded again, whole.

        Dated by its modification time, as ``curl -R`` and ``wget -N`` set it: when the 304 says a Last-Modified
        that is not that time, the file was copied or touched since, and what it holds (and of which day) is
        unknown: it is downloaded again rather than recorded with a day it may not be of."""
        server = told.get("last_modified")
        why: str | None = None
        if server is not None and not _same_second(server, asked):
            why = "not dated"
            log.info("imdb: %s: the file here is dated %s, not %s as the server dates its copy (it was copied or "
                     "changed since it was downloaded); downloading it again", name, asked, server)
        else:
            started = time.perf_counter()
            try:
                check_gzip(final)
            except InputError as exc:
                why = "not gzip"
                log.info("imdb: %s: the file here is not a whole gzip file: %s; downloading it again", name,
                         exc.reason)
            result.check_seconds = time.perf_counter() - started
        if why is not None:
            self._not_adoptable.add(name)
            result.status = REPLACED[why]
            return False
        size = final.stat().st_size
        entry = self.sidecar.entry(name)
        entry.clear()
        entry.update({"url": url, "size": size, "last_modified": server or asked, "adopted": True,
                      **({"etag": told["etag"]} if "etag" in told else {})})
        self.sidecar.save()
        result.size, result.status = size, ADOPTED
        if self.progress is not None:
            self.progress(name, size, size)
        return True

    def _begin(self, name: str, url: str, part: Path, resp: httpx.Response, offset: int,
               entry: dict[str, Any]) -> int | None:
        """Check a 200/206 answer and record the part it begins; the file's whole length when the server says."""
        if resp.status_code == 206:
            m = _CONTENT_RANGE.match(resp.headers.get("Content-Range", "").strip())
            if m is None or int(m.group(1)) != offset:
                raise CrewparityError(f"{url}: HTTP 206 with Content-Range {resp.headers.get('Content-Range')!r}; "
                                      f"expected bytes {offset}-...")
            return int(m.group(3)) if m.group(3) != "*" else None
        entry["part"] = {"url": url, **_validators(resp)}
        self.sidecar.save()
        length = resp.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else None

    def _receive(self, name: str, part: Path, resp: httpx.Response, start: int, total: int | None,
                 result: FetchedFile) -> int:
        """Write the body to the part from byte ``start`` (0: the part is started again); its length after."""
        written = start
        try:
            with part.open("ab" if start else "wb") as fh:
                if self.progress is not None:
                    self.progress(name, written, total)
                try:
                    for chunk in resp.iter_raw():  # (no chunk size: httpx would hold back what came before a drop)
                        fh.write(chunk)
                        written += len(chunk)
                        result.transferred += len(chunk)
                        if self.progress is not None:
                            self.progress(name, written, total)
                except TRANSIENT as exc:
                    raise _Retry(f"the connection dropped at byte {written:,} ({type(exc).__name__})") from None
        except OSError as exc:
            raise CrewparityError(f"cannot write ({exc.strerror})", path=part) from None
        return written

    def _drop_part(self, name: str, part: Path) -> None:
        part.unlink(missing_ok=True)
        self.sidecar.entry(name).pop("part", None)
        self.sidecar.save()


def fetch_imdb(folder: str | os.PathLike[str], *, base_url: str = DEFAULT_BASE_URL,
               files: Sequence[str] | None = None, akas: bool = False, force: bool = False,
               max_retries: int = 5, backoff: float = 1.0, timeout: float = 60.0,
               progress: FileProgress | None = None) -> FetchSummary:
    """Download the IMDb dumps into ``folder`` (made when missing): ``files``, or the six ``ingest imdb`` reads
    (and ``title.akas`` when ``akas``), from ``base_url``. See the module docstring for what is kept and resumed.
    """
    base = check_base_url(base_url)
    names = file_names(files, akas=akas)
    retry = RetryPolicy(max_retries, backoff)
    where = Path(folder)
    if where.exists() and not where.is_dir():
        raise InputError("not a folder; expected the folder to download the IMDb dumps into", path=where)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CrewparityError(f"cannot make the folder ({exc.strerror})", path=where) from None
    summary = FetchSummary(where, base)
    loader = _Downloader(where, base, force=force, retry=retry, timeout=timeout, progress=progress)
    try:
        for name in names:
            summary.files.append(loader.fetch(name))
    except KeyboardInterrupt:
        stopped = names[len(summary.files)]
        part = where / (stopped + ".part")
        have = part.stat().st_size if part.exists() else 0
        log.info("imdb: interrupted in %s%s", stopped,
                 f"; {part.name} keeps the {have:,} bytes that arrived: the same command continues from there"
                 if have else "")
        raise
    finally:
        loader.close()
    return summary
