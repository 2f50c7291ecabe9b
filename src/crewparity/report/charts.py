"""Charts as Altair specifications, rendered offline to SVG or PNG by vl-convert.

Why this shape: Altair writes a Vega-Lite specification, and vl-convert renders it with an embedded
Vega engine (no browser, no CDN, no network). The report inlines the SVG and the dashboard serves it,
so no chart ever needs JavaScript in the reader's browser.

Every function takes a :class:`pyarrow.Table` (or anything with ``to_pylist``/a list of dicts) with the
column names the metrics layer returns and gives back an ``alt.Chart`` (or a layered/concatenated chart).
Colours come from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies), one
fixed colour per role (:data:`ROLE_COLOURS`) in every chart; people of unknown gender are always drawn, in
their own grey, never dropped. Every chart takes a ``subtitle`` (roles, kind, sample, years, unit: see
:func:`describe`) and a ``source`` line (see :func:`source_line`) so that, saved as a file, it stands alone.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt

from crewparity.atomic import write_bytes_atomic
from crewparity.errors import ArgumentError
from crewparity.output import NO_SEASON, check_output

#: Okabe & Ito (2008), "Color Universal Design": safe for deuteranopia, protanopia and tritanopia.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
#: Gender colours: women and men far apart in hue and lightness; unknown a neutral grey of its own.
GENDER_COLOURS: dict[str, str] = {
    "women": "#D55E00",
    "men": "#0072B2",
    "nonbinary": "#009E73",
    "unknown": "#9E9E9E",
}
GENDER_ORDER: tuple[str, ...] = ("women", "men", "nonbinary", "unknown")
#: One colour per role, the same in every chart (a director is blue in the trend and in the comparison).
#: Why these: the Okabe-Ito hues without the two that vanish on paper or merge with a neighbour (sky blue
#: beside blue, pale yellow), plus black; all six key roles stay apart for the common colour-vision
#: deficiencies and in greyscale print. Roles beyond the six get the extra colours in turn.
ROLE_COLOURS: dict[str, str] = {
    "director": "#0072B2",            # blue
    "writer": "#E69F00",              # orange
    "producer": "#009E73",            # bluish green
    "executive_producer": "#CC79A7",  # reddish purple
    "editor": "#D55E00",              # vermillion
    "cinematographer": "#000000",     # black
    "creator": "#8C564B",             # brown
}
EXTRA_COLOURS: tuple[str, ...] = ("#8C564B", "#56B4E9", "#999933", "#882255", "#332288", "#44AA99")
#: Our figures and the published ones, in the comparison chart.
OURS_COLOUR = "#0072B2"
THEIRS_COLOUR = "#E69F00"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHART_KINDS: tuple[str, ...] = ("trend", "compare", "seasons", "distribution")
FORMATS: tuple[str, ...] = ("svg", "png")


Rows = list[dict[str, Any]]


def records(table: Any) -> Rows:
    """A pyarrow/pandas table or a list of dicts -> a list of plain dicts, NaN turned into None."""
    if table is None:
        return []
    if hasattr(table, "to_pylist"):
        rows = table.to_pylist()
    elif hasattr(table, "to_dict"):
        rows = table.to_dict(orient="records")
    else:
        rows = [dict(r) for r in table]
    out: Rows = []
    for row in rows:
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()})
    return out


def _columns(rows: Rows) -> set[str]:
    return set(rows[0]) if rows else set()


def _need(rows: Rows, columns: Iterable[str], chart: str) -> None:
    missing = [c for c in columns if rows and c not in rows[0]]
    if missing:
        raise ArgumentError(f"{chart} chart needs columns {', '.join(missing)}; got {', '.join(sorted(_columns(rows)))}")


def _base_config(chart: Any) -> Any:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12, gridColor="#e5e5e5")
        .configure_legend(labelFontSize=11, titleFontSize=12, orient="bottom", direction="horizontal")
        .configure_title(fontSize=14, anchor="start")
    )


NO_DATA = "no data for this selection"


def _empty(title: str, message: str | None = None, width: int = 480) -> Any:
    """A chart that says there is nothing to draw, and why, rather than an error or a blank image: ``message``
    wrapped to ``width`` (about 7.2 px a character at 13 px)."""
    lines = _wrap(message or NO_DATA, width, 7.2)
    return alt.Chart(alt.Data(values=[{"m": "\n".join(lines)}]), title=title, width=width,
                     height=max(60, 20 * len(lines) + 24)).mark_text(fontSize=13, color="#555555",
                                                                     lineBreak="\n").encode(text="m:N")


def _reason_of(table: Any) -> str | None:
    """The reason an empty metrics table carries (:func:`crewparity.metrics.empty.reason_of`), the line the CLI
    tables print; None for anything else."""
    if not hasattr(table, "schema") or not hasattr(table, "num_rows"):
        return None
    from crewparity.metrics.empty import reason_of

    return reason_of(table)


def _group_label(row: Mapping[str, Any], group_columns: Sequence[str]) -> str:
    parts = [str(row[c]) for c in group_columns if row.get(c) is not None]
    return " · ".join(parts) if parts else "all"


# ------------------------------------------------------------------------------------ words and lines
def _wrap(text: str, width_px: int, px_per_char: float = 5.8) -> list[str]:
    """``text`` in lines that fit ``width_px`` (about 5.8 px a character at 11 px, 8.2 bold at 14 px): Vega
    never wraps a title itself, and a line wider than the chart widens the image."""
    return textwrap.wrap(text, width=max(30, int(width_px / px_per_char)), break_on_hyphens=False) or [""]


def role_words(role: str, plural: bool = True) -> str:
    """``executive_producer`` -> "executive producers"; a comma list of roles -> "people in the key roles"."""
    if "," in role:
        return "people in the key roles" if plural else "key roles"
    word = role.replace("_", " ")
    return f"{word}s" if plural else word


def roles_words(roles: Sequence[str]) -> str:
    """["director", "writer"] -> "directors and writers"; more than three -> "the 6 roles" (the subtitle
    names them)."""
    if len(roles) > 3:
        from crewparity.metrics.roles import key_roles

        return "the six key roles" if tuple(roles) == key_roles() else f"the {len(roles)} roles"
    words = [role_words(r) for r in roles]
    if len(words) <= 1:
        return "".join(words) or "all roles"
    return ", ".join(words[:-1]) + " and " + words[-1]


def sample_words(sample: str | None) -> str:
    """``top:250`` -> "sample: top 250 titles of each year by IMDb votes"."""
    text = (sample or "all").strip()
    form, _, arg = text.partition(":")
    if form.lower() == "top":
        return f"sample: top {arg} titles of each year by IMDb votes"
    if form.lower() == "list":
        # a list read from standard input or a pipe has no file to name ("the titles listed in 63" for
        # list:<(...)): say where it came from (list_gone_words says it is gone)
        from crewparity.output import STDIN_NAMES, list_rerun_note

        if list_rerun_note(text) is not None:
            where = "standard input" if arg.strip() in STDIN_NAMES else f"a pipe ({arg.strip()})"
            return f"sample: the titles of a list read from {where}"
        return f"sample: the titles listed in {Path(arg).name}"
    return "sample: every title in the store"


def distribution_title(roles: Sequence[str]) -> str:
    """The distribution's title, roles in words: "How many women a title employs as directors and writers" (over
    more than three roles, "in the six key roles"), not the option as typed ("(director,writer)")."""
    return f"How many women a title employs {'in' if len(roles) > 3 else 'as'} {roles_words(roles)}"


def distribution_years(store: Any, *, roles: str | Sequence[str] | None, kinds: str | Sequence[str] | None,
                       year_from: int | None, year_to: int | None, sample: str | None) -> list[int]:
    """The years the titles of a distribution's selection cover, for :func:`years_words` when --from or --to is
    not given (the pooled table has no year: "years: all years" named none); [] when both are given. The same
    query as the distribution's, by year (a list sample is read once per process, so a pipe is not read again)."""
    if year_from is not None and year_to is not None:
        return []
    from crewparity.metrics.distribution import distribution

    table = distribution(store, roles=list(roles) if roles is not None and not isinstance(roles, str) else roles,
                         kinds=list(kinds) if kinds is not None and not isinstance(kinds, str) else kinds,
                         year_from=year_from, year_to=year_to, sample=sample or "all", by="year")
    if table.num_rows == 0 or "year" not in table.column_names:
        return []
    return sorted({int(y) for y in table.column("year").to_pylist() if y is not None})


