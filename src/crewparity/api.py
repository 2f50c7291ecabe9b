"""The Python API: the same operations as the CLI, with the same names.

``crewparity.open(path)`` gives a :class:`Crewparity`; write operations (``ingest_*``, ``resolve``)
are module functions here because they replace the store file atomically rather than edit an open one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crewparity.api_gender import evaluate as gender_eval
from crewparity.api_gender import explain as gender_explain
from crewparity.api_gender import guess as gender_guess
from crewparity.api_sources import (
    fetch_imdb,
    fetch_tmdb,
    fetch_wikidata_genders,
    ingest_crewlist,
    ingest_overrides,
    ingest_tmdb,
    ingest_wikidata,
    key_people_imdb_ids,
)
from crewparity.errors import ArgumentError, InputError, python_names
from crewparity.sources.imdb import IngestSummary
from crewparity.store import Store, copy_other_sources, record_source, writing

if TYPE_CHECKING:
    from crewparity.gender.estimate import ShareEstimate

__all__ = ["chart", "db_path", "fetch_imdb", "fetch_tmdb", "fetch_wikidata_genders",
           "gender_estimate", "gender_eval", "gender_explain", "gender_guess",
           "ingest_crewlist", "ingest_imdb", "ingest_overrides", "ingest_tmdb", "ingest_wikidata", "key_people_imdb_ids",
           "report", "resolve_store", "serve"]

Progress = Callable[[str], None]


def ingest_imdb(folder: str | os.PathLike[str], db: str | os.PathLike[str] | None = None, *,
                progress: Progress | None = None, skip_bad: bool = False,
                rejects: str | os.PathLike[str] | None = None) -> IngestSummary:
    """Load an IMDb dump folder, replacing any earlier IMDb load, then resolve genders. All or nothing.

    ``skip_bad`` skips unparseable lines instead of failing; they are written with file:line and the
    reason to ``rejects`` (default ``<store>.rejects.tsv``). The rejects path is checked before anything is
    written, and the list is written before the new store is swapped in: a rejects file that cannot be
    written fails the ingest and leaves the store as it was. ``summary.seconds`` is the wall time of the whole
    call (checks, reading, resolving gender, building the query tables, swapping the store in).
    """
    import time

    from crewparity.gender.resolve import resolve
    from crewparity.sources import dump_dates, imdb, tmdb
    from crewparity.sources import rejects as rejects_mod

    started = time.perf_counter()
    found = imdb.find_files(folder)  # fail on a bad folder before touching anything
    dated = dump_dates.file_dates(Path(folder), found)  # the dumps' day, when fetch imdb downloaded them
    target: Path | None = None
    if skip_bad:
        target = Path(rejects) if rejects is not None else rejects_mod.default_rejects_path(db_path(db))
        if rejects is not None or target.parent.is_dir():  # a missing store folder is the store's error
            rejects_mod.check_writable(target)
    # the rejects file is written beside its place before the swap and put in place as this block ends, after
    # the swap: both or neither (an error before then removes it and leaves any earlier file as it was)
    with contextlib.ExitStack() as after_swap:
        with writing(db, fresh=True) as store:
            if _has_old(store):
                (progress or (lambda _m: None))("carrying over other sources")
                copy_other_sources(store, imdb.SOURCE)
            summary = imdb.ingest(store, folder, progress=progress, skip_bad=skip_bad)
            warning = tmdb.unmatched_warning(store)  # TMDB rows carried over beside the new IMDb rows
            summary.warnings = [warning] if warning else []
            summary.dumps_dated = dump_dates.dated_words(dated)
            mixed = dump_dates.mixed_days(dated)
            if mixed:
                summary.warnings.append(mixed)
            detail = "; ".join(f"{k}={v}" for k, v in summary.rows.items())
            if summary.dumps_dated:
                detail += f"; dumps_dated={summary.dumps_dated}"
            if summary.rejects is not None:
                detail += f"; rejected_lines={summary.rejects.rejected}"
            record_source(store, imdb.SOURCE, summary.location, summary.rows.get("titles", 0), detail=detail)
            (progress or (lambda _m: None))("resolving gender")
            summary.rows["resolved_gender"] = sum(resolve(store, progress=progress).values())
            if summary.rejects is not None and target is not None:
                try:
                    after_swap.enter_context(rejects_mod.pending_tsv(summary.rejects, target))
                except InputError as exc:
                    raise InputError(f"{exc.reason}; the store is unchanged", path=exc.path) from None
    summary.rows = dict(summary.rows)
    if summary.rejects is not None and target is not None:
        summary.rejects_path = str(target)
    summary.seconds = time.perf_counter() - started
    return summary


def _has_old(store) -> bool:  # type: ignore[no-untyped-def]
    rows = store.con.execute("SELECT database_name FROM duckdb_databases() WHERE database_name = 'old'").fetchall()
    return bool(rows)


#: DuckDB's memory limit for ``crewparity resolve`` without ``--rebuild`` (CREWPARITY_MEMORY_LIMIT overrides it)
RESOLVE_MEMORY_LIMIT = "2.5GB"


def resolve_store(db: str | os.PathLike[str] | None = None, *, rebuild: bool = False) -> dict[str, int]:
    """Recompute resolved genders from the evidence in the store (``crewparity resolve``).

    Titles and credits are as the last ingest left them, so the query tables are updated for the people whose
    resolved gender changed (a full rebuild when many did, or when they were never built); ``rebuild=True``
    rebuilds them from scratch. Why: on a full-scale store the rebuild costs over a minute and 8 GB, and
    re-running resolve usually changes few people.

    A store that does not exist is a :class:`crewparity.StoreError`, as for every reader, and nothing is written:
    resolving a mistyped path used to create an empty store there and report success.
    """
    from crewparity.gender.resolve import resolve
    from crewparity.store import missing_store_error

    path = db_path(db)
    if not path.exists():
        raise missing_store_error(path)
    with writing(path) as store:
        if not rebuild:
            limit_memory_for_resolve(store)
        return resolve(store, evidence_only=not rebuild)


def limit_memory_for_resolve(store: Store) -> None:
    """DuckDB's memory limit for re-resolving, unless CREWPARITY_MEMORY_LIMIT sets one.

    Why: re-resolving is a chore beside other work; DuckDB spills past this limit instead of taking the
    ingest's 8 GB (full scale: 2.6 GB peak instead of 4.1 GB, about 15% slower)."""
    if "CREWPARITY_MEMORY_LIMIT" not in os.environ:
        store.con.execute(f"SET memory_limit = '{RESOLVE_MEMORY_LIMIT}'")


