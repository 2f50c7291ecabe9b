"""Python API for the evidence and crew-list sources (re-exported from :mod:`crewparity.api`).

Each function is one atomic write: the store is copied, the source's rows are replaced, genders are
resolved again, and the new file is swapped in only if everything succeeded. Files are parsed before the
store is touched, so bad input leaves the store exactly as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crewparity.errors import python_names
from crewparity.sources.overrides import EvidenceSummary
from crewparity.store import Store, writing

if TYPE_CHECKING:  # (httpx loads only when fetching)
    from crewparity.sources.imdb_download import FetchSummary, FileProgress

Progress = Callable[[str], None]
PageProgress = Callable[[int, int], None]


def _resolve(store: Store, summary: EvidenceSummary, evidence_only: bool = False) -> None:
    """Resolve again; ``evidence_only`` when the write changed gender evidence and nothing else (overrides,
    Wikidata), so the query tables are updated for the people whose gender changed instead of rebuilt."""
    from crewparity.gender.resolve import resolve

    summary.rows["resolved_gender"] = sum(resolve(store, evidence_only=evidence_only).values())


def ingest_wikidata(path: str | os.PathLike[str], db: str | os.PathLike[str] | None = None) -> EvidenceSummary:
    """Load Wikidata P21 results (SPARQL JSON or CSV), replacing earlier Wikidata evidence; then resolve."""
    from crewparity.sources import wikidata

    parsed = wikidata.read(path)
    with writing(db) as store:
        summary = wikidata.store_parsed(store, parsed, str(Path(path).resolve()))
        _resolve(store, summary, evidence_only=True)
    return summary


def ingest_overrides(path: str | os.PathLike[str], db: str | os.PathLike[str] | None = None) -> EvidenceSummary:
    """Load an overrides CSV (person_id,gender,note), replacing earlier overrides; then resolve."""
    from crewparity.sources import overrides

    overrides.read(path)  # fail before taking the lock
    with writing(db) as store:
        summary = overrides.ingest(store, path)
        _resolve(store, summary, evidence_only=True)
    return summary


def ingest_tmdb(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
                db: str | os.PathLike[str] | None = None, *, evidence_only: bool = False) -> EvidenceSummary:
    """Load TMDB API v3 JSON responses, replacing earlier TMDB rows; then resolve.

    ``paths``: the files (a list, or any iterable such as ``Path("tmdb").glob("*.json")``), or one file. Why: a
    glob was read and then indexed (TypeError), and one path as text was taken letter by letter ("/: not a file").
    ``evidence_only``: keep only the TMDB genders of the people a ``/person/{id}`` file links to an IMDb id, and
    add no titles, credits or people: TMDB as a gender source for an IMDb store, whose series it would otherwise
    count twice (:func:`crewparity.sources.tmdb.store_evidence`).
    """
    from crewparity.sources import tmdb

    files = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    batch = tmdb.read(files)
    location = str(Path(files[0]).resolve().parent) if len(files) > 1 else str(Path(files[0]).resolve())
    with writing(db) as store:
        if evidence_only:
            # only genders change unless an earlier full TMDB load's titles and credits go: then rebuild
            genders_only = not tmdb.has_title_rows(store)
            summary = tmdb.store_evidence(store, batch, location)
            _resolve(store, summary, evidence_only=genders_only)
        else:
            summary = tmdb.store_batch(store, batch, location)
            _resolve(store, summary)
    return summary


def ingest_crewlist(path: str | os.PathLike[str], db: str | os.PathLike[str] | None = None, *,
                    title: str | None = None, year: int | None = None) -> EvidenceSummary:
    """Load a production's crew list (CSV), replacing the crew-list rows of the titles it names; then resolve."""
    from crewparity.sources import crewlist

    parsed = crewlist.read(path, title=title, year=year)
    with writing(db) as store:
        summary = crewlist.store_parsed(store, parsed, str(Path(path).resolve()))
        _resolve(store, summary)
    return summary


def key_people_imdb_ids(db: str | os.PathLike[str] | None = None) -> list[str]:
    """IMDb ids of the people with a key-role (non-actor) credit: whom ``fetch wikidata-genders`` asks about."""
    from crewparity.store import open_store

    with open_store(db) as store:
        rows = store.rows("SELECT DISTINCT person_id FROM credits WHERE role <> 'actor' "
                          "AND regexp_full_match(person_id, 'nm[0-9]+') ORDER BY 1")
    return [r[0] for r in rows]


def fetch_wikidata_genders(db: str | os.PathLike[str] | None = None, *, endpoint: str | None = None,
                           batch: int = 200, rate: float = 1.0, max_retries: int = 5, backoff: float = 1.0,
                           save: str | os.PathLike[str] | None = None,
                           progress: PageProgress | None = None) -> EvidenceSummary:
    """Query Wikidata P21 for the store's key crew by IMDb id, then ingest it as ``ingest wikidata`` does.

    The only network call in crewparity. ``save`` writes the merged SPARQL JSON result, so the same
    evidence can be loaded again offline with ``ingest wikidata``; when the fetch stops early (a batch that fails
    after its retries, Ctrl-C) it holds what arrived and the store is unchanged, and the same call with the same
    ``save`` continues from it (:func:`crewparity.sources.http.fetch_genders`). Replaces earlier Wikidata evidence.
    """
    from crewparity.sources import http, wikidata

    ids = key_people_imdb_ids(db)
    url = endpoint or http.DEFAULT_ENDPOINT
    pages = http.fetch_genders(ids, endpoint=url, batch=batch, rate=rate, max_retries=max_retries,
                               backoff=backoff, progress=progress, save=save)
    parsed = wikidata.merge(pages, url)
    with writing(db) as store:
        # the batches asked in this run and those resumed from --save, apart (a resumed file is no request)
        summary = wikidata.store_parsed(store, parsed, f"{url} ({pages.describe(len(ids), batch, save)})")
        _resolve(store, summary, evidence_only=True)
    return summary


