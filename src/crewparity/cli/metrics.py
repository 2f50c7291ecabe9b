"""`crewparity share`, `crewparity distribution` and `crewparity compare`: thin skins over the Python API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from crewparity.cli.app import (
    DbOption,
    OutputOption,
    TableFormatOption,
    app,
    describe,
    emit,
    note,
    output_format,
    output_text,
    render,
    store_file,
)
from crewparity.metrics import unit_words
from crewparity.metrics.empty import reason_of, uncredited_roles
from crewparity.metrics.roles import small_group_threshold, study_choices
from crewparity.output import command_line, to_json_tables

RolesOption = Annotated[str | None, typer.Option(
    "--roles", help="Comma-separated roles (default the six key roles: director, writer, producer, "
    "executive_producer, editor, cinematographer; aliases in data/roles.toml).", show_default=False)]
KindOption = Annotated[str | None, typer.Option(
    "--kind", help="Comma-separated title kinds, e.g. movie or tv_series,tv_mini_series (episodes count for "
    "their series, in the year they aired). Default: every kind.", show_default=False)]
FromOption = Annotated[int | None, typer.Option("--from", help="First year (inclusive).", show_default=False)]
ToOption = Annotated[int | None, typer.Option("--to", help="Last year (inclusive).", show_default=False)]
SampleOption = Annotated[str, typer.Option(
    "--sample", help="all; top:N = the N titles of each year with the most IMDb votes; list:FILE = a file of "
    "title ids (IMDb tt..., TMDB tmdb:movie:N / tmdb:tv:N, a crew list's crew:title:...).")]
SeasonYearOption = Annotated[str, typer.Option(
    "--season-year", help="start or end: the calendar year a TV season such as 2016-17 (Boxed In, the DGA) is "
    "compared with, 2016 (start) or 2017 (end); --from/--to select by it. Studies of plain years (Celluloid "
    "Ceiling, USC) are unaffected.")]


def check_args(roles: str | None, kind: str | None, year_from: int | None, year_to: int | None,
               sample: str) -> None:
    """Validate the common options before opening the store, so a typo is named even without a store."""
    from crewparity.metrics.roles import parse_roles
    from crewparity.metrics.samples import check_years, parse_kinds, parse_sample

    parse_roles(roles)
    parse_kinds(kind)
    check_years(year_from, year_to)
    parse_sample(sample)


def unlisted_words(db: Path | None, sample: str | None) -> str | None:
    """How many ids of a ``list:FILE`` sample the store has no title of (and which), or None: they count for
    nothing, and a reader of "my 250 films" must know when the figures are over fewer."""
    from crewparity.metrics.samples import parse_sample, unlisted_warning

    if parse_sample(sample).form != "list":
        return None
    client = _open(db)
    try:
        return unlisted_warning(client.store, sample)
    finally:
        client.close()


def warn_unlisted(db: Path | None, sample: str | None, words: str | None = None) -> None:
    """Say :func:`unlisted_words` on stderr (``words``: already worked out)."""
    warning = words if words is not None else unlisted_words(db, sample)
    if warning:
        typer.echo(f"crewparity: warning: {warning}", err=True)


def _pct(v: float | None) -> str:
    return "" if v is None or v != v else f"{v:.1%}"


def _range(lo: float | None, hi: float | None) -> str:
    if lo is None or hi is None or lo != lo or hi != hi:
        return ""
    return f"{lo:.1%}-{hi:.1%}"


def _span(a: float | None, b: float | None) -> str:
    """Two bounds low-high whichever is which: on compare's no-woman rows unknowns counted as men give the higher
    share of titles with no woman, and "72.7%-68.2%" reads as a typo when quoted."""
    if a is None or b is None or a != a or b != b:
        return ""
    return _range(min(a, b), max(a, b))


#: the compare terminal table's one column for share_if_unknown_men / _women (low-high: see :func:`_span`)
COMPARE_BOUNDS = "if_unknown_low-high"


def share_display(table: pa.Table, group_cols: list[str]) -> pa.Table:
    """The share table for a terminal: the interval and the bounds as one column each (csv/json keep all)."""
    rows = table.to_pylist()
    cols: dict[str, list[object]] = {c: table[c].to_pylist() for c in group_cols}
    for c in ("women", "men", "nonbinary", "unknown", "total"):
        cols[c] = table[c].to_pylist()
    cols["share_known"] = [_pct(r["share_known"]) for r in rows]
    cols["share_expected"] = [_pct(r["share_expected"]) for r in rows]
    cols["ci_95"] = [_range(r["ci_low"], r["ci_high"]) for r in rows]
    cols["if_unknown_men-women"] = [_range(r["share_if_unknown_men"], r["share_if_unknown_women"]) for r in rows]
    cols["small"] = ["small" if r["small"] else "" for r in rows]
    return pa.table(cols)


def _open(db: Path | None):  # type: ignore[no-untyped-def]
    from crewparity import open as open_client

    return open_client(str(db) if db is not None else None)


@app.command("share")
def share(
    roles: RolesOption = None,
    by: Annotated[str, typer.Option(
        "--by", help="Group by year, decade, genre, kind, title, role or none; combine with commas (year,genre).")
    ] = "year",
    kind: KindOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    sample: SampleOption = "all",
    unit: Annotated[str, typer.Option(
        "--unit", help="credits (each person-role-title), people (distinct people per group) or titles "
        "(a title counts once: has a woman or not).")] = "people",
    fmt: TableFormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Women's share per group, with every count, the estimate using name probabilities and its 95% interval.

    \b
    Examples:
      crewparity share --by role --db demo.duckdb
      crewparity share --roles director --by decade --unit titles --db demo.duckdb
      crewparity share --kind movie --by role --from 2000 -o shares.csv --db demo.duckdb
    """
    from crewparity.metrics.share import check_unit, group_columns, parse_by

    fmt = output_format(fmt, output)
    check_args(roles, kind, year_from, year_to, sample)
    check_unit(unit)
    group_cols = group_columns(parse_by(by))
    client = _open(db)
    try:
        table = client.share(roles=roles, by=by, kinds=kind, year_from=year_from, year_to=year_to, sample=sample,
                             unit=unit)
        empty = reason_of(table)
    finally:
        client.close()
    caption = command_line(
        "share", ("--roles", roles), ("--by", by if by != "year" else None), ("--kind", kind),
        ("--from", year_from), ("--to", year_to), ("--sample", sample if sample != "all" else None),
        ("--unit", unit if unit != "people" else None), ("--db", db))
    caption += ("\nshare_expected and ci use recorded genders plus first-name probabilities (inferred); "
                f"small = fewer than {small_group_threshold()} counted: read with care")
    if unit in unit_words.COUNTS:
        caption += f"; {unit_words.COUNTS[unit]}"
    if "decade" in group_cols and table.num_rows and (cut := cut_decades(
            table.column("decade").to_pylist(), year_from, year_to)):
        caption += f"; {cut}"
    if fmt == "table":
        caption += "; csv/json/parquet add share_if_unknown_men/_women, ci_low/ci_high and inferred as columns"
    # a file passed on has no stderr: a "top:250" sample of 40 titles says so in it, and so do listed ids the
    # store has no title of
    short = _short_top(db, sample, kind, year_from, year_to)[0] if table.num_rows else None
    unlisted = unlisted_words(db, sample)
    if output is not None:
        caption += "".join(f"\n{w[:1].upper()}{w[1:]}." for w in (short, unlisted) if w)
    if fmt == "table":
        table = share_display(table, group_cols)
    heading = unit_words.share_title(unit)
    emit(table, fmt, title=f"{heading} (unit: {unit})", caption=caption,
         output=output, empty=empty,
         store=store_file(db))
    warn_unlisted(db, sample, unlisted)
    if "role" in group_cols and table.num_rows:
        _note_absent_roles(roles, set(table["role"].to_pylist()))
    if short:
        note(short)


