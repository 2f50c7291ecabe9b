"""The figures the overview page and the report's headline share: trend per role and the period's totals.

One module so the dashboard and the report cannot disagree: both call :func:`overview_data` with the same
options and render what it returns. Calls go through the public client (``crewparity.open``) only.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crewparity.errors import ArgumentError
from crewparity.output import format_cell


@dataclass
class Figure:
    """One role's headline figure as words: the big number, its interval, the counts under it and, when there is no
    number, why. Made here so every page that shows a headline says the same thing in the same grammar."""

    role: str
    small: bool
    #: the estimate (share_expected) formatted, or "—" when there is none to show
    value: str
    #: "estimate, 95% interval a–b", or "" when there is no estimate
    interval: str
    #: the counts under the figure in words (:func:`counts_text`)
    counts: str
    #: the shares if every unknown were a man / a woman
    bounds: str
    #: why there is no estimate ("" when there is one)
    note: str
    #: the share row the figure is made from
    row: dict[str, Any] = field(default_factory=dict)


@dataclass
class Overview:
    trend: pa.Table | None
    headline: pa.Table | None
    title: str
    description: str
    roles: str | None
    kind: str | None
    unit: str
    sample: str | None
    year_from: int | None
    year_to: int | None
    #: the headline rows as words (:func:`headline_figures`)
    figures: list[Figure] = field(default_factory=list)
    #: why some cells of the trend table are blank (:func:`trend_note`), "" when none is
    trend_note: str = ""
    #: why nothing matches, in the CLI's words (:func:`crewparity.metrics.empty.reason_of`); None when something does
    empty: str | None = None
    #: the roles asked for with no one in them (:func:`crewparity.metrics.empty.absent_roles`), else None
    absent: str | None = None
    #: why the trend chart has no line although its table has rows (:data:`NO_YEAR`), else None
    no_line: str | None = None
    #: the years in which a ``top:N`` sample holds fewer than N titles, as a sentence
    #: (:func:`crewparity.metrics.samples.short_top_words`), else None: set by the page that shows it
    short_top: str | None = None

    @property
    def draws_trend(self) -> bool:
        """Whether there is a trend chart to draw: not for an empty selection (its reason is said instead) nor
        for one where no title has a year (a chart reading "no data" said nothing of why)."""
        return not self.empty and not self.no_line

    @property
    def line_words(self) -> str:
        """What the trend's lines are, in the unit's words (the legend under the chart, in the report and on the
        dashboard's overview): with titles as the unit a line is the share of titles with a woman, not women's share
        of anyone."""
        return UNIT_LINE_WORDS.get(self.unit, UNIT_LINE_WORDS["people"])

    @property
    def unknown_words(self) -> str:
        """What the trend chart's grey panel is, in the unit's words: its axis title
        (:data:`crewparity.report.charts.TREND_UNKNOWN`), so the legend under the chart says what the chart says."""
        from crewparity.report.charts import TREND_UNKNOWN

        return TREND_UNKNOWN.get(self.unit, TREND_UNKNOWN["people"])

    @property
    def estimate_header(self) -> str:
        """The Markdown headline's estimate column, in the unit's words (the HTML's cards say it in their counts)."""
        return UNIT_ESTIMATE_HEADERS.get(self.unit, UNIT_ESTIMATE_HEADERS["people"])

    @property
    def counts_words(self) -> str:
        """What the Markdown headline's women / men / nonbinary / unknown columns count, when not people ("")."""
        from crewparity.metrics.unit_words import counts_sentence

        return counts_sentence(self.unit)


#: the trend's lines and the Markdown headline's estimate column, per unit (what the counts count:
#: :mod:`crewparity.metrics.unit_words`)
UNIT_LINE_WORDS = {"people": "women's estimated share of the people",
                   "credits": "women's estimated share of the credits",
                   "titles": "the estimated share of titles with at least one woman in the role"}
UNIT_ESTIMATE_HEADERS = {"people": "women's share (estimate)",
                         "credits": "women's share of the credits (estimate)",
                         "titles": "titles with a woman (estimate)"}


#: why the overview's chart has no line although its table has rows: no title of the selection has a year
NO_YEAR = ("no title in this selection has a year in the store, so there is no line to draw; the table counts "
           "them under \"(no year)\"")


def sentence(text: str | None) -> str:
    """A one-line reason (the CLI's note, lower case, no full stop) as a sentence on a page or in the report."""
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def overview_notes(trend: pa.Table | None, headline: pa.Table | None,
                   roles: str | None) -> tuple[str | None, str | None, str | None]:
    """What the overview says instead of (or beside) empty figures, in the CLI's words: why nothing matches
    (:func:`crewparity.metrics.empty.reason_of`), which roles asked for have no one (the CLI's note under
    ``share --by role``), and why the chart has no line when no title has a year: ``(empty, absent, no_line)``.

    Why: an empty selection showed an empty chart and "no rows for this selection" (the report: "No credits match
    this selection.") with no reason, where the CLI says what the store lacks (its years, the kind, the role, the
    vote counts a top:N sample ranks by). Made here so the dashboard's overview and the report say the same."""
    from crewparity.metrics.empty import NO_CREDITS, absent_roles, reason_of

    empty = None
    if all(t is None or t.num_rows == 0 for t in (trend, headline)):
        empty = reason_of(trend, headline) or NO_CREDITS
    absent = None
    if headline is not None and headline.num_rows and "role" in headline.column_names:
        absent = absent_roles(roles, set(headline["role"].to_pylist()))
    no_line = None
    if trend is not None and trend.num_rows and "year" in trend.column_names \
            and not any(y is not None for y in trend["year"].to_pylist()):
        no_line = NO_YEAR
    return empty, absent, no_line


def plural(n: int, one: str, many: str) -> str:
    """``1 woman``, ``2 women``, ``0 people``, ``1,234 credits``."""
    return f"{n:,} {one if n == 1 else many}"


def _known(row: Mapping[str, Any]) -> int:
    return sum(int(row.get(k) or 0) for k in ("women", "men", "nonbinary"))


def counts_text(row: Mapping[str, Any], unit: str) -> str:
    """The counts under a headline figure, in the unit's words: people, credits, or titles with a woman in the
    role. Counts of one are singular ("1 woman, of the 1 person"), and a group in which nobody's gender is known
    says so rather than "0 women, of the 0 people ... (—)"."""
    role, women, unknown, known = row.get("role"), int(row.get("women") or 0), int(row.get("unknown") or 0), _known(row)
    share = format_cell(row.get("share_known"), "share_known") or "—"
    if unit == "titles":
        head = (f"{plural(women, 'title', 'titles')} with a woman in the role, of the "
                f"{plural(known, 'title', 'titles')} where that is known ({share})" if known else
                "no title where it is known whether a woman held the role, so no share among titles whose outcome is known")
        tail = f"{unknown:,} with no woman known but someone of unknown gender"
    elif unit == "credits":
        head = (f"{plural(women, 'credit', 'credits')} held by {'a woman' if women == 1 else 'women'}, of the "
                f"{plural(known, 'credit', 'credits')} whose holder's gender is known ({share})" if known else
                "no credit held by someone whose gender is known, so no share among known genders")
        tail = f"{plural(unknown, 'credit', 'credits')} held by someone of unknown gender"
    else:
        head = (f"{plural(women, 'woman', 'women')}, of the {plural(known, 'person', 'people')} whose gender is "
                f"known ({share})" if known else "no one whose gender is known, so no share among known genders")
        tail = f"{plural(unknown, 'person', 'people')} of unknown gender"
    return f"{role}: {head}; {tail}"


#: per unit, what "women + men + nonbinary = 0" means for the things counted ``{where}`` (here, there): with titles it
#: is no statement about people (a title with a man known and someone unknown, and no woman known, is such a title)
NOTHING_KNOWN = {
    "people": "nobody counted {where} has a known gender",
    "credits": "no credit counted {where} is held by someone whose gender is known",
    "titles": "no title counted {where} is known to have a woman in the role or to have none",
}
#: with titles, why no title's outcome is known
EACH_TITLE_UNKNOWN = "each has someone of unknown gender and no woman known"
#: per unit, what there is no share among when nothing counted is known (the trend chart's TREND_KNOWN)
NO_SHARE_AMONG = {"titles": "titles whose outcome is known"}


def nothing_known(unit: str, where: str) -> str:
    """"nobody counted here has a known gender", in the unit's words (:data:`NOTHING_KNOWN`)."""
    return NOTHING_KNOWN.get(unit, NOTHING_KNOWN["people"]).format(where=where)


def nothing_known_note(row: Mapping[str, Any], unit: str) -> str:
    """Why a headline figure shows no number: nothing counted in it is known (nobody's gender; with titles, no
    title's outcome). For people, how many of them the first-name model abstained on (the row's ``inferred``) and
    how many had no evidence at all."""
    why = "the name model abstained or there was no evidence"
    if unit == "people" and row.get("inferred") is not None:
        abstained, unknown = int(row.get("inferred") or 0), int(row.get("unknown") or 0)
        parts = ([f"the first-name model abstained on {plural(abstained, 'name', 'names')}"] if abstained else []) + (
            [f"{plural(unknown - abstained, 'person', 'people')} had no evidence at all"] if unknown > abstained
            else [])
        why = "; ".join(parts) or why
    if unit == "titles":
        because = f": {EACH_TITLE_UNKNOWN.replace('unknown gender', f'unknown gender ({why})')}"
    else:
        because = f", recorded or inferred from a first name ({why})"
    return (f"No estimate: {nothing_known(unit, 'here')}{because}, "
            "so a share would rest on nothing known. The bounds below are all the counts can say.")


#: said under a headline estimate that lies outside the counts' bounds, which would otherwise read as a range it
#: should lie in (docs/metrics.md: the bounds are on the counts, not on share_expected)
OUTSIDE_BOUNDS = ("the estimate lies outside these, as they count each first-name-model call as made, while the "
                  "estimate weighs it by its probability (see Method); its 95% interval is the range to quote")


def bounds_text(row: Mapping[str, Any], shown: bool = True) -> str:
    """The shares if every unknown were a man / a woman, under a headline figure; when the estimate shown above
    them lies outside them (as shown, to 0.1%), why (:data:`OUTSIDE_BOUNDS`).

    Why: the editors of the demo store read "52.4%" over "if every unknown were a man 52.9%, a woman 64.7%",
    a range the big number is not in, with nothing on the page to say that both are right."""
    low, high, estimate = (row.get(k) for k in ("share_if_unknown_men", "share_if_unknown_women", "share_expected"))
    text = (f"if every unknown were a man {format_cell(low, 'share_if_unknown_men')}"
            f", a woman {format_cell(high, 'share_if_unknown_women')}")
    if shown and estimate is not None and low is not None and high is not None \
            and not round(low, 3) <= round(estimate, 3) <= round(high, 3):
        text += f"; {OUTSIDE_BOUNDS}"
    return text


def headline_figures(headline: pa.Table | None, unit: str) -> list[Figure]:
    """Each headline row as a :class:`Figure`. A row in which nobody's gender is known gets no number: its
    ``share_expected`` would be the name model's probabilities for names it abstained on (or nothing), not a
    share of anyone known, and a big number over a single unknown person reads as a finding."""
    figures = []
    for row in headline.to_pylist() if headline is not None else []:
        known = _known(row)
        estimate = row.get("share_expected")
        shown = known > 0 and estimate is not None
        figures.append(Figure(
            role=str(row.get("role")), small=bool(row.get("small")),
            value=format_cell(estimate, "share_expected") if shown else "—",
            interval=(f"estimate, 95% interval {format_cell(row.get('ci_low'), 'ci_low')}–"
                      f"{format_cell(row.get('ci_high'), 'ci_high')}" if shown else ""),
            counts=counts_text(row, unit),
            bounds=bounds_text(row, shown),
            note="" if shown else nothing_known_note(row, unit), row=row))
    return figures


def trend_note(trend: pa.Table | None, unit: str = "people") -> str:
    """Why ``share_known`` is blank in some rows of the year-by-year table (nothing counted there is known, in the
    unit's words: :func:`nothing_known`), and what their ``share_expected`` then rests on; "" when every row has
    something known."""
    rows = [r for r in (trend.to_pylist() if trend is not None else []) if "women" in r and not _known(r)]
    if not rows:
        return ""
    among = NO_SHARE_AMONG.get(unit, "known genders")
    text = (f"share_known is blank in {plural(len(rows), 'row', 'rows')}: {nothing_known(unit, 'there')} "
            f"(women + men + nonbinary = 0{': ' + EACH_TITLE_UNKNOWN if unit == 'titles' else ''}), so there is no "
            f"share among {among}.")
    if guessed := sum(1 for r in rows if r.get("share_expected") is not None):
        basis = "a title known to have a woman or none" if unit == "titles" else "anyone whose gender is known"
        text += (f" The share_expected of {'that row' if guessed == 1 else f'those {guessed:,} rows'} rests only on "
                 f"the first-name model's probabilities for names on which it abstained, not on {basis}: read it "
                 "as no figure.")
    return text


def call_share(cp: Any, *, roles: str | None = None, by: str | None = None, kind: str | None = None,
               year_from: int | None = None, year_to: int | None = None, sample: str | None = None,
               unit: str | None = None) -> pa.Table:
    """``cp.share(...)`` with the options it accepts (``kind`` or ``kinds``), None meaning "the default"."""
    share = getattr(cp, "share", None)
    if share is None:
        raise ArgumentError("this crewparity has no share metric")
    accepted = set(inspect.signature(share).parameters)
    kwargs: dict[str, Any] = {"roles": roles, "by": by, "year_from": year_from, "year_to": year_to,
                              "sample": sample, "unit": unit}
    kwargs["kinds" if "kinds" in accepted and "kind" not in accepted else "kind"] = kind
    return share(**{k: v for k, v in kwargs.items() if v is not None})


def _in_role_order(table: pa.Table, roles: str | None) -> pa.Table:
    """Rows in the order the roles were asked for (key roles: director first), not alphabetical."""
    if "role" not in table.column_names or table.num_rows == 0:
        return table
    from crewparity.metrics.roles import parse_roles

    order = {r: i for i, r in enumerate(parse_roles(roles))}
    ranks = [order.get(r, len(order)) for r in table["role"].to_pylist()]
    return table.take(sorted(range(table.num_rows), key=lambda i: ranks[i]))


def describe(*, roles: str | None, kind: str | None, unit: str, sample: str | None, year_from: int | None,
             year_to: int | None, years_seen: Iterable[Any] = ()) -> str:
    """One sentence saying exactly what a figure counts (unit, sample, kinds, years). ``years_seen``: the years
    the figures cover, which name the period when no --from/--to does (a headline pooled over every year of the
    store said no years at all)."""
    who = roles.replace(",", ", ") if roles else "the key roles (director, writer, producer, executive producer, " \
                                                 "editor, cinematographer)"
    what = kind.replace(",", ", ") if kind else "every kind of title"
    from crewparity.report.charts import years_words

    seen = [y for y in years_seen if y is not None]
    years = ""   # (nothing asked and nothing seen: no years named)
    if year_from is not None or year_to is not None or seen:
        years = ", " + years_words(year_from, year_to, seen, dash="–")
    smp = {None: "all titles", "all": "all titles"}.get(sample, f"sample {sample}")
    if sample and sample.startswith("top:"):
        smp = f"the {sample[4:]} titles of each year with the most IMDb votes"
    elif sample and sample.strip().lower().startswith("list:"):
        # the charts' words for a list ("the titles listed in films.txt", "the titles of a list read from standard
        # input"), not the option as typed: "sample list:/dev/stdin" named a path that means nothing once read
        from crewparity.report.charts import sample_words

        smp = sample_words(sample).removeprefix("sample: ")
    return f"Unit: {unit}. Roles: {who}. Titles: {what}, {smp}{years}."


def overview_data(cp: Any, *, roles: str | None = None, kind: str | None = "movie", year_from: int | None = None,
                  year_to: int | None = None, sample: str | None = None, unit: str | None = "people") -> Overview:
    """The trend (share by year and role) and the headline (share by role over the whole period)."""
    unit = unit or "people"
    trend = call_share(cp, roles=roles, by="year,role", kind=kind, year_from=year_from, year_to=year_to,
                       sample=sample, unit=unit)
    headline = call_share(cp, roles=roles, by="role", kind=kind, year_from=year_from, year_to=year_to,
                          sample=sample, unit=unit)
    headline = _in_role_order(headline, roles)
    # the titles unit is no share of people: a title counts once, as having a woman in the roles or not
    measure = {"titles": "Share of titles with at least one woman, by role",
               "credits": "Women's share of the credits, by role"}.get(unit, "Women's share by role")
    title = f"{measure}: estimate and 95% band (unit: {unit})"
    empty, absent, no_line = overview_notes(trend, headline, roles)
    return Overview(trend=trend, headline=headline, title=title,
                    description=describe(roles=roles, kind=kind, unit=unit, sample=sample, year_from=year_from,
                                         year_to=year_to, years_seen=trend.column("year").to_pylist()
                                         if "year" in trend.column_names else ()),
                    roles=roles, kind=kind, unit=unit, sample=sample, year_from=year_from, year_to=year_to,
                    figures=headline_figures(headline, unit), trend_note=trend_note(trend, unit), empty=empty,
                    absent=absent, no_line=no_line)
