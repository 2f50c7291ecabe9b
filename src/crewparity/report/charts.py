"""Charts as Altair specifications, rendered offline to SVG or PNG by vl-convert.

Why this shape: Altair writes a Vega-Lite specification, and vl-convert renders it with an embedded
Vega engine (no browser, no CDN, no network). The report inlines the SVG and the dashboard serves it,
so no chart ever needs JavaScript in the reader's browser.

Every function takes a :class:`pyarrow.Table` (or anything with ``to_pylist``/a list of dicts) with the
column names the metrics layer returns and gives back an ``alt.Chart`` (or a layered/concatenated chart).
Colours come from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies);
people of unknown gender are always drawn, in their own grey, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt

from crewparity.errors import ArgumentError
from crewparity.output import check_output

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


def _empty(title: str, message: str = "no data for this selection") -> Any:
    """A chart that says there is nothing to draw, rather than an error or a blank image."""
    return alt.Chart(alt.Data(values=[{"m": message}]), title=title, width=480, height=60).mark_text(
        fontSize=13, color="#555555"
    ).encode(text="m:N")


def _group_label(row: Mapping[str, Any], group_columns: Sequence[str]) -> str:
    parts = [str(row[c]) for c in group_columns if row.get(c) is not None]
    return " · ".join(parts) if parts else "all"


def _year_axis(data: Rows, field: str, title: str | None) -> Any:
    """A quantitative year axis with whole-year ticks only (never "2001" printed twice)."""
    years = sorted({int(d[field]) for d in data if d.get(field) is not None})
    span = (years[-1] - years[0]) if years else 0
    axis = alt.Axis(format="d", tickMinStep=1, tickCount=max(1, min(span, 10)) if span else 1,
                    labels=title is not None, ticks=True)
    return alt.X(f"{field}:Q", title=title, axis=axis, scale=alt.Scale(zero=False, nice=False))


def _break_at_gaps(data: Rows, field: str, step: int | None) -> list[dict[str, Any]]:
    """The rows plus, per series, an empty row for every missing year (or decade) between its first and last.

    Why: a line drawn from 2015 straight to 2018 reads as figures for 2016 and 2017 that were never counted.
    Vega-Lite breaks a line (and its band) at a row whose value is null, so the gap shows as a gap.
    """
    rows = [dict(d) for d in data]
    if step is None:
        return rows
    seen: dict[Any, set[int]] = {}
    for d in rows:
        if d.get(field) is not None:
            seen.setdefault(d["series"], set()).add(int(d[field]))
    for series, xs in seen.items():
        for v in range(min(xs), max(xs) + 1, step):
            if v not in xs:
                rows.append({field: v, "series": series, "share": None, "known": None, "lo": None, "hi": None,
                             "unknown_share": None, "women": None, "men": None, "unknown": None, "total": None})
    return sorted(rows, key=lambda d: (str(d["series"]), d[field] if d.get(field) is not None else 0))


# --------------------------------------------------------------------------------------------- trend
def trend_chart(table: Any, *, title: str = "Women's share over the years", x: str = "year",
                width: int = 560, height: int = 260) -> Any:
    """Women's share per year, one line per role (or group), with its 95% band.

    The line is ``share_expected`` (recorded genders plus the name model's probabilities), the estimate the
    band ``ci_low``-``ci_high`` belongs to; without it, ``share_known``. Below, a small panel shows the share
    of those counted whose gender is unknown, so that a line built on few known genders is visibly so.
    Columns: ``year`` (or ``x``), ``share_expected``/``share_known``, ``ci_low``, ``ci_high``, ``unknown``,
    ``total``; any other text column (role, kind, genre) becomes the series.
    """
    rows = records(table)
    if not rows:
        return _base_config(_empty(title))
    _need(rows, [x, "share_known"], "trend")
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
        return _base_config(_empty(title))
    data = _break_at_gaps(data, "x", {"year": 1, "decade": 10}.get(x))
    n_series = len({d["series"] for d in data})
    colour = alt.Color("series:N", title=None, scale=alt.Scale(range=list(OKABE_ITO)),
                       legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3) if n_series > 1 else None)
    x_enc = _year_axis(data, "x", x)
    base = alt.Chart(alt.Data(values=data))
    band = base.mark_area(opacity=0.18).encode(x_enc, y=alt.Y("lo:Q"), y2="hi:Q",
                                               fill=alt.Fill("series:N", legend=None,
                                                             scale=alt.Scale(range=list(OKABE_ITO))))
    line = base.mark_line(point=alt.OverlayMarkDef(size=28), strokeWidth=2).encode(
        x_enc,
        y=alt.Y("share:Q", title="women's share (estimate)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=colour,
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", title=x), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("known:Q", format=".1%", title="among known genders"),
                 alt.Tooltip("women:Q"), alt.Tooltip("men:Q"), alt.Tooltip("unknown:Q")],
    )
    parity = alt.Chart(alt.Data(values=[{"p": 0.5}])).mark_rule(strokeDash=[4, 4], color="#777777").encode(y="p:Q")
    top = alt.layer(band, line, parity).properties(width=width, height=height, title=title)
    unknown_panel = base.mark_line(color=GENDER_COLOURS["unknown"], strokeWidth=2,
                                   point=alt.OverlayMarkDef(size=20, color=GENDER_COLOURS["unknown"])).encode(
        _year_axis(data, "x", None),
        y=alt.Y("unknown_share:Q", title="unknown", axis=alt.Axis(format="%", tickCount=2),
                scale=alt.Scale(domainMin=0)),
        detail="series:N",
        strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", title=x),
                 alt.Tooltip("unknown_share:Q", format=".1%", title="unknown gender")],
    ).properties(width=width, height=50, title=alt.TitleParams("gender unknown (grey): share of all counted",
                                                                fontSize=11, color="#555555"))
    return _base_config(alt.vconcat(top, unknown_panel, spacing=8))


# ------------------------------------------------------------------------------------------- compare
METRIC_LABELS: dict[str, str] = {
    "pct_women_of_individuals": "women among the people",
    "pct_titles_with_no_woman_in_role": "titles with no woman",
    "pct_episodes_directed_by_women": "episodes directed by women",
}


def compare_chart(table: Any, *, title: str = "Our estimate beside the published figures",
                  width: int = 560, height: int = 260, max_panels: int = 4) -> Any:
    """crewparity's figure (with its 95% band) and the study's published figure, per year; a panel per
    metric and role when the study publishes several.

    Accepts the comparison table of the metrics layer (``crewparity compare``): ``year``, ``published``
    (the study's, a fraction), ``crewparity`` (ours, or ``share_known``/``ours``), ``ci_low``/``ci_high``,
    and optionally ``metric`` and ``role``.
    """
    rows = records(table)
    if not rows:
        return _base_config(_empty(title))
    cols = _columns(rows)
    ours_col = next((c for c in ("crewparity", "ours", "share_known", "share_expected", "share") if c in cols), None)
    theirs_col = next((c for c in ("published", "theirs", "published_share") if c in cols), None)
    if ours_col is None or theirs_col is None or "year" not in cols:
        raise ArgumentError(
            "compare chart needs year, our figure (crewparity) and the published figure (published); "
            f"got {', '.join(sorted(cols))}")

    def panel(r: Mapping[str, Any]) -> str:
        parts = []
        if "metric" in cols and len({x.get("metric") for x in rows}) > 1:
            parts.append(METRIC_LABELS.get(str(r.get("metric")), str(r.get("metric"))))
        if "role" in cols and len({x.get("role") for x in rows}) > 1:
            role = str(r.get("role"))
            parts.append("key roles" if "," in role else role)
        return " · ".join(parts) or "all"

    data = []
    for r in rows:
        if r.get("year") is None:
            continue
        label = panel(r)
        if r.get(ours_col) is not None:
            data.append({"year": r["year"], "panel": label, "who": "crewparity (ours)", "share": r[ours_col],
                         "lo": r.get("ci_low"), "hi": r.get("ci_high")})
        if r.get(theirs_col) is not None:
            data.append({"year": r["year"], "panel": label, "who": "published (theirs)", "share": r[theirs_col],
                         "lo": None, "hi": None})
    if not data:
        return _base_config(_empty(title))
    panels = list(dict.fromkeys(d["panel"] for d in data))
    if len(panels) > max_panels:
        # Panels where both figures exist first: a comparison with one side missing says little.
        with_ours = {d["panel"] for d in data if d["who"] == "crewparity (ours)"}
        panels = ([p for p in panels if p in with_ours] + [p for p in panels if p not in with_ours])[:max_panels]
        data = [d for d in data if d["panel"] in panels]
        title = f"{title} (first {max_panels} of the study's figures; all in the table)"
    who = ["crewparity (ours)", "published (theirs)"]
    colour = alt.Color("who:N", title=None, scale=alt.Scale(domain=who, range=[OURS_COLOUR, THEIRS_COLOUR]),
                       legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3))
    x_enc = _year_axis(data, "year", "year")
    # No explicit domain on the band's fill scale: with one, Vega-Lite merges it into colour and drops the legend.
    band = alt.Chart().transform_filter("datum.lo != null").mark_area(opacity=0.18).encode(
        x_enc, y="lo:Q", y2="hi:Q",
        fill=alt.Fill("who:N", legend=None, scale=alt.Scale(range=[OURS_COLOUR, THEIRS_COLOUR])))
    lines = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=36), strokeWidth=2).encode(
        x_enc,
        y=alt.Y("share:Q", title="share", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=colour,
        tooltip=[alt.Tooltip("who:N"), alt.Tooltip("panel:N"), alt.Tooltip("year:Q"),
                 alt.Tooltip("share:Q", format=".1%")],
    )
    facet = len(panels) > 1
    layered = alt.layer(band, lines, data=alt.Data(values=data)).properties(
        width=width if not facet else 300, height=height if not facet else 170)
    if facet:
        chart = layered.facet(facet=alt.Facet("panel:N", title=None, sort=panels), columns=2, title=title)
    else:
        chart = layered.properties(title=title)
    return _base_config(chart)


# ------------------------------------------------------------------------------------------- seasons
def seasons_chart(table: Any, *, title: str | None = None, width: int | None = None, height: int = 220) -> Any:
    """A series' seasons as stacked bars: episodes by their director's gender, unknown in grey.

    Columns: ``season``, ``women``, ``men``, ``nonbinary``, ``unknown``, ``total`` (one row per season,
    as ``crewparity series`` returns). Each bar is labelled "women of total".
    """
    rows = records(table)
    name = next((r.get("series") for r in rows if r.get("series")), None)
    title = title or (f"{name}: episodes by director gender" if name else "Episodes by director gender")
    if not rows:
        return _base_config(_empty(title))
    _need(rows, ["season", "women", "men", "total"], "seasons")
    data = []
    labels = []
    for r in rows:
        season = "?" if r.get("season") is None else str(r["season"])
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
    return _base_config(alt.layer(bars, text).properties(width=w, height=height, title=title))


# -------------------------------------------------------------------------------------- distribution
def distribution_chart(table: Any, *, title: str = "How many women a title employs in these roles",
                       width: int = 480, height: int = 220) -> Any:
    """Titles by the number of women credited (0, 1, 2, 3-5, 6-9, 10+), labelled with the share of titles.

    Accepts the distribution table of the metrics layer: a bucket column (``women_per_title``, or
    ``bucket``), ``titles``, optionally ``share_of_titles`` and ``titles_with_unknown``, and a ``year``
    grouping. Titles in a bucket where someone's gender is unknown (so the true count of women may be
    higher) are drawn as their own grey part of the bar, never dropped.
    """
    rows = records(table)
    if not rows:
        return _base_config(_empty(title))
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
        y=alt.Y("titles:Q", title="titles", stack="zero"),
        color=alt.Color("part:N", title=None, sort=parts,
                        scale=alt.Scale(domain=parts, range=[OKABE_ITO[1], GENDER_COLOURS["unknown"]])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("bucket:N", title="women"), alt.Tooltip("part:N"), alt.Tooltip("titles:Q")],
    )
    text = alt.Chart(alt.Data(values=labels)).mark_text(dy=-7, fontSize=11).encode(
        x, y="titles:Q", text=alt.Text("share:Q", format=".0%"))
    return _base_config(alt.layer(bars, text).properties(width=width, height=height, title=title))


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


def inline_svg(chart: Any) -> str:
    """SVG ready to embed in an HTML page: without the XML prolog, scaled by CSS, labelled for screen readers."""
    svg = render_svg(chart)
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    return svg.replace("<svg ", '<svg role="img" style="max-width:100%;height:auto" ', 1)


def save(chart: Any, path: str | Path) -> Path:
    """Write ``chart`` to ``path``; the suffix (.svg or .png) chooses the format."""
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ArgumentError(f"chart output must end in .svg or .png, got {p.name!r}")
    check_output(p, "the chart output", "chart.svg")
    if fmt == "svg":
        p.write_text(render_svg(chart), encoding="utf-8")
    else:
        p.write_bytes(render_png(chart))
    return p


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Render one tiny chart so the embedded Vega engine starts before the first real request (~0.7 s)."""
    render_svg(alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q"))
