"""`crewparity chart KIND ...` (one chart as SVG/PNG) and `crewparity report` (the shareable HTML/Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from crewparity.cli.app import DbOption, app, stderr, stdout
from crewparity.cli.metrics import FromOption, KindOption, RolesOption, SampleOption, check_args, warn_unlisted
from crewparity.errors import ArgumentError
from crewparity.metrics.roles import study_choices

CHART_HELP = ("trend (share per year and role, 95% band), compare (ours beside a study's published figures), "
              "seasons (a series' episodes by director gender), distribution (women per title).")
ToOpt = Annotated[int | None, typer.Option("--to", help="Last year (inclusive).", show_default=False)]
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


def check_chart_options(kind: str, given: list[str]) -> None:
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


def _short_top(cp: Any, sample: str, kinds: str | None, year_from: int | None, year_to: int | None) -> list[str]:
    """The subtitle line of a chart whose ``top:N`` sample holds fewer than N titles in some years (none when it is
    full): "sample: top 250 titles of each year" over a year of 16 says so on the chart, which may be shown alone."""
    from crewparity.metrics.samples import parse_kinds, short_top_words

    words = short_top_words(cp.store, sample, parse_kinds(kinds), year_from, year_to)
    return [f"{words[0].upper()}{words[1:]}."] if words else []


def _chart_for(kind: str, target: str | None, cp: Any, *, roles: str | None, kinds: str | None,
               year_from: int | None, year_to: int | None, sample: str, unit: str, codirected: str,
               include_pilots: bool, metric: str | None = None) -> Any:
    from crewparity.metrics.roles import parse_roles
    from crewparity.report import charts

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
        return charts.trend_chart(table, title=charts.trend_title(chosen, unit), subtitle=subtitle, source=source,
                                  unit=unit, empty_reason=empty)
    if kind == "distribution":
        table = cp.distribution(roles=roles, kinds=kinds, year_from=year_from, year_to=year_to, sample=sample)
        chosen = parse_roles(roles)
        subtitle = [charts.describe(roles=chosen, kinds=kinds, sample=sample, year_from=year_from, year_to=year_to,
                                    unit="titles")]
        if table.num_rows:   # an empty chart says why instead, and has no bars to describe
            subtitle.append("Bars: titles by the number of women credited in these roles; labels: share of all titles.")
            subtitle += _short_top(cp, sample, kinds, year_from, year_to)
        return charts.distribution_chart(
            table, title=f"How many women a title employs {'in' if len(chosen) > 3 else 'as'} "
                         f"{charts.roles_words(chosen)}", subtitle=subtitle,
            source=source)
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
    if len(found) > 1:
        stderr.print(f"{len(found)} series match {target!r}; charting the most voted: {found[0][1]} ({found[0][0]})")
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


@app.command("chart")
def chart(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=CHART_HELP, show_default=False)],
    target: Annotated[str | None, typer.Argument(
        help="seasons: the series (title or IMDb id); compare: the study.", show_default=False)] = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="FILE.svg or FILE.png (the suffix chooses; default chart.svg in the current folder).",
        show_default=False)] = Path("chart.svg"),
    roles: RolesOption = None,
    kinds: KindOption = None,
    year_from: FromOption = None,
    year_to: ToOpt = None,
    sample: SampleOption = "all",
    unit: Annotated[str, typer.Option("--unit", help="trend: credits, people or titles.")] = "people",
    metric: Annotated[str | None, typer.Option(
        "--metric", help="compare: which of the study's figures: all (default), people (women among the people), "
        "no-woman (titles with no woman in the role), episodes; with --roles to pick roles.",
        show_default=False)] = None,
    codirected: Annotated[str, typer.Option("--codirected", help="seasons: any (DGA) or fractional.")] = "any",
    include_pilots: Annotated[bool, typer.Option(
        "--include-pilots", help="seasons: keep pilots and specials (season 0).")] = False,
    db: DbOption = None,
) -> None:
    """Draw one chart offline (no browser, no network) and write it as SVG or PNG.

    \b
    Examples:
      crewparity chart trend --roles director,writer -o trend.svg --db demo.duckdb
      crewparity chart seasons "Jessica Jones" -o jessica-jones.png --db demo.duckdb
      crewparity chart compare dga -o dga.svg --db demo.duckdb
    """
    from crewparity import open as open_client
    from crewparity.report import charts

    if kind not in charts.CHART_KINDS:
        raise ArgumentError(f"unknown chart {kind!r}; allowed: {', '.join(charts.CHART_KINDS)}")
    if output.suffix.lower().lstrip(".") not in charts.FORMATS:
        raise ArgumentError(f"chart output must end in .svg or .png, got {output.name!r}")
    if kind in ("trend", "distribution") and target is not None:
        raise ArgumentError(f"chart {kind} takes no series or study; use --roles, --kind, --from, --to, --sample")
    # given on the command line, even at its default value (typer ships its own click: compare by name)
    check_chart_options(kind, [name for name in CHART_OPTIONS
                               if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"])
    charts.parse_metrics(metric)
    check_args(roles, kinds, year_from, year_to, sample)
    cp = open_client(str(db) if db is not None else None)
    try:
        spec = _chart_for(kind, target, cp, roles=roles, kinds=kinds, year_from=year_from, year_to=year_to,
                          sample=sample, unit=unit, codirected=codirected, include_pilots=include_pilots,
                          metric=metric)
    finally:
        cp.close()
    charts.save(spec, output)
    stdout.print(f"wrote {output}")
    if kind in ("trend", "distribution"):
        warn_unlisted(db, sample)


@app.command("report")
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="report.html (or .md).")] = Path("report.html"),
    year_from: FromOption = None,
    year_to: ToOpt = None,
    sample: Annotated[str | None, typer.Option(
        "--sample", help="all; top:N = the N titles of each year with the most IMDb votes; list:FILE.",
        show_default=False)] = None,
    kinds: Annotated[str, typer.Option("--kind", help="Title kinds for the headline and trend.")] = "movie",
    unit: Annotated[str, typer.Option("--unit", help="credits, people or titles.")] = "people",
    roles: RolesOption = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="html (one self-contained file) or md (Markdown, charts as SVG files beside it); "
        "default from the suffix.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Write a shareable report: headline numbers, charts, best/worst seasons, published studies and the method.

    \b
    Examples:
      crewparity report -o report.html --db demo.duckdb
      crewparity report --kind movie,tv_series -o report.md --db demo.duckdb
    """
    from crewparity.report import build_report

    check_args(roles, kinds, year_from, year_to, sample or "all")
    path = build_report(db, output, year_from=year_from, year_to=year_to, sample=sample, fmt=fmt, kind=kinds,
                        unit=unit, roles=roles)
    stdout.print(f"report: {path.resolve()}")
    warn_unlisted(db, sample)
