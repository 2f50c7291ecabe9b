"""A series' seasons as stacked bars, written straight as SVG markup for the dashboard's series page.

Why not Altair here: rendering one chart through vl-convert takes 60-90 ms even warmed up, most of the
series page's 100 ms budget, and a page per show cannot be rendered ahead. This chart is simple (one stacked
bar per season, labelled "women of total"), so it is drawn directly in well under a millisecond, with the same
colours, order and labels as :func:`crewparity.report.charts.seasons_chart`, which the report keeps using
(it also exports PNG). Every text is escaped: series names come from the data.
"""

from __future__ import annotations

from html import escape
from typing import Any

from crewparity.output import NO_SEASON
from crewparity.report.charts import FONT, GENDER_COLOURS, GENDER_ORDER, records

_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 110, 34, 36
#: the width of one character of the title (bold, 13 px) to leave room for, generously
_TITLE_CHAR = 8.0


def _num(v: Any) -> float:
    return float(v or 0)


def _ticks(top: float) -> list[float]:
    """Four or five round tick values from 0 to at least ``top``."""
    step = 1.0
    for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        step = float(s)
        if top / s <= 5:
            break
    n = int(top // step) + 1
    return [i * step for i in range(n + 1)]


def seasons_svg(table: Any, *, title: str | None = None, height: int = 220) -> str:
    """Inline SVG of the seasons table (``season``, ``women``, ``men``, ``nonbinary``, ``unknown``, ``total``)."""
    rows = records(table)
    name = next((r.get("series") for r in rows if r.get("series")), None)
    title = title or (f"{name}: episodes by director gender" if name else "Episodes by director gender")
    seasons = [NO_SEASON if r.get("season") is None else str(r["season"]) for r in rows]
    width = max(220, min(760, 70 * max(len(rows), 1)))
    tops = [max(_num(r.get("total")), sum(_num(r.get(g)) for g in GENDER_ORDER)) for r in rows]
    ticks = _ticks(max(tops, default=1.0) * 1.15 or 1.0)
    ymax = ticks[-1] or 1.0
    # wide enough for the title (bold 13 px: under 8 px a character): with two seasons the plot is 220 px and a
    # series' name was cut off at the edge ("Marvel's Jessica Jones: episodes by director g")
    full_w = max(_LEFT + width + _RIGHT, _LEFT + round(len(title) * _TITLE_CHAR) + 8)
    full_h = _TOP + height + _BOTTOM

    def y(v: float) -> float:
        return _TOP + height - v / ymax * height

    out = [f'<svg role="img" style="max-width:100%;height:auto" xmlns="http://www.w3.org/2000/svg" '
           f'width="{full_w}" height="{full_h}" viewBox="0 0 {full_w} {full_h}" font-family="{escape(FONT)}">',
           f"<title>{escape(title)}</title>",
           f'<rect width="{full_w}" height="{full_h}" fill="white"/>',
           f'<text x="{_LEFT}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + width}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
                   f'<text x="{_LEFT - 6}" y="{y(t) + 4:.1f}" font-size="10" text-anchor="end">{t:g}</text>')
    out.append(f'<text transform="translate(12 {_TOP + height / 2:.0f}) rotate(-90)" font-size="11" '
               'text-anchor="middle">episodes</text>')
    slot = width / max(len(rows), 1)
    bar = min(48.0, slot * 0.7)
    for i, (r, season) in enumerate(zip(rows, seasons, strict=True)):
        x = _LEFT + i * slot + (slot - bar) / 2
        base = 0.0
        for g in GENDER_ORDER:
            v = _num(r.get(g))
            if v > 0:
                out.append(f'<rect x="{x:.1f}" y="{y(base + v):.1f}" width="{bar:.1f}" height="{v / ymax * height:.1f}"'
                           f' fill="{GENDER_COLOURS[g]}"><title>season {escape(season)}: {v:g} {g}</title></rect>')
            base += v
        cx = x + bar / 2
        label = f"{_num(r.get('women')):g} of {_num(r.get('total')):g}"
        out.append(f'<text x="{cx:.1f}" y="{y(tops[i]) - 5:.1f}" font-size="11" text-anchor="middle" '
                   f'fill="#222222">{escape(label)}</text>'
                   f'<text x="{cx:.1f}" y="{_TOP + height + 16}" font-size="10" text-anchor="middle">'
                   f"{escape(season)}</text>")
    out.append(f'<text x="{_LEFT + width / 2:.0f}" y="{full_h - 4}" font-size="11" text-anchor="middle">season</text>')
    lx = _LEFT + width + 16
    out.append(f'<text x="{lx}" y="{_TOP + 8}" font-size="11" font-weight="bold">director</text>')
    for j, g in enumerate(GENDER_ORDER):
        ly = _TOP + 22 + 16 * j
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{GENDER_COLOURS[g]}"/>'
                   f'<text x="{lx + 15}" y="{ly}" font-size="11">{g}</text>')
    if not rows:
        out.append(f'<text x="{_LEFT + width / 2:.0f}" y="{_TOP + height / 2:.0f}" font-size="12" '
                   'text-anchor="middle">no episodes</text>')
    out.append("</svg>")
    return "".join(out)