def list_gone_words(sample: str | None) -> str | None:
    """For a chart over a ``list:FILE`` read from standard input or a pipe, the line under its title that says the
    list is gone once read and what to do, in :func:`crewparity.output.list_rerun_note`'s words (the note under a
    table's command line), said of the chart; None for any other sample. Why: a chart drawn from
    ``... | crewparity chart distribution --sample list:/dev/stdin`` named its sample "the titles listed in
    stdin", and nothing said that the titles behind it could not be drawn again."""
    from crewparity.output import list_rerun_note

    said = list_rerun_note(sample)
    if said is None:
        return None
    gone, _, _ = said.partition("; save it to a file")
    return f"{gone}; save it to a file and give --sample list:FILE to draw this chart again."


def years_words(year_from: int | None, year_to: int | None, years: Iterable[Any] = (), dash: str = "-") -> str:
    """The years asked for, else the years the data covers: with no --from/--to, "all years (1890-2025)", as the
    report's overview names them (a bare "all years" said nothing of which). ``dash``: "-" in a chart's subtitle,
    an en dash in the report's prose (its overview words the span with this function too, so the two cannot
    drift apart: the report said "2017–2017" where a chart said "2017")."""
    seen = sorted({int(y) for y in years if y is not None})
    lo = year_from if year_from is not None else (seen[0] if seen else None)
    hi = year_to if year_to is not None else (seen[-1] if seen else None)
    if lo is None and hi is None:
        return "all years"
    if year_from is None and year_to is None:
        return f"all years ({lo})" if lo == hi else f"all years ({lo}{dash}{hi})"
    if lo == hi:
        return str(lo)
    return f"{lo if lo is not None else '…'}{dash}{hi if hi is not None else '…'}"


UNIT_WORDS: dict[str, str] = {
    "people": "unit: people (a person counts once per year and role)",
    "credits": "unit: credits (a person counts once per title and role)",
    "titles": "unit: titles (a title counts once)",
    "episodes": "unit: episodes",
}


def _join(words: Sequence[str], conjunction: str) -> str:
    """["a", "b", "c"] -> "a, b and c" (or "a, b or c")."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def trend_title(roles: Sequence[str], unit: str | None) -> str:
    """The title of a trend chart of ``roles`` counted in ``unit`` (docs/metrics.md, ``--unit``).

    people: "Women's share of directors and writers"; credits: "Women's share of the director and writer
    credits"; titles: "Share of titles with at least one woman director or writer" (the titles unit counts a
    title once, as having a woman or not: it is no share of people). Over more than three roles, "in the six
    key roles" (the subtitle names them)."""
    many = len(roles) > 3 or not roles
    singular = [role_words(r, plural=False) for r in roles]
    if unit == "titles":
        who = f"in {roles_words(roles)}" if many else _join(singular, "or")
        return f"Share of titles with at least one woman {who}, year by year"
    if unit == "credits":
        what = f"credits in {roles_words(roles)}" if many else f"{_join(singular, 'and')} credits"
        return f"Women's share of the {what}, year by year"
    return f"Women's share of {'the people in ' if many and roles else ''}{roles_words(roles)}, year by year"


#: per unit: the trend's y axis, what its grey panel counts, what ``share_known`` is taken over (the tooltip)
TREND_AXIS: dict[str | None, str] = {
    None: "women's share (estimate)",
    "people": "women's share of the people (estimate)",
    "credits": "women's share of the credits (estimate)",
    "titles": "share of titles with a woman (estimate)",
}
TREND_UNKNOWN: dict[str | None, str] = {
    None: "share of those counted whose gender is unknown",
    "people": "share of those counted whose gender is unknown",
    "credits": "share of credits whose person's gender is unknown",
    "titles": "share of titles with no woman known and someone's gender unknown",
}
TREND_KNOWN: dict[str | None, str] = {
    None: "among known genders",
    "people": "among known genders",
    "credits": "among known genders",
    "titles": "among titles whose outcome is known",
}
#: why a titles chart has no 50% line (see :func:`trend_chart`)
NO_PARITY_TITLES = ("No parity line: a title counts once when any of its people in these roles is a woman, so with "
                    "as many women as men among the people this share is above 50% wherever a title has two or "
                    "more of them.")


def describe(*, roles: Sequence[str] | None = None, kinds: str | Sequence[str] | None = None,
             sample: str | None = None, year_from: int | None = None, year_to: int | None = None,
             years: Iterable[Any] = (), unit: str | None = None, credited: bool = False) -> str:
    """The subtitle that lets a chart stand alone: roles · kinds · sample · years · unit. ``credited``: the
    figure is over titles (a distribution), and the ``all`` sample is then the titles with a credit in the roles,
    not every title in the store (docs/metrics.md, ``crewparity distribution``)."""
    parts = []
    if roles:
        parts.append(f"roles: {', '.join(r.replace('_', ' ') for r in roles)}")
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    parts.append(f"kind: {', '.join(k.replace('_', ' ') for k in kinds)}" if kinds else "kind: every title kind")
    words = sample_words(sample)
    if credited and (sample or "all").strip().lower() == "all":
        words += " with a credit in these roles"
    parts.append(words)
    parts.append(f"years: {years_words(year_from, year_to, years)}")
    if unit:
        parts.append(UNIT_WORDS.get(unit, f"unit: {unit}"))
    return " · ".join(parts)


SOURCE_NAMES: dict[str, str] = {
    "imdb": "IMDb non-commercial datasets",
    "tmdb": "TMDB",
    "crewlist": "production crew lists",
    "wikidata": "Wikidata",
    "overrides": "curated corrections",
    "name_model": "a first-name model (nomquamgender)",
}
#: what each evidence source says about a gender, where it differs from the source's name
GENDER_SOURCE_NAMES: dict[str, str] = {
    "imdb": "IMDb actor/actress labels",
    "crewlist": "production crew lists (self-reported)",
}