def db_path(db: str | os.PathLike[str] | None) -> Path:
    """The store file a ``db`` argument names: the argument, else ``$CREWPARITY_DB``, else ``./crewparity.duckdb``
    (the rule of every command's ``--db``), so a caller can say which file a write went to."""
    from crewparity.store import default_path

    return default_path(db)


@python_names
def gender_estimate(names: Sequence[str | None], genders: Sequence[str | None] | None = None,
                    birth_year: int | None = None, *, no_info: str = "mar", target: str = "rate",
                    db: str | os.PathLike[str] | None = None) -> ShareEstimate:
    """The women's share of a list of full names (``crewparity gender estimate``), with the command's options.

    ``genders``: one recorded gender (or None) per name, counted as a fact; ``no_info``: ``mar`` (people without a
    usable first name are like the rest) or ``bounds`` (the interval runs from all of them men to all women);
    ``target``: ``rate`` (the rate behind the list) or ``list`` (the share within this very list: narrower), the
    CLI's words; ``db``: adapt the name model with that store's recorded genders and recalibrate it as ``share``
    does there (default: the prior alone, as the CLI without ``--db``; ``$CREWPARITY_DB`` is not read).

    Why the options: the CLI's figures must be reachable from Python with the same arguments; without them a
    notebook could not ask for the list's own share or the store-adapted model, and got other numbers.
    """
    from crewparity.gender.estimate import check_estimate_options, estimate_names

    kind = check_estimate_options(no_info, target, birth_year)
    if genders is not None and len(genders) != len(names):
        raise ArgumentError(f"genders: {len(genders)} given for {len(names)} names; give one per name "
                            "(None where not recorded)")
    if db is None:
        return estimate_names(names, genders, birth_year, no_info=no_info, target=kind)
    from crewparity.store import open_store

    with open_store(db) as store:
        return estimate_names(names, genders, birth_year, store=store, no_info=no_info, target=kind)


