"""The Python API object: ``crewparity.open(path)`` -> :class:`Crewparity`, whose methods are the CLI's commands.

Each method returns a :class:`pyarrow.Table` (``.to_pandas()``, ``polars.from_arrow(...)``) with the same
columns as the CLI's ``--format json`` output, so a figure computed in a notebook and one printed by the CLI
are the same numbers. The store is opened read-only; write operations live in :mod:`crewparity.api`.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa

from crewparity.errors import in_python_names, python_names
from crewparity.metrics.empty import EmptyResultWarning, explained, reason_of
from crewparity.store import Store, open_store

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
#: what keeps pilots and specials, in an empty series table's warning (the CLI's note says --include-pilots)
_KEEP_PILOTS = "include_pilots=True keeps them"
_PLUMBING = {os.path.abspath(__file__), os.path.join(_PACKAGE, "errors.py")}  # this module, the python_names wrapper


def _warn_if_empty(table: pa.Table) -> pa.Table:
    """An empty result warns with its reason (:mod:`crewparity.metrics.empty`), as the CLI notes it on stderr: a
    notebook user gets 0 rows and the why. Only a call from outside the package warns: the CLI, the report and
    the dashboard say it their own way."""
    reason = reason_of(table)
    if reason is None:
        return table
    _warn_caller(in_python_names(reason), EmptyResultWarning)
    return table


def _warn_if_none(table: pa.Table, reason: str) -> pa.Table:
    """A series table with no row warns with the line the CLI notes for it (:func:`crewparity.metrics.empty.
    no_episodes`, :func:`~crewparity.metrics.empty.no_ranked_seasons`), as an empty share does: 0 rows alone
    do not say whether the series has no directed episodes or the options left everything out."""
    if table.num_rows == 0:
        _warn_caller(in_python_names(reason), EmptyResultWarning, depth=2)
    return table


class UnlistedTitlesWarning(UserWarning):
    """A ``list:FILE`` sample lists title ids the store has no title of; the message counts and names them."""


def _chart_given(**options: Any) -> dict[str, Any]:
    """A chart's options as the API takes them (None: not given, the CLI's default), the lists joined with commas
    as the CLI passes them: those given, for :func:`crewparity.report.chart.check_chart`."""
    return {name: ",".join(value) if isinstance(value, list | tuple) else value
            for name, value in options.items() if value is not None}


def _warn_unlisted(store: Store, sample: str | None) -> None:
    """A list sample whose ids the store partly lacks warns (:func:`crewparity.metrics.samples.unlisted_warning`),
    as the CLI warns on stderr; only a call from outside the package warns."""
    from crewparity.metrics.samples import parse_sample, unlisted_warning

    if parse_sample(sample).form == "list":
        message = unlisted_warning(store, sample)
        if message:
            _warn_caller(message, UnlistedTitlesWarning, depth=2)


class ShortSampleWarning(UserWarning):
    """A ``top:N`` sample holds fewer than N titles in some years (the store has no more titles with IMDb votes):
    the figures are over fewer titles than "top N" says. The message names the years and their counts, the line
    the CLI prints as a note (:func:`crewparity.metrics.samples.short_top_words`)."""


class AbsentRoleWarning(UserWarning):
    """A role asked for has no credit in the selection: ``no_woman``'s row for it has no share (every title is in
    ``no_credit``: IMDb's coverage, not hiring), and ``share(by="role")`` has no row for it. The message is the CLI's note
    (:func:`crewparity.metrics.empty.uncredited_roles`, :func:`crewparity.metrics.empty.absent_roles`)."""


def _warn_short_top(store: Store, table: pa.Table, sample: str | None, kinds: str | list[str] | None,
                    year_from: int | None, year_to: int | None) -> None:
    """A ``top:N`` sample short of N titles in some years warns with the CLI's note, for a result with rows (an
    empty one has its own warning); its query runs only for a caller outside the package and a top:N sample."""
    if not table.num_rows or _caller_level(2) is None:
        return
    from crewparity.metrics.samples import parse_kinds, short_top_words

    words = short_top_words(store, sample, parse_kinds(kinds), year_from, year_to)
    if words:
        _warn_caller(words, ShortSampleWarning, depth=2)


def _warn_absent(message: str | None) -> None:
    """A role asked for with no credit in the selection warns with the CLI's note (``message``, or None)."""
    if message:
        _warn_caller(message, AbsentRoleWarning, depth=2)