def gender_sources(store: Any) -> list[str] | None:
    """The sources the store's genders come from, by precedence (overrides first, the first-name model last):
    every source with a row of evidence (``gender_evidence``), and the name model when it decided someone's
    gender (``resolved_gender``). None for a store without those tables (older than them)."""
    import duckdb

    from crewparity.schema import EVIDENCE_PRECEDENCE

    try:
        found = {str(s) for s, in store.rows("SELECT DISTINCT source FROM gender_evidence")}
        if store.rows("SELECT 1 FROM resolved_gender WHERE source = 'name_model' AND gender <> 'unknown' LIMIT 1"):
            found.add("name_model")
    except duckdb.Error:
        return None
    rank = {s: i for i, s in enumerate(EVIDENCE_PRECEDENCE)}
    return sorted(found, key=lambda s: (rank.get(s, len(rank)), s))


def source_line(store: Any) -> str:
    """"Source: crewparity VERSION; credits: IMDb non-commercial datasets (FOLDER, dumps of DAY, loaded DATE); genders: ...;
    store FILE": the credits from the store's ``sources`` table (what was loaded, from where, when), the genders
    from every source of gender evidence in the store (:func:`gender_sources`: a crew list's self-reported
    genders, TMDB's, Wikidata's ... and the first-name model when it decided anyone)."""
    from crewparity import __version__
    from crewparity.store import loaded_sources

    credits, genders = [], []
    for loaded in loaded_sources(store):  # (a Parquet export cites the same list: cli.app.with_provenance)
        source, day = loaded["source"], loaded["loaded_at"][:10]
        name = SOURCE_NAMES.get(source, source)
        where = Path(loaded["location"]).name
        if source in ("imdb", "tmdb", "crewlist"):
            detail = ", ".join(x for x in (f"{where}/" if where and source == "imdb" else "",
                                           f"dumps of {loaded['dumps_dated']}" if loaded.get("dumps_dated") else "",
                                           f"loaded {day}" if day else "") if x)
            credits.append(f"{name} ({detail})" if detail else name)
            if source == "imdb":
                genders.append(GENDER_SOURCE_NAMES["imdb"])
        elif name not in genders:
            genders.append(name)
    evidence = gender_sources(store)
    if evidence is not None:   # what the genders really come from, rather than what was loaded
        genders = [GENDER_SOURCE_NAMES.get(s, SOURCE_NAMES.get(s, s)) for s in evidence]
    parts = [f"Source: crewparity {__version__}"]
    if credits:
        parts.append("credits: " + "; ".join(dict.fromkeys(credits)))
    if genders:
        parts.append("genders: " + ", ".join(dict.fromkeys(genders)))
    path = getattr(store, "path", None)
    if path is not None:
        parts.append(f"store {Path(str(path)).name}")
    return "; ".join(parts)


def _titled(chart: Any, title: str, subtitle: str | Sequence[str] | None, source: str | None,
            width: int) -> Any:
    """``chart`` with its title, a grey subtitle (wrapped to the chart's width) and the source line below it."""
    lines: list[str] = []
    for text in ([subtitle] if isinstance(subtitle, str) else list(subtitle or [])):
        lines.extend(_wrap(text, width))
    params: dict[str, Any] = {"text": _wrap(title, width, 8.2), "anchor": "start"}
    if lines:
        params.update(subtitle=lines, subtitleFontSize=11, subtitleColor="#444444", subtitlePadding=4)
    chart = chart.properties(title=alt.TitleParams(**params))
    if not source:
        return chart
    foot = alt.TitleParams(_wrap(source, width), orient="bottom", anchor="start", fontSize=10, fontWeight="normal",
                           color="#555555", offset=10)
    return alt.vconcat(chart, title=foot)


def _role_of(series: str) -> str:
    return series.split(" · ")[0]


def _series_colours(series: Sequence[str]) -> list[str]:
    """A colour per series: the role's own colour (see ROLE_COLOURS) when the series is a role, else the next
    colour not yet used, so two series never share one."""
    used: list[str] = []
    extra = [c for c in (*EXTRA_COLOURS, *OKABE_ITO) if c not in ROLE_COLOURS.values()]
    for s in series:
        colour = ROLE_COLOURS.get(_role_of(s))
        if colour is None or colour in used:
            colour = next((c for c in (*extra, *ROLE_COLOURS.values()) if c not in used), "#333333")
        used.append(colour)
    return used