def cut_decades(decades: list[object], year_from: int | None, year_to: int | None) -> str | None:
    """Which of the decades shown ``--from``/``--to`` cut, and to which years: a row "1990" over 1995-1999 only
    reads as the whole decade beside the whole ones (``--by decade --from 1995 --to 2012``), or None."""
    cut = []
    for decade in sorted({int(d) for d in decades if isinstance(d, int)}):
        lo = max(decade, year_from) if year_from is not None else decade
        hi = min(decade + 9, year_to) if year_to is not None else decade + 9
        if (lo, hi) != (decade, decade + 9):
            cut.append(f"{decade} counts {lo}-{hi} only" if lo != hi else f"{decade} counts {lo} only")
    if not cut:
        return None
    return f"decade{'s' if len(cut) > 1 else ''} cut by --from/--to: {', '.join(cut)}"


def _short_top(db: Path | None, sample: str | None, kind: str | None, year_from: int | None,
               year_to: int | None) -> tuple[str | None, int]:
    """In which years a ``top:N`` sample holds fewer than N titles (the store has fewer with votes), or None, and
    in how many (:func:`crewparity.metrics.samples.short_top`): a table headed "top 250" over 40 films must say so,
    in its caption, on stderr and in a file it is written to. Only a top:N sample can be short: any other opens no
    store (each open of a full-scale store costs 25-100 ms)."""
    from crewparity.metrics.samples import parse_kinds, parse_sample, short_top

    if parse_sample(sample).form != "top":
        return None, 0
    client = _open(db)
    try:
        return short_top(client.store, sample, parse_kinds(kind), year_from, year_to)
    finally:
        client.close()


