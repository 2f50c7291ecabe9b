"""`crewparity chart KIND ...` (one chart as SVG/PNG) and `crewparity report` (the shareable HTML/Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crewparity.cli.app import DbOption, app, stderr, stdout
from crewparity.cli.metrics import FromOption, KindOption, RolesOption, SampleOption, check_args, warn_unlisted

CHART_HELP = ("trend (share per year and role, 95% band), compare (ours beside a study's published figures), "
              "seasons (a series' episodes by director gender), distribution (women per title).")
ToOpt = Annotated[int | None, typer.Option("--to", help="Last year (inclusive).", show_default=False)]


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
    from crewparity.report.chart import CHART_OPTIONS, write_chart

    # given on the command line, even at its default value (typer ships its own click: compare by name)
    given = [name for name in CHART_OPTIONS
             if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"]
    write_chart(db, kind, target, output, given=given, say=stderr.print, roles=roles, kinds=kinds,
                year_from=year_from, year_to=year_to, sample=sample, unit=unit, metric=metric, codirected=codirected,
                include_pilots=include_pilots)
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