def _year_axis(data: Rows, field: str, title: str | None, width: int = 560, *, labels: bool = True) -> Any:
    """A quantitative year axis: whole years only, printed as 2015 (never 2,015 or 2015.5), at a step (1, 2, 5,
    10 ...) that leaves room for every label, so neighbouring years never collide."""
    years = sorted({int(d[field]) for d in data if d.get(field) is not None})
    lo, hi = (years[0], years[-1]) if years else (0, 1)
    span = hi - lo
    room = max(2, width // 48)           # a label "2015" needs ~30 px plus a gap
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span // s + 1 <= room), 100)
    values = [y for y in range(lo, hi + 1) if y % step == 0] or [lo]
    domain = [lo - 0.5, hi + 0.5] if span == 0 else [lo, hi]
    axis = alt.Axis(format="d", values=values, labelOverlap=True, labelFlush=False, labels=labels, ticks=True,
                    grid=True)
    return alt.X(f"{field}:Q", title=title, axis=axis, scale=alt.Scale(zero=False, nice=False, domain=domain,
                                                                       padding=8))


def _break_at_gaps(data: Rows, field: str, step: int | None, keys: Sequence[str] = ("series",),
                   values: Sequence[str] = ("share", "known", "lo", "hi", "unknown_share", "women", "men",
                                            "unknown", "total")) -> list[dict[str, Any]]:
    """The rows plus, per series, an empty row for every missing year (or decade) between its first and last.

    Why: a line drawn from 2015 straight to 2018 reads as figures for 2016 and 2017 that were never counted.
    Vega-Lite breaks a line (and its band) at a row whose value is null, so the gap shows as a gap.
    """
    rows = [dict(d) for d in data]
    if step is None:
        return rows
    seen: dict[tuple[Any, ...], set[int]] = {}
    for d in rows:
        if d.get(field) is not None:
            seen.setdefault(tuple(d.get(k) for k in keys), set()).add(int(d[field]))
    for key, xs in seen.items():
        for v in range(min(xs), max(xs) + 1, step):
            if v not in xs:
                rows.append({field: v, **dict(zip(keys, key, strict=True)), **dict.fromkeys(values)})
    return sorted(rows, key=lambda d: (tuple(str(d.get(k)) for k in keys),
                                       d[field] if d.get(field) is not None else 0))


# --------------------------------------------------------------------------------------------- trend
NO_YEAR = ("nothing to draw {by}: no titles with a year in this {where} (crewparity share --by role counts "
           "them)")


def trend_empty_reason(table: Any, x: str = "year", store: Any = None) -> str | None:
    """Why a trend of ``table`` would draw nothing, as one line; None when it has a point to draw.

    No rows: the reason the share carries (the CLI tables' line, e.g. "no credits match this selection: the
    store's titles are from 2018 to 2020"). Rows, but none with a year (a crew list loaded without a year
    column): "nothing to draw year by year: no titles with a year in this selection", or "in this store" when
    ``store`` is given and none of its titles has a year."""
    rows = records(table)
    if any(r.get(x) is not None for r in rows):
        return None
    if not rows:
        return _reason_of(table) or NO_DATA
    where = "selection"
    if store is not None:
        (dated,), = store.rows("SELECT count(*) FROM titles WHERE year IS NOT NULL")
        where = "store" if not dated else where
    return NO_YEAR.format(by="decade by decade" if x == "decade" else "year by year", where=where)


def trend_chart(table: Any, *, title: str = "Women's share over the years", x: str = "year",
                subtitle: str | Sequence[str] | None = None, source: str | None = None,
                width: int = 560, height: int = 260, unit: str | None = None,
                empty_reason: str | None = None) -> Any:
    """Women's share per year, one line per role (or group), with its 95% band.

    The line is ``share_expected`` (recorded genders plus the name model's probabilities), the estimate the
    band ``ci_low``-``ci_high`` belongs to; without it, ``share_known``. Below, a small panel shows the share
    of those counted whose gender is unknown, in the same colour per role, so that a line built on few known
    genders is visibly so. Columns: ``year`` (or ``x``), ``share_expected``/``share_known``, ``ci_low``,
    ``ci_high``, ``unknown``, ``total``; any other text column (role, kind, genre) becomes the series.
    ``subtitle`` (roles, kind, sample, years, unit: see :func:`describe`) and ``source`` (see
    :func:`source_line`) let the chart stand alone in an article.

    ``unit`` (people, credits or titles: the ``--unit`` of the share drawn) words the y axis, the grey panel
    and the tooltip. For titles the figure is the share of titles with at least one woman in the roles, for which
    50% marks no parity: that chart has no parity line, and a subtitle line says why (:data:`NO_PARITY_TITLES`).
    Without a unit the words are general ("women's share") and the parity line is drawn.

    With nothing to draw, the chart says why in its own text: ``empty_reason``, else
    :func:`trend_empty_reason`'s line.
    """
    rows = records(table)
    if not rows:
        return _base_config(_titled(_empty(title, empty_reason or trend_empty_reason(table, x), width), title,
                                    subtitle, source, width))
    _need(rows, [x, "share_known"], "trend")
    parity_line = unit != "titles"
    series_cols = [c for c in ("role", "kind", "genre", "decade", "sample") if c in rows[0] and c != x]
    data = []
    for r in rows:
        if r.get(x) is None:
            continue
        total = r.get("total") or 0
        unknown = r.get("unknown") or 0
        estimate = r.get("share_expected")
        data.append({
            "x": r[x],
            "series": _group_label(r, series_cols),
            # The band is the interval of share_expected (recorded genders plus name probabilities): draw the
            # line it belongs to; share_known (women among known genders only) is in the tooltip.
            "share": estimate if estimate is not None else r.get("share_known"),
            "known": r.get("share_known"),
            "lo": r.get("ci_low"),
            "hi": r.get("ci_high"),
            "unknown_share": (unknown / total) if total else None,
            "women": r.get("women"),
            "men": r.get("men"),
            "unknown": unknown,
            "total": total,
        })
    if not data:
        return _base_config(_titled(_empty(title, empty_reason or trend_empty_reason(rows, x), width), title,
                                    subtitle, source, width))
    data = _break_at_gaps(data, "x", {"year": 1, "decade": 10}.get(x))
    series = list(dict.fromkeys(str(d["series"]) for d in data))
    if "role" in series_cols:
        order = {r: i for i, r in enumerate(ROLE_COLOURS)}
        series.sort(key=lambda s: (order.get(_role_of(s), len(order)), s))
    scale = alt.Scale(domain=series, range=_series_colours(series))
    colour = alt.Color("series:N", title=None, scale=scale, sort=series,
                       legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1,
                                         labelExpr="replace(datum.label, /_/g, ' ')") if len(series) > 1 else None)
    x_enc = _year_axis(data, "x", x, width)
    base = alt.Chart(alt.Data(values=data))
    # The band on the colour channel with the very same definition as the line's: a separate fill scale with
    # this domain would merge into colour and switch its legend off.
    band = base.mark_area(opacity=0.15).encode(x_enc, y=alt.Y("lo:Q"), y2="hi:Q", color=colour)
    line = base.mark_line(point=alt.OverlayMarkDef(size=28), strokeWidth=2).encode(
        x_enc,
        y=alt.Y("share:Q", title=TREND_AXIS.get(unit, TREND_AXIS[None]),
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=colour,
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", title=x), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("known:Q", format=".1%", title=TREND_KNOWN.get(unit, TREND_KNOWN[None])),
                 alt.Tooltip("women:Q"), alt.Tooltip("men:Q"), alt.Tooltip("unknown:Q")],
    )
    xs = [int(d["x"]) for d in data if d.get("x") is not None]
    parity_data = alt.Data(values=[{"p": 0.5, "x": max(xs), "label": "parity: 50%"}])
    parity = alt.Chart(parity_data).mark_rule(strokeDash=[4, 4], color="#777777").encode(y="p:Q")
    parity_label = alt.Chart(parity_data).mark_text(align="right", baseline="bottom", dy=-3, fontSize=10,
                                                    color="#555555").encode(x=alt.X("x:Q"), y="p:Q",
                                                                            text="label:N")
    top = alt.layer(band, line, *((parity, parity_label) if parity_line else ())).properties(width=width,
                                                                                          height=height)
    unknown_panel = base.mark_line(strokeWidth=1.5, point=alt.OverlayMarkDef(size=14)).encode(
        _year_axis(data, "x", None, width, labels=False),
        y=alt.Y("unknown_share:Q", title="unknown", axis=alt.Axis(format="%", tickCount=2),
                scale=alt.Scale(domainMin=0)),
        color=colour,
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", title=x),
                 alt.Tooltip("unknown_share:Q", format=".1%", title="unknown gender")],
    ).properties(width=width, height=50, view=alt.ViewBackground(fill="#f2f2f2"), title=alt.TitleParams(
        _wrap(f"Grey panel: {TREND_UNKNOWN.get(unit, TREND_UNKNOWN[None])}"
              + (", per role (colours as above)" if len(series) > 1 else ""), width + 60, 6.6),
        fontSize=11, color="#555555"))
    both = alt.vconcat(top, unknown_panel, spacing=8)
    width += 60  # the y axis
    if not parity_line:
        subtitle = [*([subtitle] if isinstance(subtitle, str) else list(subtitle or [])), NO_PARITY_TITLES]
    return _base_config(_titled(both, title, subtitle, source, width))


# ------------------------------------------------------------------------------------------- compare
METRIC_LABELS: dict[str, str] = {
    "pct_women_of_individuals": "women among the people",
    "pct_titles_with_no_woman_in_role": "titles with no woman",
    "pct_episodes_directed_by_women": "episodes directed by women",
}
#: Short names a user may give ``chart compare --metric``.
METRIC_ALIASES: dict[str, str] = {
    "people": "pct_women_of_individuals", "individuals": "pct_women_of_individuals",
    "no-woman": "pct_titles_with_no_woman_in_role", "no_woman": "pct_titles_with_no_woman_in_role",
    "episodes": "pct_episodes_directed_by_women",
}


def metric_words(metric: str, role: str) -> str:
    """What a compared figure is, in words: "women's share of directors", "titles with no woman editor"."""
    if metric == "pct_women_of_individuals":
        return f"women's share of {role_words(role)}"
    if metric == "pct_titles_with_no_woman_in_role":
        return ("titles with no woman in the key roles" if "," in role
                else f"titles with no woman {role_words(role, plural=False)}")
    if metric == "pct_episodes_directed_by_women":
        return "episodes directed by women"
    return f"{METRIC_LABELS.get(metric, metric.replace('_', ' '))} ({role_words(role)})"