def _note_absent_roles(roles: str | None, present: set[object]) -> None:
    """Say which of the roles asked for have no row: a group with nobody in it has no row, and a reader of "the
    six key roles" who sees five should not have to guess whether the sixth was left out or empty."""
    from crewparity.metrics.empty import absent_roles

    said = absent_roles(roles, present)
    if said:
        note(said)


#: what each part of ``distribution`` counts, under its table and in an export's description
DISTRIBUTION_NOTES = {
    "buckets": "women_per_title: the distinct women credited in the roles (an episode counts for its series), over "
               "the titles with a credit in at least one of them; titles_with_unknown: the bucket's titles where "
               "someone in the roles has an unknown gender (who could be a woman); no_credit: the titles without "
               "any credit in the roles, in no bucket (not 0: no credit is missing data, not no woman) and not in "
               "share_of_titles",
    "roles": "share_no_woman = no_woman / titles_with_role: of the titles with a credit in the role, those where no "
             "one in it is known to be a woman; no_credit = titles - titles_with_role: the titles without a credit "
             "in the role, not counted as having no woman (as compare counts them); uncertain: of the no_woman "
             "titles, those where someone in the role has an unknown gender",
}


def distribution_titles_words(sample: str | None, short_years: int = 0, where: str = "see the note") -> str:
    """Which titles ``distribution``'s sample holds for ``sample``: the ``all`` sample is the titles with a credit
    in the roles (a store holds many titles without any), a top:N or list sample every title of it, those without a
    credit in the roles counted in ``no_credit`` (docs/metrics.md). ``short_years``: in how many years a top:N
    sample holds fewer than N (the store has no more with votes), said here, since "the 250 titles of each year"
    over a year of 40 is untrue on its own; ``where``: where those years are named."""
    from crewparity.metrics.samples import parse_sample

    smp = parse_sample(sample)
    if smp.form == "top":
        fewer = (f" (fewer in {short_years} year{'s' if short_years != 1 else ''}: {where})" if short_years
                 else "")
        return (f"titles: the {smp.n} titles of each year with the most IMDb votes{fewer}, those without a credit in "
                "the roles counted in no_credit")
    if smp.form == "list":
        return f"titles: those listed in {smp.path} that are in the store, those without a credit in the roles " \
               "counted in no_credit"
    return "titles: every title with at least one credit in the roles"