def _caller_level(depth: int) -> int | None:
    """The stacklevel of the first caller outside the package (skipping this module's frames), or None when the
    call comes from inside it (the CLI, the report and the dashboard say things their own way)."""
    frame, level = sys._getframe(depth + 1), depth + 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename) in _PLUMBING:
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    if frame is not None and not os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        return level
    return None


def _warn_caller(message: str, category: type[Warning], depth: int = 1) -> None:
    """Warn at the line of the caller outside the package (skipping this module's frames); none from inside."""
    level = _caller_level(depth + 1)
    if level is not None:
        warnings.warn(message, category, stacklevel=level - 1)  # the caller's line


class Crewparity:
    """An open crewparity store and the metrics over it.

    >>> import crewparity
    >>> cp = crewparity.open("demo.duckdb")                     # doctest: +SKIP
    >>> cp.series("Jessica Jones").to_pylist()                  # doctest: +SKIP
    """

    def __init__(self, store: Store):
        self.store = store

    # -- plumbing -------------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The store file this object reads: the one ``crewparity.open`` chose (its argument, else
        ``$CREWPARITY_DB``, else ``./crewparity.duckdb``), so a notebook can say which store its figures are from."""
        return self.store.path

    @property
    def con(self) -> Any:
        """The underlying read-only DuckDB connection (for your own SQL over the canonical tables)."""
        return self.store.con

    def close(self) -> None:
        """Close the DuckDB connection. Why it matters: an open reader keeps the old store file alive while an
        ingest swaps in a new one, so a long-lived notebook object reads stale figures; ``with crewparity.open(...)
        as cp:`` closes it for you."""
        self.store.close()

    def __enter__(self) -> Crewparity:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"crewparity.open({str(self.store.path)!r})"

    # -- shares ---------------------------------------------------------------------------------------
    @python_names
    def share(self, roles: str | list[str] | None = None, by: str | list[str] | None = "year",
              kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
              sample: str = "all", unit: str = "people") -> pa.Table:
        """Women's share per group (``crewparity share``).

        ``roles``: default the six key roles; ``by``: any of year, decade, genre, kind, title, role, none
        (a list or comma-separated); ``kinds``: e.g. ``"movie"`` or ``["tv_series"]`` (episodes count for their
        series); ``sample``: ``all``, ``top:N`` or ``list:FILE``; ``unit``: credits, people or titles.
        """
        from crewparity.metrics.share import share

        table = share(self.store, roles=roles, by=by, kinds=kinds, year_from=year_from, year_to=year_to,
                      sample=sample, unit=unit)
        _warn_unlisted(self.store, sample)
        if table.num_rows and "role" in table.column_names:  # an empty result has its own warning
            from crewparity.metrics.empty import absent_roles

            _warn_absent(absent_roles(roles, set(table["role"].to_pylist())))
        _warn_short_top(self.store, table, sample, kinds, year_from, year_to)
        return _warn_if_empty(explained(table, self.store, roles, kinds, year_from, year_to, sample))

    @python_names
    def share_by_role(self, unit: str = "people", **kwargs: Any) -> pa.Table:
        """``share(by="role")``: one row per role (the demo's second table)."""
        return self.share(by="role", unit=unit, **kwargs)

    @python_names
    def distribution(self, roles: str | list[str] | None = None, kinds: str | list[str] | None = None,
                     year_from: int | None = None, year_to: int | None = None, sample: str = "all",
                     by: str = "none") -> pa.Table:
        """Titles by number of women in the roles, bucketed 0, 1, 2, 3-5, 6-9, 10+ (``crewparity distribution``):
        the titles with a credit in the roles; ``no_credit`` counts the sample's titles without any (in no bucket)."""
        from crewparity.metrics.distribution import distribution

        table = distribution(self.store, roles=roles, kinds=kinds, year_from=year_from, year_to=year_to,
                             sample=sample, by=by)
        _warn_unlisted(self.store, sample)
        _warn_short_top(self.store, table, sample, kinds, year_from, year_to)
        return _warn_if_empty(explained(table, self.store, roles, kinds, year_from, year_to, sample))

    @python_names
    def no_woman(self, roles: str | list[str] | None = None, kinds: str | list[str] | None = None,
                 year_from: int | None = None, year_to: int | None = None, sample: str = "all",
                 by: str = "none") -> pa.Table:
        """Share of titles with no woman in each role (``crewparity distribution --part roles``): over the titles
        with a credit in the role (``titles_with_role``); ``no_credit`` counts the sample's titles without one, as
        ``compare``'s no-woman rows do."""
        from crewparity.metrics.distribution import no_woman_by_role
        from crewparity.metrics.empty import uncredited_roles

        table = no_woman_by_role(self.store, roles=roles, kinds=kinds, year_from=year_from, year_to=year_to,
                                 sample=sample, by=by)
        _warn_unlisted(self.store, sample)
        _warn_absent(uncredited_roles(table))
        _warn_short_top(self.store, table, sample, kinds, year_from, year_to)
        return _warn_if_empty(explained(table, self.store, roles, kinds, year_from, year_to, sample))

    @python_names
    def compare(self, study: str, year_from: int | None = None, year_to: int | None = None,
                season_year: str = "start") -> pa.Table:
        """A study's published figures beside crewparity's for the closest sample (``crewparity compare``);
        ``season_year`` ("start" or "end"): the calendar year a TV season such as "2016-17" is compared with."""
        from crewparity.metrics.compare import compare

        return compare(self.store, study, year_from=year_from, year_to=year_to, season_year=season_year)

    # -- charts ---------------------------------------------------------------------------------------
    @python_names
    def chart(self, kind: str, target: str | None = None, *, roles: str | list[str] | None = None,
              kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
              sample: str | None = None, unit: str | None = None, metric: str | None = None,
              codirected: str | None = None, include_pilots: bool | None = None) -> dict[str, Any]:
        """The chart ``crewparity chart KIND [TARGET]`` draws, as its Vega-Lite specification (a dict, data
        inlined); :func:`crewparity.api.chart` writes it as SVG or PNG, as the command does.

        ``kind``: trend, compare (``target``: the study), seasons (``target``: the series) or distribution. The
        options are the command's; one not given (None) takes its default (``sample`` all, ``unit`` people,
        ``codirected`` any, ``include_pilots`` False), and one given that the chart does not use is an
        :class:`~crewparity.ArgumentError`, as on the command line. A ``list:FILE`` sample with ids the store lacks
        warns (:class:`UnlistedTitlesWarning`); several series matching ``target`` warn (``UserWarning``) naming
        the most voted, the one charted."""
        from crewparity.report.chart import SELECTION_KINDS, build_chart, chart_options, check_chart
        from crewparity.report.charts import to_spec

        given = _chart_given(roles=roles, kinds=kinds, year_from=year_from, year_to=year_to, sample=sample,
                             unit=unit, metric=metric, codirected=codirected, include_pilots=include_pilots)
        values = chart_options(given)
        check_chart(kind, target, given, values)
        said: list[str] = []
        spec = to_spec(build_chart(self, kind, target, say=said.append, **values))
        for line in said:
            _warn_caller(line, UserWarning)
        if kind in SELECTION_KINDS:
            _warn_unlisted(self.store, values["sample"])
        return spec

    # -- series ---------------------------------------------------------------------------------------
    @python_names
    def series(self, query: str, season: int | None = None, codirected: str = "any",
               include_pilots: bool = False) -> pa.Table:
        """Per series and season: episodes directed by women / men / nonbinary / unknown, and those without a
        director credit (``no_director``, in no share) (``crewparity series``)."""
        from crewparity.metrics.empty import no_episodes
        from crewparity.metrics.episodes import series_seasons

        table = series_seasons(self.store, query, season=season, codirected=codirected, include_pilots=include_pilots)
        return _warn_if_none(table, no_episodes(query, season, include_pilots, _KEEP_PILOTS))

    @python_names
    def series_episodes(self, query: str, season: int | None = None, include_pilots: bool = False) -> pa.Table:
        """Every episode with its directors, their gender and its source (``crewparity series --episodes``)."""
        from crewparity.metrics.empty import no_episodes
        from crewparity.metrics.episodes import series_episodes

        table = series_episodes(self.store, query, season=season, include_pilots=include_pilots)
        return _warn_if_none(table, no_episodes(query, season, include_pilots, _KEEP_PILOTS))

    @python_names
    def series_rank(self, rank: str = "best", year_from: int | None = None, year_to: int | None = None,
                    min_episodes: int | None = None, codirected: str = "any", include_pilots: bool = False,
                    limit: int | None = None, undecided: bool = False, all_series: bool = False) -> pa.Table:
        """The DGA's best (>= 40%) / worst (0%) season lists (``crewparity series --rank``).

        A season is listed only when its directors of unknown gender cannot change that (best: >= 40% even if
        every unknown were a man; worst: no woman, no unknown and no episode without a director credit: such an
        episode is an unknown, ``no_director``); how many were left out for unknowns:
        ``crewparity.metrics.episodes.left_out_for_unknowns(table)``, and ``undecided=True``
        (``--undecided``) lists those seasons instead, with ``could_be_women``. ``min_episodes`` defaults to the
        rules file's ``dga.min_episodes`` (6), as in the CLI, the dashboard and the report.

        The series ``compare dga`` leaves out (unscripted and adult: the DGA study's ``exclude_genres`` and
        ``exclude_adult`` in the rules file) are left out unless ``all_series=True`` (``--all-series``); how many
        of their seasons: ``crewparity.metrics.episodes.left_out_excluded(table)``."""
        from crewparity.metrics.empty import no_ranked_seasons
        from crewparity.metrics.episodes import rank_seasons

        table = rank_seasons(self.store, rank, year_from=year_from, year_to=year_to, min_episodes=min_episodes,
                             codirected=codirected, include_pilots=include_pilots, limit=limit, undecided=undecided,
                             all_series=all_series)
        return _warn_if_none(table, no_ranked_seasons(rank, undecided))

    # -- credits --------------------------------------------------------------------------------------
    @python_names
    def credits(self, title: str, season: int | None = None, roles: str | list[str] | None = None) -> pa.Table:
        """A title's credits, one row per (person, role), with each gender and how it is known (``crewparity
        credits``): role, person_id, name, gender, how (recorded / inferred / unknown), source, p_woman, and for a
        series (its episodes' credits rolled up with its own) episodes, first_year, last_year.

        ``title``: an id (tt..., tmdb:..., crew:...) or a name (exact, else contained; several: an
        :class:`~crewparity.ArgumentError` listing them); ``season``: a series' season only; ``roles``: default the
        six key roles, ``"all"`` every crew role, or a list. Per role the rows add up to ``share(by="title",
        unit="people")``'s counts for the title: ``crewparity.metrics.credits.summary(table)`` counts them."""
        from crewparity.metrics.credits import credits, title_of

        table = credits(self.store, title, season=season, roles=roles)
        found = title_of(table)
        label = found.label() if found is not None else title
        return _warn_if_none(table, f"{label} has no credit in the store in the roles asked for"
                             + (f" in season {season}" if season is not None else ""))

    # -- evidence -------------------------------------------------------------------------------------
    @python_names
    def evidence_summary(self, key_roles_only: bool = True) -> pa.Table:
        """People per resolved gender source (recorded / inferred / unknown)."""
        from crewparity.metrics.evidence import evidence_summary

        return evidence_summary(self.store, key_roles_only=key_roles_only)


def open_client(path: str | os.PathLike[str] | None = None) -> Crewparity:
    """Open a store read-only (default ``./crewparity.duckdb`` or ``$CREWPARITY_DB``)."""
    return Crewparity(open_store(path, read_only=True))