def parse_metrics(text: str | None) -> list[str] | None:
    """``--metric people,no-woman`` -> the metric names; None (not given) or ``all`` for every metric; an unknown
    one names the rest, and so does an empty one (``''``, ``','``: not read as every metric)."""
    if text is None or text.strip().lower() == "all":
        return None
    allowed = f"all, {', '.join(METRIC_ALIASES)} (or {', '.join(METRIC_LABELS)})"
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if not words:
        raise ArgumentError(f"--metric is empty; allowed: {allowed}")
    out = []
    for word in words:
        name = METRIC_ALIASES.get(word, word)
        if name not in METRIC_LABELS:
            raise ArgumentError(f"unknown metric {word!r}; allowed: {allowed}")
        out.append(name)
    return out


def select_compare(table: Any, *, roles: Sequence[str] | None = None, metrics: Sequence[str] | None = None) -> Rows:
    """The comparison rows for the chosen roles and metrics. A row for several roles (a study's key roles) is
    kept when all of its roles are chosen."""
    rows = records(table)
    if roles:
        chosen = set(roles)
        rows = [r for r in rows if r.get("role") is None or set(str(r["role"]).split(",")) <= chosen]
    if metrics:
        rows = [r for r in rows if r.get("metric") is None or r["metric"] in metrics]
    return rows


def _study_name(rows: Rows) -> str | None:
    key = next((r.get("study") for r in rows if r.get("study")), None)
    if key is None:
        return None
    try:
        from crewparity.metrics.roles import studies

        found = studies().get(str(key))
    except Exception:  # noqa: BLE001 - a name is a nicety; the key still says which study
        found = None
    return found.name if found is not None else str(key)


def compare_chart(table: Any, *, title: str | None = None, subtitle: str | Sequence[str] | None = None,
                  source: str | None = None, width: int = 560, height: int = 260,
                  max_panels: int | None = 4, note: str | None = None) -> Any:
    """crewparity's figure (with its 95% band) and the study's published figure, per year; a panel per
    metric and role when the study publishes several (at most ``max_panels``; None for all of them). ``note``: one
    more line under the subtitle (a ``top:N`` sample short of N titles: ``metrics.compare.short_sample_words``).
    When a plotted figure of ours is ``small`` (fewer counted than ``crewparity share``'s small-group threshold),
    a last line says which and that they are to be read with care, whatever the subtitle.

    Accepts the comparison table of the metrics layer (``crewparity compare``): ``year``, ``published``
    (the study's, a fraction), ``crewparity`` (ours, or ``share_known``/``ours``), ``ci_low``/``ci_high``,
    and optionally ``study``, ``period`` (a TV season such as 2015-16), ``metric``, ``role``,
    ``published_sample``, ``published_source`` and ``crewparity_sample``, from which the title, the axis
    titles and the subtitle say which study, which figure and which samples the chart shows.
    """
    rows = records(table)
    name = _study_name(rows)
    if not rows:
        title = title or _compare_title(name, rows)
        return _base_config(_titled(_empty(title, width=width), title, subtitle, source, width))
    cols = _columns(rows)
    ours_col = next((c for c in ("crewparity", "ours", "share_known", "share_expected", "share") if c in cols), None)
    theirs_col = next((c for c in ("published", "theirs", "published_share") if c in cols), None)
    if ours_col is None or theirs_col is None or "year" not in cols:
        raise ArgumentError(
            "compare chart needs year, our figure (crewparity) and the published figure (published); "
            f"got {', '.join(sorted(cols))}")

    def panel(r: Mapping[str, Any]) -> str:
        if "metric" in cols and r.get("metric") is not None:
            return metric_words(str(r["metric"]), str(r.get("role") or ""))
        if "role" in cols and r.get("role") is not None:
            return f"women's share of {role_words(str(r['role']))}"
        return "women's share"

    ours, theirs = "crewparity (ours)", "published (theirs)"
    data = []
    for r in rows:
        if r.get("year") is None:
            continue
        label = panel(r)
        if r.get(ours_col) is not None:
            data.append({"year": r["year"], "panel": label, "who": ours, "share": r[ours_col],
                         "lo": r.get("ci_low"), "hi": r.get("ci_high"), "n": _titles_behind(r)})
        if r.get(theirs_col) is not None:
            data.append({"year": r["year"], "panel": label, "who": theirs, "share": r[theirs_col],
                         "lo": None, "hi": None})
    if not data:
        title = title or _compare_title(name, rows)
        return _base_config(_titled(_empty(title, width=width), title, subtitle, source, width))
    panels = list(dict.fromkeys(d["panel"] for d in data))
    total_panels = len(panels)
    if max_panels is not None and len(panels) > max_panels:
        # Panels where both figures exist first: a comparison with one side missing says little.
        with_ours = {d["panel"] for d in data if d["who"] == ours}
        panels = ([p for p in panels if p in with_ours] + [p for p in panels if p not in with_ours])[:max_panels]
        data = [d for d in data if d["panel"] in panels]
    seasons = [str(r.get("period")) for r in rows if r.get("period") and str(r.get("period")) != str(r.get("year"))]
    if seasons:
        first = next(r for r in rows if r.get("period") and str(r["period"]) != str(r.get("year")))
        which = "first" if str(first["period"]).strip().startswith(str(first["year"])) else "last"  # season_year
        x_title = f"TV season, by its {which} year ({first['year']} = the {first['period']} season)"
    else:
        x_title = "year"
    facet = len(panels) > 1
    # A count of titles has no interval: how many titles each such panel rests on is said beside its name.
    sizes = {p: _titles_words([d["n"] for d in data if d["panel"] == p and d["who"] == ours])
             for p in panels if _is_title_count(next(r for r in rows if r.get("year") is not None
                                                     and panel(r) == p))}
    # ... and out of how many titles of the sample ("22 of the 40 titles in the sample have a director credit"):
    # "ours over 22 titles with the credit" alone hid the 18 the sample has without one (compare's no_credit)
    of_sample = {p: _of_sample_words([r for r in rows if r.get("year") is not None and panel(r) == p
                                      and r.get(ours_col) is not None]) for p in sizes}
    shown_rows = [r for r in rows if r.get("year") is not None and panel(r) in panels]
    title = title or _compare_title(name, shown_rows)
    if subtitle is None:
        subtitle = _compare_subtitle(shown_rows, panels, total_panels, facet, ours_col=ours_col,
                                     sized=any(sizes.values()))
        if not facet and sizes.get(panels[0]):   # beside what ours is, before "Shown: ..."
            subtitle.insert(len(subtitle) - 1,
                            f"Ours rests on the titles with a credit in the role: {words}."
                            if (words := of_sample.get(panels[0]))
                            else f"Ours rests on {sizes[panels[0]]} with a credit in the role.")
    if note:
        subtitle = [*([subtitle] if isinstance(subtitle, str) else subtitle), note]
    # a chart travels without the table that flags small rows: a point of ours resting on fewer than the small-group
    # threshold says so under the title, whoever wrote the subtitle (the demo's DGA point of 13 episodes read +69)
    if small := _small_rows_note(shown_rows, ours_col, panel if facet else None):
        subtitle = [*([subtitle] if isinstance(subtitle, str) else subtitle or []), small]
    data = _break_at_gaps(data, "year", 1, keys=("panel", "who"), values=("share", "lo", "hi", "n"))
    columns = 2 if len(panels) <= 4 else 3
    pw = width if not facet else (width - 40) // 2 if columns == 2 else (width - 60) // 3
    ph = height if not facet else 150 if len(panels) <= 4 else 100
    colour = alt.Color("who:N", title=None, scale=alt.Scale(domain=[ours, theirs], range=[OURS_COLOUR, THEIRS_COLOUR]),
                       legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3))
    x_enc = _year_axis(data, "year", x_title if not facet else None, pw)

    def one(label: str) -> Any:
        values = [d for d in data if d["panel"] == label]
        short = "% of titles" if label.startswith("titles") else "% of episodes" if label.startswith("episodes") \
            else "% women"
        # The band only where ours has one; the gap rows (null) break it as they break the line. A bar for the
        # interval at each of our points too: a year with no neighbour has no band to draw.
        band = alt.Chart().transform_filter(f"datum.who == '{ours}'").mark_area(opacity=0.18, color=OURS_COLOUR) \
            .encode(x_enc, y="lo:Q", y2="hi:Q")
        bars = alt.Chart().transform_filter(f"datum.who == '{ours}' && datum.lo != null").mark_rule(
            color=OURS_COLOUR, opacity=0.6, strokeWidth=1.5).encode(x_enc, y="lo:Q", y2="hi:Q")
        lines = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=30 if facet else 36), strokeWidth=2).encode(
            x_enc,
            y=alt.Y("share:Q", title=short if facet else f"{label} (%)", axis=alt.Axis(format="%", tickCount=5),
                    scale=alt.Scale(domain=[0, 1])),
            color=colour,
            tooltip=[alt.Tooltip("who:N"), alt.Tooltip("year:Q", format="d"),
                     alt.Tooltip("share:Q", format=".1%"),
                     *([alt.Tooltip("n:Q", title="our titles with a credit in the role")] if label in sizes else [])],
        )
        layered = alt.layer(band, bars, lines, data=alt.Data(values=values)).properties(width=pw, height=ph)
        if not facet:
            return layered
        head: dict[str, Any] = {"fontSize": 12, "fontWeight": "normal"}
        if sizes.get(label):
            head.update(subtitle=_wrap(f"ours: {words}" if (words := of_sample.get(label))
                                       else f"ours over {sizes[label]} with the credit", pw, 5.3),
                        subtitleFontSize=10, subtitleColor="#444444")
        return layered.properties(title=alt.TitleParams(label, **head))

    if facet:
        chart = alt.concat(*[one(p) for p in panels], columns=columns, spacing=14)
        full = columns * (pw + 60)
    else:
        chart = one(panels[0])
        full = pw + 60
    return _base_config(_titled(chart, title, subtitle, source, full))