@app.command("distribution")
def distribution(
    roles: RolesOption = None,
    kind: KindOption = None,
    year_from: FromOption = None,
    year_to: ToOption = None,
    sample: SampleOption = "all",
    by: Annotated[str, typer.Option("--by", help="none (one distribution) or year (one per year).")] = "none",
    part: Annotated[str, typer.Option(
        "--part", help="buckets (titles by number of women: 0, 1, 2, 3-5, 6-9, 10+), roles (share of titles with "
        "no woman in each role) or both (a table each, or with --format json one object holding both; csv and "
        "parquet hold one part).")] = "both",
    fmt: TableFormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """How many women worked on each title in the key roles, and the share of titles with no woman per role.

    \b
    Examples:
      crewparity distribution --db demo.duckdb
      crewparity distribution --roles director,writer --kind movie --part roles --db demo.duckdb
    """
    from crewparity.metrics.distribution import check_by, check_part

    check_part(part)
    check_by(by)   # (before the store is opened, as every other option)
    chosen = output_format(fmt, output)
    check_part(part, chosen, f"--format {chosen}" if fmt is not None or output is None
               else f"--output {output} ({chosen})")
    fmt = chosen
    check_args(roles, kind, year_from, year_to, sample)
    client = _open(db)
    try:
        kwargs = dict(roles=roles, kinds=kind, year_from=year_from, year_to=year_to, sample=sample, by=by)
        buckets = client.distribution(**kwargs) if part in ("buckets", "both") else None  # type: ignore[arg-type]
        no_woman = client.no_woman(**kwargs) if part in ("roles", "both") else None  # type: ignore[arg-type]
        empty = reason_of(buckets, no_woman) if all(t is None or t.num_rows == 0 for t in (buckets, no_woman)) else None
    finally:
        client.close()
    common = (("--roles", roles), ("--kind", kind), ("--from", year_from), ("--to", year_to),
              ("--sample", sample if sample != "all" else None), ("--by", by if by != "none" else None))
    shown = []
    # titles "of the top 250" over the 129 a year holds are counted over 129: said in the caption, and named as
    # share names them, on stderr and in a file written (which has no stderr)
    short, short_years = _short_top(db, sample, kind, year_from, year_to) if empty is None else (None, 0)
    counted = distribution_titles_words(sample, short_years if short else 0,
                                        "named next" if output is not None else "see the note")
    unlisted = unlisted_words(db, sample)
    # a role no title has a credit in reads "100% of titles with no woman", which is IMDb's coverage, not hiring:
    # its blank share_no_woman is said on stderr and, in a file written (which has no stderr), beside the others
    uncredited = uncredited_roles(no_woman)
    if output is not None:
        counted += "".join(f"; {w}" for w in (short, unlisted) if w)
    if buckets is not None:
        shown.append((buckets, "Titles by number of women in the roles",
                      command_line("distribution", *common, ("--part", "buckets"), ("--db", db))
                      + f"\n{counted}; {DISTRIBUTION_NOTES['buckets']}"))
    if no_woman is not None:
        shown.append((no_woman, "Titles with no woman in each role (no woman known; uncertain = someone unknown)",
                      command_line("distribution", *common, ("--part", "roles"), ("--db", db))
                      + f"\n{counted}; {DISTRIBUTION_NOTES['roles']}"
                      + (f"; {uncredited}" if uncredited and output is not None else "")))
    if fmt == "json" and len(shown) > 1:
        # one JSON document with both tables, each as --part writes it alone
        parts = {"buckets": shown[0][0], "roles": shown[1][0]}
        text = to_json_tables(parts) + "\n"
        if output is not None:
            both = (command_line("distribution", *common, ("--db", db))
                    + f"\n{counted}; buckets: {DISTRIBUTION_NOTES['buckets']}; roles: {DISTRIBUTION_NOTES['roles']}"
                    + (f"; {uncredited}" if uncredited else ""))
            sidecar = describe(output, parts, "json", title=" / ".join(title for _, title, _ in shown),
                               caption=both,
                               store=store_file(db), part_titles={key: title for key, (_, title, _)
                                                                   in zip(parts, shown, strict=True)})
            output_text(output, text, sum(t.num_rows for t, _, _ in shown), sidecar)
        else:
            sys.stdout.write(text)
    elif output is not None and len(shown) > 1:
        # both tables in the one file (emitting each would leave only the second)
        output_text(output, "\n".join(render(t, fmt, title=title, caption=caption) for t, title, caption in shown),
                    sum(t.num_rows for t, _, _ in shown))
    else:
        for t, title, caption in shown:
            emit(t, fmt, title=title, caption=caption, output=output, store=store_file(db))
    warn_unlisted(db, sample, unlisted)
    if empty is not None:
        note(empty)
    elif short:
        note(short)
    if uncredited:
        note(uncredited)


#: the compare table's caption: what each estimate of ours is (docs/metrics.md says the same at length)
COMPARE_ESTIMATES = {
    "share_expected": "share_expected = women's estimated share of the counted {counted} with its "
                      "95% interval, unknown genders counted as missing at random",
    "no_known_woman": "no_known_woman = share of the counted titles (those with a credit in the role) where no one "
                      "in the role is known to be a woman; no_credit = the titles of our sample without a credit in "
                      "the role, in no figure (distribution --part roles counts the same)",
}


def compare_caption(table: pa.Table, key: str, season_year: str = "start", *, exported: bool = False) -> str:
    """What the compare table's figures are: the sign of the difference, each estimate shown, the bounds, the
    sample and the caveat of the study as a whole. ``exported``: name the bounds as the exported table's columns
    (``share_if_unknown_men`` / ``_women``) rather than the terminal table's one column."""
    from crewparity.metrics.compare import small_note, small_words, study_caveat, titles_words
    from crewparity.metrics.roles import study as find_study

    st = find_study(key)
    source = table["published_source"][0].as_py()
    shown = [e for e in COMPARE_ESTIMATES if e in set(table["estimate"].to_pylist())]
    # (the DGA's unit is the episode; "people (the DGA: episodes)" named the DGA under every study's table)
    counted = "episodes" if st.unit == "episodes" else "people"
    # the table marks a small row's difference (the narrow terminal may fold the small column away from it);
    # an export has the column alone
    marked = not exported and any(r["small"] and r["difference"] is not None
                                  for r in table.select(["small", "difference"]).to_pylist())
    small = small_note() if marked else small_words() + "."
    bounds = ("share_if_unknown_men / share_if_unknown_women: our figure if every person of unknown gender were a "
              "man / a woman (the name model's calls as they are)")
    if not exported:
        # one cell holds both, lower first: which end is which differs by row
        bounds = (f"{COMPARE_BOUNDS}: our figure if every person of unknown gender were a man, and if a woman (the "
                  "name model's calls as they are), the lower first"
                  + ("; on a share_expected row the lower is all men, on a no_known_woman row all women (an unknown "
                     "counted as a man leaves the title without a woman)" if "no_known_woman" in shown else "")
                  + "; csv/json/parquet give each as share_if_unknown_men and share_if_unknown_women")
    return (f"published = their figure ({source}); crewparity = ours; difference = crewparity minus published, in "
            f"percentage points.\nestimate: {'; '.join(COMPARE_ESTIMATES[e].format(counted=counted) for e in shown)}. "
            f"{bounds}. {titles_words(st)}.\n{small}\n{study_caveat(st, set(table['metric'].to_pylist()), season_year)}")


def short_samples(table: pa.Table, key: str) -> str | None:
    """One line naming the years where a ``top:N`` study's sample holds fewer than N titles (the store has fewer
    titles with votes), or None: those rows compare a smaller sample than the study's."""
    from crewparity.metrics.compare import short_sample_words

    return short_sample_words(table, key)


@app.command("compare")
def compare(
    study: Annotated[str, typer.Argument(help=f"{study_choices()}.")],
    year_from: FromOption = None,
    year_to: ToOption = None,
    season_year: SeasonYearOption = "start",
    fmt: TableFormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """A study's published figures (labelled as theirs) beside crewparity's for the closest sample it can form.

    \b
    Examples:
      crewparity compare dga --db demo.duckdb
      crewparity compare dga --from 2015 --to 2019 -o dga.csv --db demo.duckdb
    """
    from crewparity.metrics.compare import check_season_year, marked_difference, no_figures
    from crewparity.metrics.compare import command as compare_command
    from crewparity.metrics.roles import study as find_study
    from crewparity.metrics.samples import check_years

    key = find_study(study).key
    check_years(year_from, year_to)
    check_season_year(season_year)
    fmt = output_format(fmt, output)
    client = _open(db)
    try:
        table = client.compare(study, year_from=year_from, year_to=year_to, season_year=season_year)
    finally:
        client.close()
    empty = no_figures(key, season_year) if table.num_rows == 0 else None
    short = short_samples(table, key)
    if short:
        note(short)
    caption = compare_command(study, year_from, year_to, season_year, db)
    title = f"{study}: published figures (theirs) beside crewparity's estimate"
    if fmt == "table":
        rows = table.to_pylist()
        shown = pa.table({
            "period": table["period"], "role": table["role"], "metric": table["metric"],
            "published (theirs)": [_pct(r["published"]) for r in rows],
            "crewparity": [_pct(r["crewparity"]) for r in rows],
            # as report and dashboard, a small row's marked
            "difference": [marked_difference(r["difference"], r["small"]) for r in rows],
            "ci_95": [_range(r["ci_low"], r["ci_high"]) for r in rows],
            "counted": table["counted"],
            "titles": table["titles"],
            # (the no-woman rows: the titles of the sample without a credit in the role, in no figure)
            "no_credit": table["no_credit"],
            "small": ["small" if r["small"] else "" for r in rows],
            # (after the figures: a narrow terminal folds these into a later part)
            "estimate": table["estimate"],
            COMPARE_BOUNDS: [_span(r["share_if_unknown_men"], r["share_if_unknown_women"]) for r in rows],
        })
        if table.num_rows:
            caption += "\n" + compare_caption(table, key, season_year)
        emit(shown, fmt, title=title, caption=caption, output=output, empty=empty, store=store_file(db))
    else:
        # (a Parquet file keeps the title and notes in its metadata, as every other command's; csv and json on
        # stdout print the rows only)
        if table.num_rows:
            caption += "\n" + compare_caption(table, key, season_year, exported=True)
        emit(table, fmt, title=title, caption=caption, output=output, empty=empty, store=store_file(db))