@python_names
def fetch_imdb(folder: str | os.PathLike[str], *, base_url: str = "https://datasets.imdbws.com/",
               files: Sequence[str] | None = None, akas: bool = False, force: bool = False,
               max_retries: int = 5, backoff: float = 1.0,
               progress: FileProgress | None = None) -> FetchSummary:
    """Download the IMDb non-commercial dumps into ``folder`` (made when missing) for :func:`ingest_imdb`, as
    ``crewparity fetch imdb`` does: ``files`` (``"title.basics"`` or ``"title.basics.tsv.gz"``; a comma-separated
    string counts as several) or the six ``ingest_imdb`` reads, plus ``title.akas`` when ``akas``.

    Uses the network, from ``base_url``. Each file arrives as ``NAME.part`` and is renamed only when complete and
    its gzip stream checked; an interrupted download is continued (HTTP Range with If-Range), a file the server
    says is unchanged since the last fetch is left alone ("up to date"; ``force`` downloads it again), a dump found
    without fetch's record (downloaded by hand with ``curl -R`` or ``wget -N``) is adopted when the server says it
    is unchanged since its date and it is a whole gzip file ("adopted, up to date"), and
    ``progress(name, bytes_done, bytes_total_or_None)`` is called as bytes arrive. Returns a
    :class:`~crewparity.sources.imdb_download.FetchSummary` (per file: size, status, bytes transferred). See
    :mod:`crewparity.sources.imdb_download`.
    """
    from crewparity.sources import imdb_download

    return imdb_download.fetch_imdb(folder, base_url=base_url, files=files, akas=akas, force=force,
                                    max_retries=max_retries, backoff=backoff, progress=progress)

def fetch_tmdb(targets: str | Iterable[str], db: str | os.PathLike[str] | None = None, *,
               save: str | os.PathLike[str], token: str | None = None, base_url: str | None = None,
               rate: float = 20.0, max_retries: int = 5, backoff: float = 1.0, refresh: bool = False,
               people: bool = False, evidence_only: bool = False,
               progress: PageProgress | None = None) -> EvidenceSummary:
    """Ask TMDB API v3 for titles' responses, save each as a file in the folder ``save``, then ingest every
    ``*.json`` file of that folder as ``ingest_tmdb`` does (the folder is the collection: an ingest replaces the
    earlier TMDB load whole).

    ``targets``: ``"movie:ID"`` / ``"tv:ID"`` (one, or a list). A movie's details and credits; a series' details,
    aggregate credits and every season (per-episode crew); with ``people``, ``/person/{id}`` of the key crew
    (IMDb ids, birth years). A file already in ``save`` is reused, not asked again, unless ``refresh``: a stopped
    fetch continues, a rerun makes no request. ``token``: a v3 API key or v4 read access token, else the
    environment's ``TMDB_TOKEN`` / ``TMDB_API_KEY``. ``evidence_only``: ingest as ``ingest_tmdb(...,
    evidence_only=True)`` does (only the genders of people linked to IMDb ids); it implies ``people``, since the
    person pages are what link TMDB people to IMDb ids. ``progress(done, known)`` is called after each response.
    Uses the network (:mod:`crewparity.sources.tmdb_fetch`); the store is not touched unless every response arrived.
    """
    return _fetch_tmdb(targets, db, save=save, token=token, base_url=base_url, rate=rate, max_retries=max_retries,
                       backoff=backoff, refresh=refresh, people=people, evidence_only=evidence_only,
                       progress=progress)[0]


def _fetch_tmdb(targets: str | Iterable[str], db: str | os.PathLike[str] | None, *, save: str | os.PathLike[str],
                token: str | None, base_url: str | None, rate: float, max_retries: int, backoff: float,
                refresh: bool, people: bool, progress: PageProgress | None,
                evidence_only: bool = False) -> tuple[EvidenceSummary, Any]:
    """:func:`fetch_tmdb`, also returning the :class:`crewparity.sources.tmdb_fetch.Fetched` record (what was
    asked and what reused), for the CLI's line."""
    from crewparity.sources import tmdb_fetch

    wanted = tmdb_fetch.parse_targets(targets)
    auth = tmdb_fetch.Auth.resolve(token)
    got = tmdb_fetch.fetch(wanted, save, auth, base_url=base_url or tmdb_fetch.DEFAULT_BASE_URL, rate=rate,
                           max_retries=max_retries, backoff=backoff, refresh=refresh,
                           people=people or evidence_only, progress=progress)
    summary = ingest_tmdb(sorted(Path(save).glob("*.json")), db, evidence_only=evidence_only)
    if got.missing_people:
        ids = ", ".join(str(p) for p in got.missing_people[:5]) + (" ..." if len(got.missing_people) > 5 else "")
        kept = ("their TMDB gender is left out (no IMDb id to record it under)" if evidence_only else
                "their credits are kept under tmdb:person ids, without birth year or IMDb id")
        summary.warnings.append(f"TMDB has no page for {len(got.missing_people):,} of the key crew (person "
                                f"{ids}): {kept}")
    return summary, got