NO_WOMAN_METRIC = "pct_titles_with_no_woman_in_role"


def _small_rows_note(rows: Rows, ours_col: str, panel: Callable[[Mapping[str, Any]], str] | None) -> str | None:
    """The line naming the plotted points of ours that are ``small`` (:func:`metrics.compare.small_sample_clause`),
    per panel when there are several, or None."""
    from crewparity.metrics.compare import small_sample_clause

    return small_sample_clause([{**r, "crewparity": r.get(ours_col)} for r in rows], panel)


def _is_title_count(row: Mapping[str, Any]) -> bool:
    """A compared figure that counts titles (no woman in a role): no interval, and few titles may lie behind it."""
    return row.get("metric") == NO_WOMAN_METRIC or row.get("estimate") == "no_known_woman"


def _titles_behind(row: Mapping[str, Any]) -> Any:
    """How many titles our figure of a title-count row rests on (those with a credit in the role)."""
    if not _is_title_count(row):
        return None
    return row.get("titles_with_role") if row.get("titles_with_role") is not None else row.get("counted")


def _of_sample_words(rows: Rows) -> str | None:
    """How many titles of our sample have a credit in the role, out of how many, for a title-count panel's rows
    (one a year): "22 of the 40 titles in the sample have a director credit", "20-22 of the 38-40 titles a year in
    the sample have ..."; None when a row does not say how many of the sample have no credit (``no_credit``)."""
    pairs = []
    for r in rows:
        n, none = _titles_behind(r), r.get("no_credit")
        if n is None or none is None:
            return None
        pairs.append((int(n), int(n) + int(none)))
    if not pairs:
        return None
    role = str(rows[0].get("role") or "")
    credit = ("a credit in the key roles" if "," in role or not role
              else f"{'an' if role[:1] in 'aeiou' else 'a'} {role_words(role, plural=False)} credit")

    def span(values: Sequence[int]) -> str:
        lo, hi = min(values), max(values)
        return f"{lo:,}" if lo == hi else f"{lo:,}-{hi:,}"

    ns, totals = [n for n, _ in pairs], [t for _, t in pairs]
    yearly = " a year" if len(pairs) > 1 else ""
    plural = len(pairs) > 1 or ns[0] != 1
    return (f"{span(ns)} of the {span(totals)} title{'s' if max(totals) != 1 else ''}{yearly} in the sample "
            f"{'have' if plural else 'has'} {credit}")


def _titles_words(ns: Sequence[Any]) -> str | None:
    """[22, 20] -> "20-22 titles a year"; [7] -> "7 titles"; None when the counts are unknown."""
    known = sorted({int(n) for n in ns if n is not None})
    if not known:
        return None
    if len(known) == 1:
        return f"{known[0]} title{'s' if known[0] != 1 else ''}" + (" a year" if len(ns) > 1 else "")
    return f"{known[0]}-{known[-1]} titles a year"


def _their_samples(rows: Rows) -> str | None:
    """Each distinct published sample over the periods shown, with the periods it applies to when it changes
    (Boxed In: broadcast only until 2014-15, broadcast, cable and streaming from 2015-16)."""
    runs: list[tuple[str, str, str]] = []          # (sample, first period, last period), in year order
    for r in sorted(rows, key=lambda r: (r.get("year") or 0)):
        sample = str(r.get("published_sample") or "").strip()
        if not sample:
            continue
        period = str(r.get("period") or r.get("year"))
        if runs and runs[-1][0] == sample:
            runs[-1] = (sample, runs[-1][1], period)
        elif not runs or runs[-1][2] != period:
            runs.append((sample, period, period))
    samples = list(dict.fromkeys(s for s, _, _ in runs))
    if len(samples) <= 1:
        return samples[0] if samples else None
    spans: dict[str, list[str]] = {}
    for sample, first, last in runs:
        spans.setdefault(sample, []).append(first if first == last else f"{first} to {last}")
    # "one random episode of every prime-time series; broadcast" and "...; broadcast, cable, streaming": the
    # part they share once, then what changed, each with its periods
    parts = [s.split("; ") for s in samples]
    common = 0
    while all(len(p) > common + 1 for p in parts) and len({tuple(p[:common + 1]) for p in parts}) == 1:
        common += 1
    head = "; ".join(parts[0][:common]) + "; " if common else ""
    return head + ", then ".join(f"{'; '.join(p[common:])} ({', '.join(spans[s])})"
                                 for s, p in zip(samples, parts, strict=True))


