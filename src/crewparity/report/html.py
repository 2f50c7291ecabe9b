"""The shareable report: one self-contained HTML file (or Markdown) built from a store.

Why self-contained: a report is mailed, archived and opened years later, often offline. Every chart is an
inline SVG, the stylesheet is inlined, there is no script, no web font and no URL that a browser would fetch,
so opening it makes no request at all. The figures come from the same functions as the dashboard
(:mod:`crewparity.report.overview`, :mod:`crewparity.report.method`) and the CLI's metrics.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from crewparity.atomic import write_text_atomic
from crewparity.errors import ArgumentError
from crewparity.metrics.empty import NO_CREDITS, reason_of
from crewparity.output import check_output, command_line, format_cell, now_utc
from crewparity.report import charts
from crewparity.report.method import MethodData, method_data
from crewparity.report.overview import Overview, overview_data, sentence

HERE = Path(__file__).resolve().parent
WEB_TEMPLATES = HERE.parent / "web" / "templates"
STYLESHEET = HERE.parent / "web" / "static" / "style.css"
REPORT_FORMATS = ("html", "md")
RANK_LIMIT = 10
#: the year-by-year table's columns, one list for both formats so the Markdown report cannot show fewer than
#: the HTML one (it once left out the bounds and the ``small`` flag)
TREND_COLUMNS = ("year", "role", "women", "men", "nonbinary", "unknown", "total", "share_known", "share_expected",
                 "ci_low", "ci_high", "share_if_unknown_men", "share_if_unknown_women", "small")
TREND_NUMERIC = tuple(c for c in TREND_COLUMNS if c not in ("year", "role", "small"))


@dataclass
class Section:
    """A titled table (with an optional chart) in the report."""

    key: str
    title: str
    table: pa.Table | None = None
    columns: list[str] = field(default_factory=list)
    chart: Any = None
    note: str = ""
    #: why the table has no row, in the CLI's words (:func:`crewparity.metrics.empty.reason_of`); "" when it has
    empty: str = ""


@dataclass
class ReportData:
    generated: str
    store: str
    command: str
    overview: Overview
    distribution: Section | None
    best: Section | None
    worst: Section | None
    comparisons: list[Section]
    method: MethodData
    version: str
    #: the line under every chart: which data, loaded when, by which version (:func:`charts.source_line`), so a
    #: chart saved or copied out of the report still says where it came from; None when the client has no store
    source: str | None = None
    #: why ``command`` cannot be rerun as it stands (a list read from standard input or a pipe:
    #: :func:`crewparity.output.list_rerun_note`), said under it; "" when it can
    command_note: str = ""


#: what the distribution's table counts (the CLI's note under `crewparity distribution --part buckets` says the same)
DISTRIBUTION_NOTE = ("women_per_title: the distinct women credited in the roles, over the titles of the sample with a "
                     "credit in at least one of them (0: credited, no one known to be a woman); share_of_titles is "
                     "of those titles. no_credit: the sample's titles without any credit in the roles, in no bucket: "
                     "a missing credit is missing data, not a title without a woman.")
#: the output suffixes that choose the report's format without --format (none at all: html)
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", "": "html"}


def check_report_output(output: str | os.PathLike[str], fmt: str | None = None, *, format_option: bool = True) -> str:
    """The report's format for ``output``, after refusing (before any work) an output that cannot be written (a
    folder, a missing folder) or whose suffix is no report's. ``format_option``: the command has --format (``crewparity
    demo``, which writes its report after building the store, has not, and checks here before it builds)."""
    out = Path(output)
    fmt = _format_for(out, fmt, format_option=format_option)
    check_output(out, "the report output", "report.html")
    return fmt


def _format_for(output: Path, fmt: str | None, *, format_option: bool = True) -> str:
    if fmt is None:
        # Why: `-o report.pdf` (or .docx, .csv) wrote HTML under that name, silently; a file its suffix's program
        # cannot open, found out only when it is sent. Another suffix is refused unless --format says what to write.
        if (fmt := REPORT_SUFFIXES.get(output.suffix.lower())) is None:
            raise ArgumentError(f"{output.name}: the report is HTML (.html) or Markdown (.md), not "
                                f"{output.suffix}; give -o report.html or report.md"
                                + (", or --format html|md to write that format under this name" if format_option
                                   else ""))
    if fmt not in REPORT_FORMATS:
        raise ArgumentError(f"unknown report --format {fmt!r}; allowed: {', '.join(REPORT_FORMATS)}")
    return fmt


def _command_line(db: Path, output: Path, fmt: str, opts: dict[str, Any]) -> tuple[str, str]:
    """The line that writes this report again, and what keeps it from doing so ("" when nothing does): made by
    :func:`crewparity.output.command_line`, as every table's line is, so a ``--sample list:/dev/stdin`` (or any
    pipe) says under it that the list is gone once read, as ``share`` and ``distribution`` say it."""
    flags = {"year_from": "--from", "year_to": "--to", "sample": "--sample", "kind": "--kind", "unit": "--unit",
             "roles": "--roles"}
    line, _, note = command_line("report", ("-o", output), *((flag, opts.get(key)) for key, flag in flags.items()),
                                 ("--format", fmt if fmt != "html" else None), ("--db", db)).partition("\n")
    return line, note


def collect(cp: Any, *, year_from: int | None = None, year_to: int | None = None, sample: str | None = None,
            kind: str | None = "movie", unit: str = "people", roles: str | None = None, db: Path,
            output: Path, fmt: str = "html") -> ReportData:
    """Compute every figure of the report from one open client."""
    from crewparity import __version__

    opts = {"year_from": year_from, "year_to": year_to, "sample": sample, "kind": kind, "unit": unit, "roles": roles}
    store = getattr(cp, "store", None)
    source = charts.source_line(store) if store is not None else None
    ov = overview_data(cp, roles=roles, kind=kind, year_from=year_from, year_to=year_to, sample=sample, unit=unit)
    # "the 250 titles of each year with the most IMDb votes" over a year of 16 says so where it is said, and under
    # the charts drawn from that sample (the CLI notes it; the charts and the report, read alone, must too)
    short = None
    if store is not None:
        from crewparity.metrics.samples import parse_kinds, short_top_words

        short = sentence(short_top_words(store, sample, parse_kinds(kind), year_from, year_to)) or None
    if short:
        ov = replace(ov, description=f"{ov.description} {short}")
    distribution = None
    if hasattr(cp, "distribution"):
        kwargs = {"roles": roles or "director", "kinds": kind, "year_from": year_from, "year_to": year_to,
                  "sample": sample}
        table = cp.distribution(**{k: v for k, v in kwargs.items() if v is not None})
        from crewparity.metrics.roles import parse_roles

        chosen = parse_roles(roles or "director")  # aliases and spaces as the query reads them
        subtitle: str | list[str] = charts.describe(
            roles=chosen, kinds=kind, sample=sample, year_from=year_from, year_to=year_to, unit="titles",
            credited=True, years=charts.distribution_years(store, roles=chosen, kinds=kind, year_from=year_from,
                                                           year_to=year_to, sample=sample)
            if store is not None and table.num_rows else ())
        # a title of the sample without a credit in the roles is in no bucket (not 0 women): said under the chart
        # and the table, as the CLI's note says it
        uncredited = charts.no_credit_words(table)
        if short or uncredited:
            subtitle = [str(subtitle), *(w for w in (short, uncredited) if w)]
        # no title: no chart (one reading "no data for this selection"), and the table's row says why
        empty = "" if table.num_rows else reason_of(table) or NO_CREDITS
        # the roles in words, as the chart distribution's title and the rest of the report say them, not as typed
        title = charts.distribution_title(chosen)
        distribution = Section("distribution", title, table, table.column_names, None if empty else
                               charts.distribution_chart(table, title=title, subtitle=subtitle, source=source),
                               empty=empty,
                               note="" if empty else DISTRIBUTION_NOTE + (f" {uncredited}" if uncredited else ""))
    best = worst = None
    if hasattr(cp, "series_rank"):
        from crewparity.metrics.empty import no_ranked_seasons
        from crewparity.metrics.episodes import (
            excluded_series_words,
            left_out_excluded,
            left_out_for_unknowns,
            left_out_unnumbered,
            listed_before_limit,
        )
        from crewparity.metrics.roles import dga_best_share, dga_min_episodes

        shortest, share = dga_min_episodes(), f"{dga_best_share():.0%}"
        b = cp.series_rank("best", year_from=year_from, year_to=year_to, min_episodes=shortest, limit=RANK_LIMIT)
        w = cp.series_rank("worst", year_from=year_from, year_to=year_to, min_episodes=shortest, limit=RANK_LIMIT)
        note = (f"Seasons of at least {shortest} episodes of scripted series, as the DGA and compare dga count "
                "them (pilots and specials, season 0, left out); a season "
                f"belongs to the year its first episode aired; at most {RANK_LIMIT} rows each. A season is listed "
                "only when the episodes whose director's gender is unknown, or that have no director credit, cannot "
                "change that: best counts each of them as directed by a man, worst needs every episode credited to "
                "directors of known gender.")
        n_best, n_worst = left_out_for_unknowns(b) or 0, left_out_for_unknowns(w) or 0
        if n_unnumbered := left_out_unnumbered(b) or 0:
            note += (f" Episodes without a season number are no season and are not ranked ({n_unnumbered:,} "
                     f"series ha{'ve' if n_unnumbered != 1 else 's'} some).")
        years = "".join(f" {flag} {year}" for flag, year in (("--from", year_from), ("--to", year_to))
                        if year is not None)

        def lists_them(rank: str, n: int) -> str:
            return f" crewparity series --rank {rank} --undecided{years} lists {'them' if n != 1 else 'it'}."

        if n_best:
            note += (f" {_more_seasons(n_best)} would reach {share} if their directors of unknown gender (or their "
                     "episodes without a director credit) were women; "
                     f"{'they are' if n_best != 1 else 'it is'} left out." + lists_them("best", n_best))
        worst_note = (f"{_more_seasons(n_worst)} with no episode known to be directed by a woman, but some by a "
                      f"director of unknown gender or without a director credit, who could be one, "
                      f"{'are' if n_worst != 1 else 'is'} left out."
                      + lists_them("worst", n_worst) if n_worst else "")

        def excluded(rank: str, n: int) -> str:
            """The seasons of unscripted and adult series left out, as compare dga leaves them out."""
            if not n:
                return ""
            return (f" {_more_seasons(n)} of {excluded_series_words()} {'are' if n != 1 else 'is'} left out, as "
                    f"compare dga leaves {'them' if n != 1 else 'it'} out (the DGA counts scripted series only); "
                    f"crewparity series --rank {rank} --all-series{years} keeps {'them' if n != 1 else 'it'}.")

        def cut(rank: str, table: Any) -> str:
            """Whether the list has more seasons than the rows shown, and how many ("at most 10 rows" alone did
            not say whether a list of 10 was all of it)."""
            n = listed_before_limit(table) or 0
            if n <= table.num_rows:
                return ""
            return (f" The {rank} list has {n:,} seasons; the first {table.num_rows:,} are shown (crewparity series "
                    f"--rank {rank}{years} lists them all).")

        note += cut("best", b) + excluded("best", left_out_excluded(b) or 0)
        worst_note = " ".join(part.strip() for part in (cut("worst", w), worst_note,
                                                          excluded("worst", left_out_excluded(w) or 0)) if part)
        best = Section("best", f"Best series-seasons: women directed at least {share} of the episodes", b,
                       b.column_names, note=note, empty="" if b.num_rows else no_ranked_seasons("best"))
        worst = Section("worst", "Worst series-seasons: no episode directed by a woman", w, w.column_names,
                        note=worst_note, empty="" if w.num_rows else no_ranked_seasons("worst"))
    comparisons: list[Section] = []
    if hasattr(cp, "compare"):
        from crewparity.metrics.compare import compare_reading, exclusion_words, short_sample_words
        from crewparity.metrics.roles import studies

        for key, study in studies().items():
            table = cp.compare(key, year_from=year_from, year_to=year_to)  # the report's years, as every section
            if table.num_rows == 0:
                continue
            shown, small = _marked_compare(table)
            # a top:N sample the store cannot fill is said under the table as under its chart (and on the CLI's
            # stderr): "37 titles" compared with a study's 250 is another sample, and the table is quoted alone
            short_sample = f"{w}." if (w := short_sample_words(table, key)) else ""  # "crewparity's sample ...", as cased
            comparisons.append(Section(key, study.name, shown, table.column_names,
                                       charts.compare_chart(table, title=f"{study.name}: ours beside theirs",
                                                            source=source, note=short_sample or None),
                                       note=f"Their sample: {study.their_sample}. Ours: {', '.join(study.kinds)}, "
                                            f"sample {study.sample}, unit {study.unit}"
                                            + (f", leaving out {left}" if (left := exclusion_words(study)) else "")
                                            + (f". {short_sample}" if short_sample else ".")
                                            + f" {compare_reading(study)}" + (f" {small}" if small else "")))
    command, command_note = _command_line(db, output, fmt, opts)
    return ReportData(
        generated=now_utc().strftime("%Y-%m-%d %H:%M UTC"),
        store=str(db), command=command, overview=ov, distribution=distribution,
        best=best, worst=worst, comparisons=comparisons, method=method_data(cp), version=__version__, source=source,
        command_note=command_note)


def _marked_compare(table: pa.Table) -> tuple[pa.Table, str | None]:
    """A comparison as the report shows it: a ``small`` row's difference marked as the CLI's table and the
    dashboard mark it (text, "+69.0 pts *"), and the note that says what the mark means, or None when no
    difference is marked."""
    from crewparity.metrics.compare import marked_difference, small_note

    rows = table.select(["difference", "small"]).to_pylist()
    if not any(r["small"] and r["difference"] is not None for r in rows):
        return table, None
    marked = pa.array([marked_difference(r["difference"], r["small"]) for r in rows], type=pa.string())
    return table.set_column(table.schema.get_field_index("difference"), "difference", marked), small_note()


def _more_seasons(n: int) -> str:
    return f"{n:,} more season{'s' if n != 1 else ''}"


def _environment() -> Environment:
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(HERE / "templates")),
                                           FileSystemLoader(str(WEB_TEMPLATES))]),
                      autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
                      trim_blocks=False, lstrip_blocks=False)
    env.filters["cell"] = lambda v, c="": format_cell(v, c)
    env.filters["md"] = _md_cell
    env.filters["sentence"] = sentence
    env.filters["urlencode_params"] = lambda params, **extra: ""  # the report has no download links
    env.globals["svg"] = charts.inline_svg
    return env


def _md_cell(v: Any, column: str = "") -> str:
    """A Markdown table cell: formatted, pipes and newlines escaped, markup characters neutralised."""
    text = format_cell(v, column)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _md_table(table: pa.Table, columns: Sequence[str], numeric: Sequence[str] | None = None,
              empty: str | None = None) -> str:
    """A Markdown table of ``columns``, cells as :func:`_md_cell` formats them, numbers right-aligned (the
    ``numeric`` columns, else those of a numeric type); a sentence when there is no row (``empty``: why)."""
    if table.num_rows == 0:
        return empty or "No rows for this selection."  # as the HTML table says, rather than a header over nothing
    if numeric is None:
        numeric = [f.name for f in table.schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "".join("---:|" if c in numeric else "---|" for c in columns)]
    lines += ["| " + " | ".join(_md_cell(row.get(c), c) for c in columns) + " |" for row in table.to_pylist()]
    return "\n".join(lines)


def trend_chart(data: ReportData) -> Any:
    """The report's trend chart with the selection as its subtitle and the data's source under it."""
    ov = data.overview
    return charts.trend_chart(ov.trend, title=ov.title, subtitle=ov.description, source=data.source, unit=ov.unit)


def render_html(data: ReportData) -> str:
    env = _environment()
    css = STYLESHEET.read_text(encoding="utf-8")
    trend_svg = charts.inline_svg(trend_chart(data)) if data.overview.draws_trend else ""
    return env.get_template("report.html").render(r=data, css=css, method=data.method, static=True, root="",
                                                  trend_svg=trend_svg, trend_columns=list(TREND_COLUMNS),
                                                  trend_numeric=TREND_NUMERIC)


def render_markdown(data: ReportData, chart_dir: Path, link_prefix: str) -> str:
    """Markdown with the charts written as SVG files beside it (Markdown cannot hold them inline portably)."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=False, keep_trailing_newline=True)
    env.filters["md"] = _md_cell
    env.filters["cell"] = lambda v, c="": format_cell(v, c)
    env.filters["sentence"] = sentence
    env.globals["md_table"] = _md_table
    chart_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}

    def put(key: str, chart: Any) -> None:
        if chart is None:
            return
        name = f"{key}.svg"
        (chart_dir / name).write_text(charts.render_svg(chart), encoding="utf-8")
        files[key] = f"{link_prefix}/{name}"

    if data.overview.draws_trend:  # else the reason is said in its place, as in the HTML report
        put("trend", trend_chart(data))
    if data.distribution is not None:
        put("distribution", data.distribution.chart)
    for s in data.comparisons:
        put(f"compare-{s.key}", s.chart)
    return env.get_template("report.md").render(r=data, method=data.method, charts=files,
                                                trend_columns=TREND_COLUMNS, trend_numeric=TREND_NUMERIC)