@python_names
def report(output: str | os.PathLike[str] = "report.html", db: str | os.PathLike[str] | None = None, *,
           year_from: int | None = None, year_to: int | None = None, sample: str | None = None,
           kinds: str | list[str] | None = "movie", unit: str = "people", roles: str | list[str] | None = None,
           fmt: str | None = None) -> Path:
    """Write the HTML (or Markdown, by suffix or ``fmt="md"``) report (``crewparity report``); returns its path.

    The arguments are the command's options with their defaults, spelled as everywhere in the API (``kinds=``
    for ``--kind``, ``year_from=``/``year_to=``, ``fmt=`` for ``--format``). Why explicit: they were passed
    through as ``**options`` under the report module's own names, so ``kinds="movie"`` (the name every other
    method takes) was a TypeError and a typo was found only inside the report.
    """
    from crewparity.report import build_report

    return build_report(db, output, year_from=year_from, year_to=year_to, sample=sample, fmt=fmt,
                        kind=_joined(kinds), unit=unit, roles=_joined(roles))


@python_names
def chart(kind: str, target: str | None = None, output: str | os.PathLike[str] = "chart.svg",
          db: str | os.PathLike[str] | None = None, *, roles: str | list[str] | None = None,
          kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
          sample: str | None = None, unit: str | None = None, metric: str | None = None,
          codirected: str | None = None, include_pilots: bool | None = None) -> Path:
    """Draw one chart offline and write it as SVG or PNG by ``output``'s suffix (``crewparity chart KIND [TARGET]
    -o OUTPUT``); returns its path. The file is the command's, byte for byte.

    ``kind``: trend, compare (``target``: the study), seasons (``target``: the series) or distribution. The
    options are the command's, spelled as everywhere in the API (``kinds=`` for ``--kind``, ``year_from=``/
    ``year_to=``); one not given (None) takes its default (``sample`` all, ``unit`` people, ``codirected`` any,
    ``include_pilots`` False), and one given that the chart does not use is an :class:`~crewparity.ArgumentError`,
    as on the command line. A ``list:FILE`` sample with ids the store lacks warns
    (:class:`crewparity.UnlistedTitlesWarning`), several series matching ``target`` warn (``UserWarning``) naming
    the one charted. ``Crewparity.chart`` gives the chart's Vega-Lite specification instead of a file."""
    from crewparity.client import _chart_given, _warn_caller, _warn_unlisted
    from crewparity.metrics.samples import parse_sample
    from crewparity.report.chart import SELECTION_KINDS, write_chart

    said: list[str] = []
    given = _chart_given(roles=roles, kinds=kinds, year_from=year_from, year_to=year_to, sample=sample, unit=unit,
                         metric=metric, codirected=codirected, include_pilots=include_pilots)
    path = write_chart(db, kind, target, output, say=said.append, **given)
    for line in said:
        _warn_caller(line, UserWarning)
    if kind in SELECTION_KINDS and parse_sample(sample).form == "list":
        from crewparity.store import open_store

        with open_store(db) as store:
            _warn_unlisted(store, sample)
    return path


def _joined(value: str | list[str] | None) -> str | None:
    """A list argument as the comma-separated text the report's options hold (as the CLI passes them)."""
    return ",".join(value) if isinstance(value, list | tuple) else value


def serve(db: str | os.PathLike[str] | None = None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the read-only dashboard until interrupted (``crewparity serve``)."""
    from crewparity.web import serve as _serve

    _serve(db, host=host, port=port)