def _our_sample(rows: Rows) -> str:
    """Our sample's words for the rows of one figure: their ``crewparity_sample`` when they share it; when it names
    each row's roles (a panel per role), the study's words for all its rows (each panel counts its own role)."""
    samples = list(dict.fromkeys(str(r.get("crewparity_sample") or "") for r in rows if r.get("crewparity_sample")))
    if len(samples) <= 1:
        return samples[0] if samples else "crewparity"
    key, metric = rows[0].get("study"), rows[0].get("metric")
    try:
        from crewparity.metrics.compare import describe_sample
        from crewparity.metrics.roles import studies

        found = studies().get(str(key))
    except Exception:  # noqa: BLE001 - as _study_name: the rows' own words follow
        found = None
    if found is not None:
        return describe_sample(found, str(metric) if metric else None)
    parts = [s.split("; ") for s in samples]
    common = [p for p in parts[0] if all(p in other for other in parts[1:])]
    return "; ".join([*common, "in the roles each panel names"])


def _compare_title(name: str | None, rows: Rows) -> str:
    """"STUDY: crewparity's estimate beside the published figures"; "counts" when every figure of ours shown is a
    count of titles (no woman in a role: no model, no interval), "figures" when both kinds are shown."""
    counts = {_is_title_count(r) for r in rows}
    what = "counts" if counts == {True} else "figures" if len(counts) > 1 else "estimate"
    theirs = "the published ones" if what == "figures" else "the published figures"
    return f"{name}: crewparity's {what} beside {theirs}" if name else f"Our {what} beside {theirs}"


def _compare_subtitle(rows: Rows, panels: Sequence[str], total_panels: int, facet: bool = True, *,
                      ours_col: str = "crewparity", sized: bool = False) -> list[str]:
    """Theirs: each published sample (with its years when it changes); ours: per figure shown, our sample and
    unit, whether it is an estimate with an interval or a count of titles, or that no figure of ours falls in the
    years shown; then the figures shown. ``sized``: the panels of title counts say under their names how many
    titles ours rests on (the caller adds a line for a lone panel)."""
    lines = []
    if any(r.get("published_sample") or r.get("crewparity_sample") for r in rows):
        lines.append(f"Theirs: {_their_samples(rows) or 'as published'}.")
        metrics = list(dict.fromkeys(r.get("metric") for r in rows))
        for metric in metrics:
            of_metric = [r for r in rows if r.get("metric") == metric]
            first = of_metric[0]
            named = f" ({METRIC_LABELS.get(str(metric), str(metric))})" if len(metrics) > 1 and metric else ""
            sample = _our_sample(of_metric)
            count = _is_title_count(first)
            if count:   # said once, with why: "...; no interval" (compare's words) -> "...; a count ...: no interval"
                sample = sample.removesuffix("; no interval")
            kind = "a count of titles, not an estimate: no interval" if count else "bar and band: our 95% interval"
            if all(r.get(ours_col) is None for r in of_metric):
                why = (": our sample has no title with a credit in the role" if count
                       and all(_titles_behind(r) == 0 for r in of_metric) else "")
                lines.append(f"Ours{named}: {sample}. No figure of ours in the years shown{why}.")
            elif count and facet and sized:
                lines.append(f"Ours{named}: {sample}; {kind} (how many titles each panel's figure rests on is "
                             "under its name).")
            else:
                lines.append(f"Ours{named}: {sample}; {kind}.")
    groups: dict[str, list[str]] = {}
    for p in panels:   # "women's share of directors", "... of writers" -> "women's share of directors, writers"
        head, sep, tail = p.partition(" of ") if p.startswith("women's share") else p.rpartition(" woman ")
        if sep:
            groups.setdefault(head + sep.rstrip(), []).append(tail)
        else:
            groups.setdefault(p, [])
    shown = "Shown: " + "; ".join(f"{h} {', '.join(t)}" if t else h for h, t in groups.items())
    if len(panels) < total_panels:
        shown += f" (the first {len(panels)} of the study's {total_panels} figures)"
    lines.append(shown + ".")
    return lines


# ------------------------------------------------------------------------------------------- seasons
def seasons_chart(table: Any, *, title: str | None = None, subtitle: str | Sequence[str] | None = None,
                  source: str | None = None, width: int | None = None, height: int = 220) -> Any:
    """A series' seasons as stacked bars: episodes by their director's gender, unknown in grey.

    Columns: ``season``, ``women``, ``men``, ``nonbinary``, ``unknown``, ``total`` (one row per season,
    as ``crewparity series`` returns; a season null, the episodes without a season number, is the bar "(no
    season)"). Each bar is labelled "women of total".
    """
    rows = records(table)
    name = next((r.get("series") for r in rows if r.get("series")), None)
    title = title or (f"{name}: episodes by director gender" if name else "Episodes by director gender")
    if not rows:
        return _base_config(_titled(_empty(title), title, subtitle, source, width or 480))
    _need(rows, ["season", "women", "men", "total"], "seasons")
    data = []
    labels = []
    for r in rows:
        season = NO_SEASON if r.get("season") is None else str(r["season"])
        for g in GENDER_ORDER:
            v = r.get(g) or 0
            data.append({"season": season, "gender": g, "n": v, "order": GENDER_ORDER.index(g)})
        labels.append({"season": season, "label": f"{r.get('women') or 0:g} of {r.get('total') or 0:g}",
                       "top": max(r.get("total") or 0, sum((r.get(g) or 0) for g in GENDER_ORDER))})
    seasons: list[str] = [str(lab["season"]) for lab in labels]
    tops: list[float] = [float(lab["top"]) for lab in labels]
    w = width or max(220, min(760, 70 * len(seasons)))
    x = alt.X("season:N", sort=seasons, title="season", axis=alt.Axis(labelAngle=0))
    ymax = max(tops, default=1.0) * 1.15 or 1.0
    bars = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x,
        y=alt.Y("n:Q", title="episodes", stack="zero", scale=alt.Scale(domain=[0, ymax], nice=False)),
        color=alt.Color("gender:N", title="director", sort=list(GENDER_ORDER),
                        scale=alt.Scale(domain=list(GENDER_ORDER), range=[GENDER_COLOURS[g] for g in GENDER_ORDER])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("season:N"), alt.Tooltip("gender:N"), alt.Tooltip("n:Q", title="episodes")],
    )
    text = alt.Chart(alt.Data(values=labels)).mark_text(dy=-7, fontSize=11, color="#222222").encode(
        x, y=alt.Y("top:Q"), text="label:N")
    chart = alt.layer(bars, text).properties(width=w, height=height)
    return _base_config(_titled(chart, title, subtitle, source, max(w, 420)))


# -------------------------------------------------------------------------------------- distribution
def no_credit_words(table: Any) -> str | None:
    """How many titles of the sample a distribution table (``crewparity distribution --part buckets``) leaves out of
    its buckets for having no credit in the roles (its ``no_credit`` column, one count per year or per table), as
    one sentence, or None for none: a title without a credit is not in bucket 0 (missing data, not a title with no
    woman), and a chart or report read alone must say where it went."""
    rows = records(table)
    if not rows or not any("no_credit" in r for r in rows):
        return None
    per_group = {r.get("year"): r.get("no_credit") or 0 for r in rows}
    n = sum(per_group.values())
    if not n:
        return None
    return (f"{n:,} title{'s' if n != 1 else ''} of the sample {'have' if n != 1 else 'has'} no credit in these "
            "roles: in no bar (not 0 women) and not in the shares.")