def build_report(db: str | os.PathLike[str] | None, output: str | os.PathLike[str], *,
                 year_from: int | None = None, year_to: int | None = None, sample: str | None = None,
                 fmt: str | None = None, kind: str | None = "movie", unit: str = "people",
                 roles: str | None = None) -> Path:
    """Write the report for the store ``db`` to ``output`` (HTML, or Markdown for .md / ``fmt="md"``).

    Returns the path written. The write is atomic (temporary file then rename) so a failed run never leaves
    half a report where a good one was.
    """
    from crewparity import open as open_client
    from crewparity.store import default_path

    out = Path(output)
    fmt = check_report_output(out, fmt)
    db_path = default_path(db)
    cp = open_client(str(db_path))
    try:
        data = collect(cp, year_from=year_from, year_to=year_to, sample=sample, kind=kind, unit=unit, roles=roles,
                       db=db_path, output=out, fmt=fmt)
    finally:
        cp.close()
    if fmt == "html":
        text = render_html(data)
    else:
        chart_dir = out.with_name(out.stem + "_charts")
        try:
            text = render_markdown(data, chart_dir, chart_dir.name)
        except OSError as exc:
            raise ArgumentError(f"cannot write the report's charts ({exc.strerror or exc})", path=chart_dir) from None
    try:
        write_text_atomic(out, text)
    except OSError as exc:   # (a folder not writable, a full disk: one line, as a table's --output says it)
        raise ArgumentError(f"cannot write the report ({exc.strerror or exc})", path=out) from None
    return out
