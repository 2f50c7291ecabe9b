"""One chart, as ``crewparity chart KIND`` draws it: the options it takes, their checks, the chart and its file.

Why here and not in the CLI: the command, ``crewparity.api.chart`` and ``Crewparity.chart`` draw the same chart
from the same options and refuse the same bad ones in the same words; the CLI only parses its arguments and prints
what this module says. The charts themselves (Altair, rendered offline by vl-convert) are
:mod:`crewparity.report.charts`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from crewparity.errors import ArgumentError
from crewparity.report import charts

#: the chart kinds each option of `crewparity chart` applies to; given to another kind, it is an error, not ignored
CHART_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "roles": ("--roles", ("trend", "compare", "distribution")),
    "kinds": ("--kind", ("trend", "distribution")),
    "year_from": ("--from", ("trend", "compare", "distribution")),
    "year_to": ("--to", ("trend", "compare", "distribution")),
    "sample": ("--sample", ("trend", "distribution")),
    "unit": ("--unit", ("trend",)),
    "metric": ("--metric", ("compare",)),
    "codirected": ("--codirected", ("seasons",)),
    "include_pilots": ("--include-pilots", ("seasons",)),
}
#: each option's value when it is not given (the CLI's defaults)
CHART_DEFAULTS: dict[str, Any] = {"roles": None, "kinds": None, "year_from": None, "year_to": None, "sample": "all",
                                  "unit": "people", "metric": None, "codirected": "any", "include_pilots": False}
#: the kinds that chart a selection of titles: they take no TARGET, and their list sample's missing ids are said
SELECTION_KINDS = ("trend", "distribution")

Say = Callable[[str], None]


def check_chart_options(kind: str, given: Iterable[str]) -> None:
    """One line naming the options given (parameter names, as ``CHART_OPTIONS`` keys them) that ``chart KIND``
    does not use, and the charts each is for: an option silently ignored reads as applied."""
    wrong = [name for name in given if name in CHART_OPTIONS and kind not in CHART_OPTIONS[name][1]]
    if not wrong:
        return
    by_charts: dict[tuple[str, ...], list[str]] = {}
    for name in wrong:
        flag, kinds = CHART_OPTIONS[name]
        by_charts.setdefault(kinds, []).append(flag)
    where = "; ".join(f"{' and '.join(flags)} {'is' if len(flags) == 1 else 'are'} for chart {', '.join(kinds)}"
                      for kinds, flags in by_charts.items())
    flags = ", ".join(CHART_OPTIONS[name][0] for name in wrong)
    uses = ", ".join("--from/--to" if flag == "--from" else flag
                     for flag, kinds in CHART_OPTIONS.values() if kind in kinds and flag != "--to")
    raise ArgumentError(f"chart {kind} does not use {flags} ({where}); chart {kind} takes {uses}")


def check_chart(kind: str, target: str | None, given: Iterable[str], options: dict[str, Any],
                output: str | os.PathLike[str] | None = None) -> None:
    """Every check ``crewparity chart`` makes before it opens the store, in its order: the chart kind, the output's
    suffix (when there is an output), a TARGET where none is taken, options the chart does not use (``given``: the
    names of :data:`CHART_OPTIONS` given, even at their default), the metric, the roles, kinds, years and sample.
    ``options``: the values, every name of :data:`CHART_DEFAULTS`. A typo is named even without a store."""
    from crewparity.metrics.roles import parse_roles
    from crewparity.metrics.samples import check_years, parse_kinds, parse_sample

    if kind not in charts.CHART_KINDS:
        raise ArgumentError(f"unknown chart {kind!r}; allowed: {', '.join(charts.CHART_KINDS)}")
    if output is not None and Path(output).suffix.lower().lstrip(".") not in charts.FORMATS:
        raise ArgumentError(f"chart output must end in .svg or .png, got {Path(output).name!r}")
    if kind in SELECTION_KINDS and target is not None:
        raise ArgumentError(f"chart {kind} takes no series or study; use --roles, --kind, --from, --to, --sample")
    check_chart_options(kind, given)
    charts.parse_metrics(options["metric"])
    parse_roles(options["roles"])
    parse_kinds(options["kinds"])
    check_years(options["year_from"], options["year_to"])
    parse_sample(options["sample"])


def chart_options(given: dict[str, Any]) -> dict[str, Any]:
    """Every chart option: those ``given`` (by :data:`CHART_OPTIONS` name), the others at their default."""
    unknown = sorted(set(given) - set(CHART_DEFAULTS))
    if unknown:
        raise ArgumentError(f"unknown chart option {', '.join(unknown)}; allowed: {', '.join(CHART_DEFAULTS)}")
    return {**CHART_DEFAULTS, **given}


def _short_top(cp: Any, sample: str, kinds: str | None, year_from: int | None, year_to: int | None) -> list[str]:
    """The subtitle line of a chart whose ``top:N`` sample holds fewer than N titles in some years (none when it is
    full): "sample: top 250 titles of each year" over a year of 16 says so on the chart, which may be shown alone."""
    from crewparity.metrics.samples import parse_kinds, short_top_words

    words = short_top_words(cp.store, sample, parse_kinds(kinds), year_from, year_to)
    return [f"{words[0].upper()}{words[1:]}."] if words else []


def _list_gone(sample: str) -> list[str]:
    """The subtitle line of a chart whose ``list:FILE`` was read from standard input or a pipe
    (:func:`crewparity.report.charts.list_gone_words`), none for any other sample: the chart may be shown alone,
    and the command that drew it cannot draw it again."""
    words = charts.list_gone_words(sample)
    return [words] if words else []


def build_chart(cp: Any, kind: str, target: str | None = None, *, say: Say | None = None, roles: str | None = None,
                kinds: str | None = None, year_from: int | None = None, year_to: int | None = None,
                sample: str = "all", unit: str = "people", codirected: str = "any", include_pilots: bool = False,
                metric: str | None = None) -> Any:
    """The chart ``crewparity chart KIND [TARGET]`` draws from the open store ``cp`` (a
    :class:`crewparity.client.Crewparity`), as an Altair chart (:func:`crewparity.report.charts.to_spec` gives its
    Vega-Lite spec). The options are checked by :func:`check_chart` first. ``say``: where a line for the user goes
    (the CLI's stderr): several series matching a seasons chart's TARGET, of which the most voted is charted."""
    from crewparity.metrics.roles import parse_roles, study_choices

    # Every chart file says what it shows and where it comes from: it may be pasted into an article alone.
    source = charts.source_line(cp.store)
    if kind == "trend":
        table = cp.share(roles=roles, by="year,role", kinds=kinds, year_from=year_from, year_to=year_to,
                         sample=sample, unit=unit)
        chosen = parse_roles(roles)
        subtitle = [charts.describe(roles=chosen, kinds=kinds, sample=sample, year_from=year_from, year_to=year_to,
                                    years=table.column("year").to_pylist() if table.num_rows else (), unit=unit)]
        # An empty chart says why in its own text; its subtitle describes no line, band or role it does not draw.
        empty = charts.trend_empty_reason(table, store=cp.store)
        if empty is None:
            subtitle.append("Line: estimate from recorded genders and the first-name model; band: its 95% interval.")
            drawn = set(table.column("role").to_pylist())
            if absent := [r.replace("_", " ") for r in chosen if r not in drawn]:
                subtitle.append(f"No credits counted for: {', '.join(absent)}.")
            subtitle += _short_top(cp, sample, kinds, year_from, year_to)
        subtitle += _list_gone(sample)
        return charts.trend_chart(table, title=charts.trend_title(chosen, unit), subtitle=subtitle, source=source,
                                  unit=unit, empty_reason=empty)
    if kind == "distribution":
        table = cp.distribution(roles=roles, kinds=kinds, year_from=year_from, year_to=year_to, sample=sample)
        chosen = parse_roles(roles)
        subtitle = [charts.describe(roles=chosen, kinds=kinds, sample=sample, year_from=year_from, year_to=year_to,
                                    unit="titles", credited=True,
                                    years=charts.distribution_years(cp.store, roles=chosen, kinds=kinds,
                                                                    year_from=year_from, year_to=year_to,
                                                                    sample=sample) if table.num_rows else ())]
        if table.num_rows:   # an empty chart says why instead, and has no bars to describe
            subtitle.append("Bars: titles with a credit in these roles, by the number of women credited in them; "
                            "labels: share of those titles.")
            if uncredited := charts.no_credit_words(table):
                subtitle.append(uncredited)
            subtitle += _short_top(cp, sample, kinds, year_from, year_to)
        subtitle += _list_gone(sample)
        return charts.distribution_chart(
            table, title=charts.distribution_title(chosen), subtitle=subtitle, source=source)
    if kind == "compare":
        if not target:
            raise ArgumentError(f"chart compare needs a STUDY: {study_choices()}")
        metrics = charts.parse_metrics(metric)
        table = cp.compare(target, year_from=year_from, year_to=year_to)
        rows = charts.select_compare(table, roles=parse_roles(roles) if roles else None, metrics=metrics)
        if table.num_rows and not rows:
            raise ArgumentError(f"the study {target!r} publishes no figure for these --roles/--metric; "
                                "`crewparity compare` lists them")
        published = next((r.get("published_source") for r in rows if r.get("published_source")), None)
        if published:
            source = f"Published figures: {published}. {source}"
        from crewparity.metrics.compare import short_sample_words

        # "top 250 movie titles per year" over 14-26 a year says so on the chart, as `compare` notes it
        short = short_sample_words(table, target)
        return charts.compare_chart(rows, source=source, max_panels=None,
                                    note=f"{short}." if short else None)
    if not target:
        raise ArgumentError("chart seasons needs a series: a title (or part of one) or an IMDb id")
    from crewparity.metrics.episodes import find_series

    found = find_series(cp.store, target)
    if len(found) > 1 and say is not None:
        say(f"{len(found)} series match {target!r}; charting the most voted: {found[0][1]} ({found[0][0]})")
    table = cp.series(found[0][0], codirected=codirected, include_pilots=include_pilots)
    series_id = found[0][0]
    where = "TMDB" if series_id.startswith("tmdb:") else "IMDb" if series_id.startswith("tt") else "id"
    note = (f"{where} {series_id}: episodes per season by their director's gender; co-directed "
            f"episodes: {'a woman among the directors counts' if codirected == 'any' else 'split 1/k'}; "
            f"pilots and specials (season 0) {'kept' if include_pilots else 'left out'}.")
    from crewparity.metrics.episodes import without_director_words

    # a bar of "0 of 1" for a season of 10 episodes, nine without a director credit, says so on the chart itself
    missing = without_director_words(table)
    return charts.seasons_chart(table, subtitle=[note, f"{missing[0].upper()}{missing[1:]}."] if missing else note,
                                source=source)


def write_chart(db: str | os.PathLike[str] | None, kind: str, target: str | None = None,
                output: str | os.PathLike[str] = "chart.svg", *, given: Iterable[str] | None = None,
                say: Say | None = None, **options: Any) -> Path:
    """``crewparity chart KIND [TARGET] -o OUTPUT``: check the options (:func:`check_chart`), draw the chart from
    store ``db`` (:func:`build_chart`) and write it as SVG or PNG by ``output``'s suffix (whole or not at all);
    returns the path. ``options``: :data:`CHART_DEFAULTS`' names, the others at their default; ``given``: the
    options given (default: those in ``options``), which the chart must use."""
    from crewparity import open as open_client

    values = chart_options(options)
    check_chart(kind, target, options if given is None else given, values, output)
    cp = open_client(db)
    try:
        spec = build_chart(cp, kind, target, say=say, **values)
    finally:
        cp.close()
    return charts.save(spec, Path(output))


__all__ = ["CHART_DEFAULTS", "CHART_OPTIONS", "build_chart", "check_chart", "check_chart_options", "write_chart"]