def distribution_chart(table: Any, *, title: str = "How many women a title employs in these roles",
                       subtitle: str | Sequence[str] | None = None, source: str | None = None,
                       width: int = 480, height: int = 220) -> Any:
    """Titles by the number of women credited (0, 1, 2, 3-5, 6-9, 10+), labelled with the share of titles.

    Accepts the distribution table of the metrics layer: a bucket column (``women_per_title``, or
    ``bucket``), ``titles``, optionally ``share_of_titles`` and ``titles_with_unknown``, and a ``year``
    grouping. The bars are the titles with a credit in the roles; the table's ``no_credit`` (titles without
    one) is in no bar, and the caller says so in the subtitle (:func:`no_credit_words`). Titles in a bucket where
    someone's gender is unknown (so the true count of women may be higher) are drawn as their own grey part of the
    bar, never dropped.
    """
    rows = records(table)
    if not rows:
        return _base_config(_titled(_empty(title, _reason_of(table), width), title, subtitle, source, width))
    cols = _columns(rows)
    bucket_col = next((c for c in ("women_per_title", "bucket", "women_bucket", "women") if c in cols), None)
    count_col = next((c for c in ("titles", "count", "n") if c in cols), None)
    if bucket_col is None or count_col is None:
        raise ArgumentError(f"distribution chart needs a bucket column and titles; got {', '.join(sorted(cols))}")
    share_col = next((c for c in ("share_of_titles", "share") if c in cols), None)
    group_cols = [c for c in ("role", "year", "decade", "kind") if c in cols]
    totals: dict[str, float] = {}
    for r in rows:
        g = _group_label(r, group_cols)
        totals[g] = totals.get(g, 0) + (r.get(count_col) or 0)
    multi = len(totals) > 1
    if multi:
        # Many groups (e.g. by year): one panel per bucket is unreadable; sum the groups into one distribution.
        merged: dict[str, dict[str, Any]] = {}
        for r in rows:
            b = str(r[bucket_col])
            m = merged.setdefault(b, {bucket_col: b, count_col: 0, "titles_with_unknown": 0})
            m[count_col] += r.get(count_col) or 0
            m["titles_with_unknown"] += r.get("titles_with_unknown") or 0
        rows = list(merged.values())
        share_col = None
        totals = {"all": float(sum(m[count_col] for m in rows))}
    grand = sum(totals.values())
    data: Rows = []
    labels: Rows = []
    order: list[str] = []
    for r in rows:
        b = str(r[bucket_col])
        if b not in order:
            order.append(b)
        n = r.get(count_col) or 0
        unknown = min(n, r.get("titles_with_unknown") or 0)
        share = r.get(share_col) if share_col and r.get(share_col) is not None else (n / grand if grand else None)
        data.append({"bucket": b, "part": "all genders known", "titles": n - unknown, "order": 0})
        data.append({"bucket": b, "part": "someone's gender unknown", "titles": unknown, "order": 1})
        labels.append({"bucket": b, "titles": n, "share": share})
    parts = ["all genders known", "someone's gender unknown"]
    x = alt.X("bucket:N", sort=order, title="women credited per title", axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x,
        # whole titles: a sample of two titles drew ticks at 0.2, 0.4 ... (a fraction of a title reads as a share)
        y=alt.Y("titles:Q", title="titles", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("part:N", title=None, sort=parts,
                        scale=alt.Scale(domain=parts, range=[OKABE_ITO[1], GENDER_COLOURS["unknown"]])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("bucket:N", title="women"), alt.Tooltip("part:N"), alt.Tooltip("titles:Q")],
    )
    text = alt.Chart(alt.Data(values=labels)).mark_text(dy=-7, fontSize=11).encode(
        x, y="titles:Q", text=alt.Text("share:Q", format=".0%"))
    chart = alt.layer(bars, text).properties(width=width, height=height)
    return _base_config(_titled(chart, title, subtitle, source, width))


# ------------------------------------------------------------------------------------------- render
def to_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite specification as a dict (data inlined; no URL anywhere)."""
    spec: dict[str, Any] = chart.to_dict()
    return spec


def render_svg(chart: Any) -> str:
    """Render to an SVG string with vl-convert (offline)."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(to_spec(chart))
    return svg


def render_png(chart: Any, *, scale: float = 2.0) -> bytes:
    """Render to PNG bytes with vl-convert (offline), at ``scale`` times the SVG size."""
    import vl_convert as vlc

    png: bytes = vlc.vegalite_to_png(to_spec(chart), scale=scale)
    return png


#: the least a chart embedded in a page is scaled to (of the width it is drawn at): its text stays readable
MIN_SCALE = 0.85


def chart_label(chart: Any) -> str | None:
    """A chart's title as one line of text (its top title, or the first of the charts it stacks or layers), for the
    image's accessible name; None when it has none."""
    title = getattr(chart, "title", None)
    if isinstance(title, alt.TitleParams) and getattr(title, "orient", None) != "bottom":
        title = title.text
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    if isinstance(title, (list, tuple)) and title:
        return " ".join(" ".join(str(t) for t in title).split())
    for part in ("vconcat", "hconcat", "concat", "layer"):
        for sub in getattr(chart, part, None) or ():
            if isinstance(sub, alt.SchemaBase) and (label := chart_label(sub)):
                return label
    return None


def inline_svg(chart: Any, label: str | None = None) -> str:
    """SVG ready to embed in an HTML page: without the XML prolog, scaled by CSS, labelled for screen readers:
    ``role="img"`` with the chart's title (or ``label``) as its name.

    Why: with role="img" a screen reader reads the image's name only (the SVG's own text is inside it), and the name
    was missing: the overview's trend and the comparison were read as "image", nothing more."""
    svg = render_svg(chart)
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    name = label or chart_label(chart)
    aria = f'aria-label="{html.escape(name, quote=True)}" ' if name else ""
    # Shrunk to a phone's width (390 px) a 630 px chart's 10-11 px labels were ~6 px: it shrinks to 85% at most and
    # scrolls sideways in its box (.chart, overflow-x: auto) beyond that.
    drawn = re.search(r'<svg [^>]*?\bwidth="([\d.]+)"', svg)
    least = f"min-width:{round(float(drawn.group(1)) * MIN_SCALE)}px;" if drawn else ""
    return svg.replace("<svg ", f'<svg role="img" {aria}style="max-width:100%;{least}height:auto" ', 1)


def save(chart: Any, path: str | Path) -> Path:
    """Write ``chart`` to ``path``; the suffix (.svg or .png) chooses the format."""
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ArgumentError(f"chart output must end in .svg or .png, got {p.name!r}")
    check_output(p, "the chart output", "chart.svg")
    data = render_svg(chart).encode("utf-8") if fmt == "svg" else render_png(chart)
    # whole or not at all, and an OS error (a folder not writable, a full disk) is one line naming the file, not a
    # traceback; a temporary file beside it, then a rename, as the tables and the report are written
    try:
        write_bytes_atomic(p, data)
    except OSError as exc:
        raise ArgumentError(f"cannot write the chart output ({exc.strerror or exc})", path=p) from None
    return p


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Render one tiny chart so the embedded Vega engine starts before the first real request (~0.7 s)."""
    render_svg(alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q"))
