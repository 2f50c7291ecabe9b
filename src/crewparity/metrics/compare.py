"""Published study figures beside crewparity's estimate for the same roles, years and the closest sample.

The published figures ship as package data (``data/studies/published_study_figures.csv``, with the source of
each row) and are always labelled as the study's own. crewparity's figure uses the study's role set and the
sample of ``data/roles.toml`` (e.g. the Celluloid Ceiling: the 250 movies of each year with the most IMDb votes,
six key roles, distinct people). The samples differ — votes are not box office, IMDb credits are not the
studies' hand-checked credits — so every row carries a caveat, and the difference is a comparison, not an
error of either side. A TV season (``2016-17``) is compared with the calendar year it starts in (2016) or, with
``season_year="end"``, the one it ends in (2017); a study whose periods are plain years is unaffected.
Each row names its estimator (``estimate``, see :func:`compare`), the roles its figure counts (``role`` and
``crewparity_sample``) and the sample's size that year (``titles``: the titles, or for the DGA the episodes);
``difference`` is crewparity minus published; ``small`` flags a row whose figure of ours rests on fewer than
the small-group threshold of ``crewparity share`` (:func:`crewparity.metrics.roles.small_group_threshold`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from crewparity.errors import ArgumentError
from crewparity.gender.resolve import estimate_calibration
from crewparity.metrics.derived import evidence_sql, pilot_or_special_expr
from crewparity.metrics.distribution import no_woman_by_role
from crewparity.metrics.estimates import add_estimates
from crewparity.metrics.roles import CREW_ROLES, Study, small_group_threshold, study
from crewparity.metrics.samples import check_years, excluded_series_sql, in_list, top_sample_sizes
from crewparity.metrics.share import counts_sql, share
from crewparity.store import Store

COMPARE_SCHEMA = pa.schema([
    ("study", pa.string()), ("period", pa.string()), ("year", pa.int64()), ("role", pa.string()),
    ("metric", pa.string()), ("published", pa.float64()), ("published_sample", pa.string()),
    ("published_source", pa.string()), ("crewparity", pa.float64()), ("estimate", pa.string()),
    ("ci_low", pa.float64()), ("ci_high", pa.float64()), ("share_if_unknown_men", pa.float64()),
    ("share_if_unknown_women", pa.float64()), ("counted", pa.int64()), ("titles", pa.int64()),
    ("titles_with_role", pa.int64()), ("no_credit", pa.int64()), ("uncertain", pa.int64()),
    ("crewparity_sample", pa.string()),
    ("difference", pa.float64()), ("small", pa.bool_()), ("caveat", pa.string()),
])
COMPARE_COLUMNS: tuple[str, ...] = tuple(COMPARE_SCHEMA.names)
#: what ``crewparity`` is for each published metric (the ``estimate`` column; see :func:`compare`)
ESTIMATES: dict[str, str] = {
    "pct_women_of_individuals": "share_expected",
    "pct_episodes_directed_by_women": "share_expected",
    "pct_titles_with_no_woman_in_role": "no_known_woman",
}


#: how to read a comparison table in the report and on the dashboard's compare page (docs/metrics.md at length);
#: :func:`compare_reading` adds what the study's ``titles`` column holds
COMPARE_READING = ("difference = ours minus theirs. estimate names our estimator on each row: share_expected (an "
                   "estimate over the counted people or episodes, unknown genders as missing at random, with its 95% "
                   "interval) or no_known_woman (titles with a credit in the role where no one in it is known to be "
                   "a woman).")


#: how the tables people read (the CLI's table, the report, the dashboard) mark the difference of a ``small`` row
SMALL_MARK = "*"


def is_small(counted: int | None) -> bool:
    """Whether a row's figure of ours rests on too few to quote alone: ``counted`` (the people, episodes or titles
    with a credit in the role it is over) under ``crewparity share``'s small-group threshold (roles.toml's
    ``thresholds.small_group``), none counted included. Why: the demo's DGA row read "+69.0 pts" over 13 episodes
    with nothing saying that 13 episodes are one season of one series, not a finding."""
    return (counted or 0) < small_group_threshold()


def small_words() -> str:
    """What ``small`` means on a comparison row, in the words of every note that explains it (the CLI's caption,
    an export's description, the report, the dashboard)."""
    return (f"small = fewer than {small_group_threshold()} counted on our side (the people, episodes or titles in "
            "counted): our figure, and so the difference from theirs, rests on too few to quote as a finding; "
            "read with care")


def small_note() -> str:
    """The note under a comparison table whose small rows' differences carry :data:`SMALL_MARK`."""
    return f"{SMALL_MARK} after a difference: a small row. {small_words()}."


def marked_difference(difference: float | None, small: bool | None) -> str:
    """A row's difference as the tables show it ("+69.0 pts"), followed by :data:`SMALL_MARK` on a ``small`` row
    ("+69.0 pts *"); "" for none."""
    from crewparity.output import format_cell

    text = format_cell(difference, "difference")
    return f"{text} {SMALL_MARK}" if text and small else text


def small_sample_clause(rows: Iterable[dict[str, Any]],
                        group: Callable[[dict[str, Any]], str] | None = None) -> str | None:
    """The rows with a figure of ours that are ``small``, as one line for a chart's subtitle (a chart travels
    without the table that flags them), or None. Rows of one figure name each year with its count: "Small
    samples, read with care: ours counts fewer than 30 in 2015 (13 episodes), 2018 (13 episodes); a difference
    there is not a finding." Rows of several figures (``group``: a row's figure in words, e.g. a chart's panel;
    by default its role) name the years per figure: "Small samples, read with care (ours counts fewer than 30
    there; a difference there is not a finding): women's share of directors 1998, 2006, 2016-2019; ...". A row
    without a ``small`` column is judged by its ``counted``."""
    small = [r for r in rows if r.get("crewparity") is not None and r.get("year") is not None
             and (r["small"] if r.get("small") is not None
                  else r.get("counted") is not None and is_small(r["counted"]))]
    if not small:
        return None
    n = small_group_threshold()
    label = group or (lambda r: str(r.get("role") or ""))
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in small:
        groups.setdefault(label(r), []).append(r)
    if len(groups) > 1:
        listed = "; ".join(f"{name} {year_ranges(r['year'] for r in of)}" for name, of in groups.items())
        return (f"Small samples, read with care (ours counts fewer than {n} there; a difference there is not a "
                f"finding): {listed}.")

    def counted(r: dict[str, Any]) -> str:
        k = r.get("counted")
        if k is None:
            return ""
        if r.get("metric") == "pct_episodes_directed_by_women":
            unit = "episode"
        elif r.get("metric") == "pct_titles_with_no_woman_in_role" or r.get("estimate") == "no_known_woman":
            unit = "title"
        else:
            return f" ({k} {'person' if k == 1 else 'people'})"
        return f" ({k} {unit}{'' if k == 1 else 's'})"

    items = [f"{r['year']}{counted(r)}" for r in sorted(small, key=lambda r: r["year"])]
    listed = ", ".join(items[:10]) + (f" and {len(items) - 10} more" if len(items) > 10 else "")
    return f"Small samples, read with care: ours counts fewer than {n} in {listed}; a difference there is not a finding."


def titles_words(st: Study) -> str:
    """What a study's ``titles`` column holds (see :func:`sample_titles`), in words: the titles of a ``top:N``
    sample, the series of an ``all`` sample of people, and the episodes counted of the DGA's (episode unit)."""
    if st.unit == "episodes":
        return ("titles: the episodes counted that year (aired, with a director credit, pilots and specials left "
                "out), the same number as counted")
    if (n := top_n(st)) is not None:
        return (f"titles: the titles in our sample that year (the {n} with the most IMDb votes, fewer when the store "
                "has fewer)")
    return f"titles: the {'/'.join(st.kinds)} titles in our sample with a credit in the study's roles that year"


def compare_reading(st: Study) -> str:
    """How to read a study's comparison table: :data:`COMPARE_READING` and what its ``titles`` column holds."""
    return f"{COMPARE_READING} {titles_words(st)}."


def studies_path() -> Path:
    return Path(str(resources.files("crewparity") / "data" / "studies" / "published_study_figures.csv"))


def published_figures(study_key: str | None = None) -> pa.Table:
    """The published figures (all text columns except ``value``, a percent), optionally of one study."""
    opts = pacsv.ConvertOptions(column_types={"value": pa.float64()}, strings_can_be_null=False)
    table = pacsv.read_csv(studies_path(), convert_options=opts)
    if study_key is not None:
        table = table.filter(pc.equal(table["study"], study_key))
    return table


#: which calendar year a TV season ("2016-17") is compared with: the one it starts in or the one it ends in
SEASON_YEARS = ("start", "end")


def check_season_year(season_year: str) -> str:
    if season_year not in SEASON_YEARS:
        raise ArgumentError(f"unknown --season-year {season_year!r}; allowed: {', '.join(SEASON_YEARS)}")
    return season_year


def _year(period: str, season_year: str = "start") -> int | None:
    """The calendar year a period is compared with: a plain year ("2016") is itself; a TV season ("2016-17",
    "1999-00", "2016-2017") is the year it starts in, or with ``season_year="end"`` the year it ends in."""
    m = re.match(r"^\s*(\d{4})(?:\s*[-\u2013/]\s*(\d{4}|\d{2})(?!\d))?", period)
    if not m:
        return None
    start, end = int(m.group(1)), m.group(2)
    if season_year != "end" or not end:
        return start
    if len(end) == 4:
        return int(end)
    year = start // 100 * 100 + int(end)
    return year if year > start else year + 100  # "1999-00" ends in 2000


def published_years(study_key: str, season_year: str = "start") -> tuple[int, int] | None:
    """The first and last year a study's shipped figures cover (a TV season counts by the year ``season_year``
    names), or None when none are shipped: what an empty comparison tells the user to ask for instead."""
    years = [y for p in published_figures(study_key)["period"].to_pylist()
             if (y := _year(p, season_year)) is not None]
    return (min(years), max(years)) if years else None


def no_figures(study_key: str, season_year: str = "start") -> str:
    """Why a comparison has no row, as one line (the CLI's note, the dashboard's page): no published figure of the
    study falls in the years asked for, and which years it has."""
    years = published_years(study_key, season_year)
    if years is None:
        return f"no published figures of {study_key} are shipped"
    return (f"no published figures of {study_key} fall in the years asked for; theirs are from {years[0]} to "
            f"{years[1]}")


def exclusion_words(st: Study) -> str:
    """What a study's sample leaves out (roles.toml's ``exclude_genres`` / ``exclude_adult``), in words; "" for
    nothing."""
    parts = []
    if st.exclude_genres:
        genres = list(st.exclude_genres)
        listed = genres[0] if len(genres) == 1 else f"{', '.join(genres[:-1])} or {genres[-1]}"
        parts.append(f"series tagged {listed} on IMDb")
    if st.exclude_adult:
        parts.append("series IMDb marks as adult (isAdult)")
    return " and ".join(parts)


def describe_sample(st: Study, metric: str | None = None, roles: tuple[str, ...] | None = None) -> str:
    """crewparity's sample for a study, in words; for the no-woman ``metric`` its unit, titles (the people
    otherwise). ``roles``: those a row's figure counts (a role of the study's, or its whole set), named; None,
    the study as a whole, whose figures of one role count that role and whose figures of the role set count each
    person once across the set."""
    kinds = "/".join(st.kinds)
    if st.sample.startswith("top:"):
        base = f"top {st.sample[4:]} {kinds} titles per year by IMDb votes"
    else:
        base = f"every {kinds} title in the store"
    if excluded := exclusion_words(st):
        base += f" except {excluded}, with their episodes"
    if st.unit == "episodes":
        return (f"{base}; episodes by the year they aired, pilots and specials excluded; an episode with a woman "
                "director counts")
    if metric == "pct_titles_with_no_woman_in_role":
        role = f" ({', '.join(roles)})" if roles else ""
        return (f"{base}; titles per year, over the titles with a credit in the role{role}, counted when no one "
                "credited in it is known to be a woman; no interval")
    if roles or len(st.roles) == 1:
        return f"{base}; distinct people per year in: {', '.join(roles or st.roles)}"
    return (f"{base}; distinct people per year in the role each figure names, or in all of {', '.join(st.roles)} "
            "at once (a person once across them)")


#: what the caveat says of the no-woman rows (why over the titles with a credit in the role)
NO_WOMAN_CAVEAT = ("our share of titles with no woman in a role is over the titles with a credit in the role (IMDb "
                   "lists few credits in some roles, so a missing credit is missing data, not a role without a "
                   "woman); a title counts when no one in the role is known to be a woman, so someone of unknown "
                   "gender counts as not a woman (share_if_unknown_women counts them as women)")


def study_caveat(st: Study, metrics: set[str] | frozenset[str] = frozenset(), season_year: str = "start") -> str:
    """The caveat of a study's comparison as a whole, for the ``metrics`` shown (each row's ``caveat`` adds
    what is particular to its year: a sample short of the study's N)."""
    return _caveat(st, metrics, season_year=season_year)


def _caveat(st: Study, metrics: set[str] | frozenset[str], titles: int | None = None,
            season_year: str = "start", roles: tuple[str, ...] | None = None) -> str:
    ours = describe_sample(st, next(iter(metrics)) if len(metrics) == 1 else None, roles)
    text = (f"samples differ: theirs is {st.their_sample}; ours is {ours}; "
            "our genders are recorded evidence plus first-name inference")
    if titles is not None and (short := short_sample_clause(st, titles)):
        text += "; " + short
    if st.key in {"boxed_in", "dga_episodic"}:
        text += f"; their TV season is compared with the calendar year it {'ends' if season_year == 'end' else 'starts'} in"
    if "pct_titles_with_no_woman_in_role" in metrics:
        text += "; " + NO_WOMAN_CAVEAT
    return text


#: how a row's caveat starts a clause that holds for its year only (:func:`for_years` names the years instead)
THIS_YEAR = "this year "


def short_sample_clause(st: Study, titles: int) -> str | None:
    """A row's clause for a ``top:N`` study whose sample holds fewer than N titles that year, else None: "no movie
    title" for none (a review found "only 0 movie titles"), "only 1 movie title", "only 40 movie titles"."""
    n = top_n(st)
    if n is None or titles >= n:
        return None
    kinds = "/".join(st.kinds)
    if titles == 0:
        return f"{THIS_YEAR}the store has no {kinds} title with IMDb votes (their sample: {n} titles a year)"
    return (f"{THIS_YEAR}the store has only {titles} {kinds} title{'s' if titles != 1 else ''} with IMDb votes, "
            f"fewer than their {n}")


def year_ranges(years: Iterable[int]) -> str:
    """Years as a short list with runs joined: 1998, 2001, 2005-2006, 2014-2024 (an en dash)."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


def for_years(clause: str, years: Iterable[int | None]) -> str:
    """A clause that several rows' caveats share, said once above them: one said of "this year" names the rows'
    years instead ("in each of the 17 years 1998, 2001, ..."), since above the table it is no one row's year;
    another clause as it is. Why: the dashboard showed "this year the store has only 0 movie titles" once
    above a 17-year table, as if of one year."""
    if not clause.startswith(THIS_YEAR):
        return clause
    ys = sorted({y for y in years if y is not None})
    if not ys:
        return clause
    rest = clause[len(THIS_YEAR):]
    if len(ys) == 1:
        return f"in {ys[0]} {rest}"
    return f"in each of the {len(ys)} years {year_ranges(ys)}, {rest}"


def top_n(st: Study) -> int | None:
    """The N of a study's ``top:N`` sample, None for another sample."""
    return int(st.sample[4:]) if st.sample.startswith("top:") else None


def short_sample_words(table: pa.Table, key: str) -> str | None:
    """The years where a ``top:N`` study's sample holds fewer than N titles (the store has fewer titles with votes),
    as one clause, or None: those rows compare a smaller sample than the study's. ``compare`` notes it on stderr and
    ``chart compare`` (and the report's comparison charts) put it under the subtitle."""
    from crewparity.metrics.roles import study as find_study

    st = find_study(key)
    n = top_n(st)
    if n is None or table.num_rows == 0:
        return None
    short = sorted({(r["year"], r["titles"]) for r in table.select(["year", "titles"]).to_pylist()
                    if r["year"] is not None and r["titles"] < n})
    if not short:
        return None
    listed = ", ".join(f"{y} ({t})" for y, t in short[:10]) + (f" and {len(short) - 10} more" if len(short) > 10 else "")
    return (f"crewparity's sample for {st.key} has fewer than the study's {n} titles in {len(short)} "
            f"year{'s' if len(short) != 1 else ''}: {listed}; the store has no more {'/'.join(st.kinds)} titles with "
            "IMDb votes there")


def command(study_name: str, year_from: int | None, year_to: int | None, season_year: str, db: object) -> str:
    """The CLI line that reproduces a comparison, as the CLI prints it under its table and the dashboard's
    /compare page shows it: one function, so the two cannot drift apart."""
    from crewparity.output import command_line

    return command_line("compare", study_name, ("--from", year_from), ("--to", year_to),
                        ("--season-year", season_year if season_year != "start" else None), ("--db", db))


def excluded_series(st: Study) -> str | None:
    """SQL selecting the ``series_id`` of the series the study's sample leaves out (None: none)."""
    return excluded_series_sql(st.exclude_genres, st.exclude_adult) if st.excludes else None


def sample_titles(store: Store, st: Study, year_from: int | None, year_to: int | None) -> dict[int, int]:
    """Per year, how many titles crewparity's sample for the study holds.

    ``top:N``: the titles ranked (those of the study's kinds with IMDb votes that year, at most N), which is
    fewer than N when the store has fewer. ``all``: the titles with a credit in the study's roles (a series
    counts once, its episodes rolled up), or, for the episode unit, the episodes with a director credit
    (pilots and specials left out) as counted. A year without any title is left out (0).
    """
    n = top_n(st)
    if n is not None:
        return top_sample_sizes(store, n, list(st.kinds), year_from, year_to)
    if st.unit == "episodes":
        return {}  # the episode table's total is the sample (see compare)
    from crewparity.metrics.samples import Sample, scope_cte

    scope, params = scope_cte(list(st.roles), list(st.kinds), year_from, year_to, Sample(), needs=(),
                              exclude_series=excluded_series(st))
    rows = store.rows(f"WITH {scope} SELECT year, count(DISTINCT title_key) FROM scope WHERE year IS NOT NULL "
                      "GROUP BY year", params)
    return {int(y): int(c) for y, c in rows}


def episode_estimates(store: Store, year_from: int | None = None, year_to: int | None = None,
                      kinds: list[str] | tuple[str, ...] | None = None,
                      exclude_series: str | None = None) -> pa.Table:
    """Episodes of every series per year aired (pilots and specials, season 0, left out, as the DGA does), with the
    same estimate as the people shares: columns year + :data:`crewparity.metrics.estimates.SHARE_COLUMNS`.

    ``kinds``: only the episodes of series of these kinds (``series_index``; None: every episode, those whose
    series is not in the store too). ``exclude_series``: SQL selecting the ``series_id`` of series left out
    (:func:`crewparity.metrics.samples.excluded_series_sql`). Both are hash joins against the series' ids
    (0.35M series at full scale), not a look at ``titles`` per episode.

    An episode is a unit, counted as ``codirected="any"`` counts it (:mod:`crewparity.metrics.episodes`: women
    when a director is a woman, then nonbinary, unknown, men), so ``women``/``men``/``unknown``/``share_known``
    are those of ``crewparity series``. Why an estimate, not ``share_known``: ``share_known`` drops the
    episodes whose director's gender is unknown and takes the name model's calls as fact. Here an episode's
    evidence is its directors' (``unit=titles`` in ``share`` does the same for titles): a recorded woman
    decides it; else a director with no information makes it *no information* (missing at random, outside the
    interval's count); else, with a director whose gender rests on the first-name model, it is directed by a
    woman with probability 1 - prod(1 - p_woman) over those directors, binned as the estimator takes it;
    else it is recorded (men, or nonbinary). ``total`` counts every episode with a director credit.
    """
    check_years(year_from, year_to)
    ev = evidence_sql("d")
    pb = "round(1 - product(1 - d.p_woman) FILTER (WHERE d.ev = 'model'), 2)"
    series_filter = ""
    if kinds:
        series_filter += (f"AND e.series_id IN (SELECT series_id FROM series_index WHERE kind IN "
                          f"({in_list(list(kinds))}))")
    if exclude_series:
        series_filter += f" AND e.series_id NOT IN ({exclude_series})"
    cells = f"""
        WITH eps AS (
            SELECT e.title_id, e.year FROM episodes e
            WHERE e.kind = 'tv_episode' AND e.year IS NOT NULL AND e.k IS NOT NULL
              AND NOT {pilot_or_special_expr(store, 'e')}
              AND ($from::INTEGER IS NULL OR e.year >= $from) AND ($to::INTEGER IS NULL OR e.year <= $to)
              {series_filter}
        ),
        d AS (
            SELECT eps.year, eps.title_id, coalesce(d.gender, 'unknown') AS gender, {ev} AS ev, d.p_woman
            FROM eps JOIN episode_directors d ON d.title_id = eps.title_id
        ),
        per_ep AS (
            SELECT d.year, d.title_id,
                   CASE WHEN bool_or(d.gender = 'woman') THEN 'woman' WHEN bool_or(d.gender = 'nonbinary')
                        THEN 'nonbinary' WHEN bool_or(d.gender = 'unknown') THEN 'unknown' ELSE 'man' END AS gender,
                   CASE WHEN bool_or(d.ev = 'rec_woman') THEN 'rec_woman' WHEN bool_or(d.ev = 'noinfo') THEN 'noinfo'
                        WHEN bool_or(d.ev = 'model') THEN 'model'
                        WHEN bool_or(d.ev = 'rec_nonbinary') THEN 'rec_nonbinary' ELSE 'rec_man' END AS ev,
                   {pb} AS pb
            FROM d GROUP BY d.year, d.title_id
        ),
        cells AS (
            SELECT year, gender, ev, CASE WHEN ev = 'model' THEN pb END AS pb, count(*) AS n
            FROM per_ep GROUP BY ALL
        )"""
    raw = store.arrow(cells + counts_sql(["year"]), {"from": year_from, "to": year_to})
    return add_estimates(raw, ["year"], calibration=estimate_calibration(store))


def compare(store: Store, study_name: str, year_from: int | None = None, year_to: int | None = None,
            season_year: str = "start") -> pa.Table:
    """One row per published figure of the study, beside crewparity's figure (fractions 0-1, not percent).

    Columns: :data:`COMPARE_COLUMNS`. ``estimate`` names what ``crewparity`` is on each row:

    * ``share_expected`` (people shares and the DGA's episodes): the estimate of ``crewparity share`` with its
      95% interval (``ci_low``/``ci_high``) over the ``counted`` people or episodes, those of unknown gender
      included (as missing at random, so the interval rests on the others); the DGA's episodes are estimated
      from their directors' evidence (:func:`episode_estimates`);
    * ``no_known_woman`` (titles with no woman in a role): the share of the ``counted`` titles with a credit in
      the role where no one in it is known to be a woman (recorded, or called by the name model); no interval.

    ``share_if_unknown_men`` / ``share_if_unknown_women``: the figure if every unknown were a man / a woman.
    ``titles``: the titles in crewparity's sample that year (:func:`sample_titles`; fewer than a ``top:N``
    study's N when the store has fewer), for the DGA the episodes counted (:func:`titles_words` says which);
    ``crewparity_sample`` and ``caveat`` name the roles the row counts (its role, or the study's set);
    ``titles_with_role``, ``no_credit`` (the titles of the sample without a credit in the role, in no figure:
    ``titles`` - ``titles_with_role``) and ``uncertain`` (of the titles with no known woman, those with someone
    of unknown gender in the role) on the no-woman rows, the same counts as ``distribution --part roles`` gives
    for the sample (:func:`crewparity.metrics.distribution.no_woman_by_role`). ``difference`` is
    crewparity minus published. ``small`` (:func:`is_small`): ``counted`` is under ``crewparity share``'s
    small-group threshold (30), none counted included, so the figure and its difference are not to be quoted
    alone. ``crewparity`` is null where the store has nothing for that year.

    ``season_year``: a TV season (Boxed In, the DGA: ``2016-17``) is compared with the calendar year it
    starts in (``"start"``, 2016) or ends in (``"end"``, 2017); ``year`` is that year, and ``year_from`` /
    ``year_to`` select by it. Plain-year periods (the Celluloid Ceiling, USC) are the same either way.
    """
    st = study(study_name)
    check_years(year_from, year_to)
    check_season_year(season_year)
    rows = [r for r in published_figures(st.key).to_pylist()
            if (y := _year(r["period"], season_year)) is not None
            and (year_from is None or y >= year_from) and (year_to is None or y <= year_to)]
    years = [_year(r["period"], season_year) for r in rows]
    lo = min((y for y in years if y is not None), default=None)
    hi = max((y for y in years if y is not None), default=None)
    ours: dict[tuple[str, int | None, str], dict[str, Any]] = {}
    metrics = {r["metric"] for r in rows}
    set_key = st.roles[0] if len(st.roles) == 1 else "set"
    excluded = excluded_series(st) if rows else None

    def estimated(r: dict[str, Any]) -> dict[str, Any]:
        return {"value": r["share_expected"], "estimate": "share_expected", "lo": r["ci_low"], "hi": r["ci_high"],
                "if_men": r["share_if_unknown_men"], "if_women": r["share_if_unknown_women"], "n": r["total"]}

    if rows and "pct_women_of_individuals" in metrics:
        overall = share(store, roles=list(st.roles), by="year", kinds=list(st.kinds), year_from=lo, year_to=hi,
                        sample=st.sample, unit="people", exclude_series=excluded)
        for r in overall.to_pylist():
            ours[(set_key, r["year"], "pct_women_of_individuals")] = estimated(r)
        if len(st.roles) > 1:
            per_role = share(store, roles=list(st.roles), by="year,role", kinds=list(st.kinds), year_from=lo,
                             year_to=hi, sample=st.sample, unit="people", exclude_series=excluded)
            for r in per_role.to_pylist():
                ours[(r["role"], r["year"], "pct_women_of_individuals")] = estimated(r)
    if rows and "pct_titles_with_no_woman_in_role" in metrics:
        nw = no_woman_by_role(store, roles=list(st.roles), kinds=list(st.kinds), year_from=lo, year_to=hi,
                              sample=st.sample, by="year", exclude_series=excluded)
        for r in nw.to_pylist():
            # the same figures as `distribution --part roles`: no_woman and share_no_woman are over the titles
            # with a credit in the role, no_credit the sample's titles without one
            with_role, no_woman = r["titles_with_role"], r["no_woman"]
            ours[(r["role"], r["year"], "pct_titles_with_no_woman_in_role")] = {
                "value": r["share_no_woman"], "estimate": "no_known_woman",
                "lo": None, "hi": None, "if_men": r["share_no_woman"],
                "if_women": (no_woman - r["uncertain"]) / with_role if with_role else None,
                "n": with_role, "with_role": with_role, "no_credit": r["no_credit"], "uncertain": r["uncertain"]}
    if rows and "pct_episodes_directed_by_women" in metrics:
        for r in episode_estimates(store, lo, hi, kinds=st.kinds, exclude_series=excluded).to_pylist():
            ours[("director", r["year"], "pct_episodes_directed_by_women")] = {**estimated(r), "titles": r["total"]}
    n_titles = sample_titles(store, st, lo, hi) if rows else {}
    out: list[dict[str, Any]] = []
    for r in rows:
        year = _year(r["period"], season_year)
        role_key = r["role"] if r["role"] in CREW_ROLES else set_key
        row_roles = (r["role"],) if r["role"] in CREW_ROLES else st.roles
        mine = ours.get((role_key, year, r["metric"]), {})
        published = r["value"] / 100.0
        value = mine.get("value")
        titles = mine.get("titles", n_titles.get(year, 0) if year is not None else 0)
        no_woman_row = r["metric"] == "pct_titles_with_no_woman_in_role"
        with_role = mine.get("with_role", 0) if no_woman_row else None
        # a year the store has no title of: every title of our (empty) sample is none, so 0
        no_credit = mine.get("no_credit", titles) if no_woman_row else None
        out.append({
            "study": st.key, "period": r["period"], "year": year,
            "role": ",".join(row_roles),
            "metric": r["metric"], "published": published, "published_sample": r["sample"],
            "published_source": r["source"], "crewparity": value,
            "estimate": mine.get("estimate", ESTIMATES[r["metric"]]),
            "ci_low": mine.get("lo"), "ci_high": mine.get("hi"),
            "share_if_unknown_men": mine.get("if_men"), "share_if_unknown_women": mine.get("if_women"),
            "counted": mine.get("n", 0), "titles": titles, "titles_with_role": with_role, "no_credit": no_credit,
            "uncertain": mine.get("uncertain", 0) if with_role is not None else None,
            "crewparity_sample": describe_sample(st, r["metric"], row_roles),
            "difference": (value - published) if value is not None else None,
            "small": is_small(mine.get("n", 0)),
            "caveat": _caveat(st, {r["metric"]}, titles, season_year, row_roles),
        })
    return pa.Table.from_pylist(out, schema=COMPARE_SCHEMA)
