"""Which credits a figure counts: roles, kinds, years and the title sample, as one SQL CTE named ``scope``.

Episodes roll up to their series: an episode credit counts for its series (title_id, title, kind, genres,
votes) and for the episode's own year, so ``--kind tv_series`` counts the people who made the episodes of
series, in the years the episodes aired.

Samples (DESIGN.md):

* ``all`` — every title that matches the filters;
* ``top:N`` — the N titles of each year with the most IMDb votes (the stand-in for box office), ranked
  among all titles of the chosen kinds and years, before roles are looked at, so the sample is the same for
  every role; titles without a vote count are not ranked;
* ``list:FILE`` — an explicit list of title ids, one per line (``#`` comments; a CSV with a
  ``tconst``/``title_id`` column also works): any id a title in the store can have (:data:`TITLE_ID_FORMS`:
  IMDb's ``tt...``, TMDB's ``tmdb:movie:N`` / ``tmdb:tv:N``, a crew list's ``crew:title:...``, and their
  episodes). An episode id in the list selects that episode only. The file is read once, so a pipe works:
  ``--sample list:-`` (standard input, as most command-line tools spell it), ``list:/dev/stdin`` or
  ``--sample list:<(...)``. Listed ids the store lacks are counted and named
  (:func:`unlisted_warning`), not silently dropped.
"""

from __future__ import annotations

import csv
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crewparity.errors import ArgumentError, InputError, not_utf8
from crewparity.metrics.roles import list_items, parse_roles
from crewparity.store import Store

#: IMDb title types, snake_case as the store keeps them.
KINDS: tuple[str, ...] = ("movie", "short", "tv_series", "tv_mini_series", "tv_episode", "tv_movie", "tv_special",
                          "tv_short", "tv_pilot", "video", "video_game")
SERIES_KINDS: tuple[str, ...] = ("tv_series", "tv_mini_series")
#: the kinds ``--kind`` takes: every kind but ``tv_episode``, since an episode's credits count under its series
#: (KINDS itself stays whole: it is the stored order of the kind masks, see ``derived.MASK_KINDS``)
SCOPE_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "tv_episode")
SAMPLE_FORMS = "all, top:N (N titles per year by votes) or list:FILE (a file of title ids)"
#: every form of id a title in the store can have, by the source that gives it: IMDb (and the synthetic dumps),
#: the demo data, TMDB (a title with no IMDb id; an episode ``tmdb:tv:N:s1e3``) and a crew list (an episode
#: ``crew:title:<hex>:s1e3``; see :mod:`crewparity.sources.crewlist` and :mod:`crewparity.sources.tmdb`)
_TITLE_ID = re.compile(r"^(tt\d+|demo:\S+|tmdb:(movie:\d+|tv:\d+(:s\d+e\d+)?)|crew:title:[0-9a-f]{12}(:s\d+e\d+)?)$")
#: the forms, for a message
TITLE_ID_FORMS = ("IMDb tt0111161, TMDB tmdb:movie:496243 or tmdb:tv:60573, a crew list's "
                  "crew:title:0123456789ab")
#: how many of the listed ids the store lacks a warning names
UNLISTED_SHOWN = 5


@dataclass(frozen=True)
class Sample:
    """A parsed ``--sample``: ``all``, ``top`` with ``n``, or ``list`` with the title ids read from ``path``."""

    form: str = "all"
    n: int = 0
    path: str | None = None
    ids: tuple[str, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        if self.form == "top":
            return f"top:{self.n}"
        if self.form == "list":
            return f"list:{self.path}"
        return "all"


def parse_sample(text: str | Sample | None) -> Sample:
    """``all`` | ``top:N`` | ``list:FILE`` -> :class:`Sample`; a bad value names the allowed forms."""
    if isinstance(text, Sample):
        return text
    if text is None or text.strip().lower() in {"", "all"}:
        return Sample()
    form, _, arg = text.strip().partition(":")
    form = form.lower()
    if form == "top":
        if not arg.strip().isdigit() or int(arg) < 1:
            raise ArgumentError(f"bad --sample {text!r}: top:N needs a whole number N >= 1; allowed: {SAMPLE_FORMS}")
        return Sample(form="top", n=int(arg))
    if form == "list":
        if not arg.strip():
            raise ArgumentError(f"bad --sample {text!r}: list:FILE needs a file; allowed: {SAMPLE_FORMS}")
        return Sample(form="list", path=arg.strip(), ids=read_id_list(Path(arg.strip())))
    raise ArgumentError(f"unknown --sample {text!r}; allowed: {SAMPLE_FORMS}")


#: title lists already read in this process, by what the file is (see :func:`read_id_list`)
_READ_LISTS: dict[tuple[int, ...], tuple[str, ...]] = {}
_READ_LISTS_MAX = 16
#: the key of ``list:-`` (standard input) in :data:`_READ_LISTS`: read once per process, as a pipe can only be
_STDIN_KEY: tuple[int, ...] = (-1,)


def _list_key(path: Path) -> tuple[int, ...] | None:
    """What identifies one reading of ``path``: the file (device, inode) and, for a regular file, its size and
    modification time (an edited file is read again); None when it cannot be told."""
    try:
        st = path.stat()
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    return (st.st_dev, st.st_ino)


def read_id_list(path: Path) -> tuple[str, ...]:
    """Title ids from a file: one per line, or a CSV/TSV whose header has ``tconst`` or ``title_id``.

    A file is read once per process: the CLI checks ``--sample`` before it opens the store and the query parses
    it again, and a pipe (``list:/dev/stdin``, ``list:<(...)``) is empty the second time. ``-`` is standard input
    (read from ``sys.stdin``, so it works where there is no ``/dev/stdin``; it said "list file not found: -").
    """
    if str(path) == "-":
        if _STDIN_KEY not in _READ_LISTS:
            _READ_LISTS[_STDIN_KEY] = _parse_id_list(path)
        return _READ_LISTS[_STDIN_KEY]
    if not path.exists():
        raise ArgumentError(f"--sample list file not found: {path}")
    if path.is_dir():
        raise ArgumentError(f"--sample list:FILE needs a file, not a folder: {path}")
    key = _list_key(path)
    if key is not None and key in _READ_LISTS:
        return _READ_LISTS[key]
    ids = _parse_id_list(path)
    if key is not None:
        if len(_READ_LISTS) >= _READ_LISTS_MAX:
            _READ_LISTS.pop(next(iter(_READ_LISTS)))
        _READ_LISTS[key] = ids
    return ids


def _parse_id_list(path: Path) -> tuple[str, ...]:
    where: str | Path = "standard input" if str(path) == "-" else path   # (errors name it, not "-")
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the title list ({exc})", path=where) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(where, "expected a list of title ids saved as UTF-8", data) from None
    lines = text.splitlines()
    column: int | None = None
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    delimiter = "\t" if first is not None and "\t" in lines[first] else ","
    if first is not None:
        header = [h.strip().lower() for h in next(csv.reader([lines[first]], delimiter=delimiter))]
        for name in ("tconst", "title_id", "imdb_id", "id"):
            if name in header:
                column = header.index(name)
                break
    ids: list[str] = []
    for number, line in enumerate(lines, start=1):
        raw = line.strip()
        if not raw or raw.startswith("#") or (column is not None and number == first + 1):  # type: ignore[operator]
            continue
        cells = next(csv.reader([raw], delimiter=delimiter))
        value = cells[column].strip() if column is not None and column < len(cells) else cells[0].strip()
        if not _TITLE_ID.match(value):
            raise InputError(f"expected a title id as the store keeps them ({TITLE_ID_FORMS}); got {value[:40]!r}",
                             path=where, line=number)
        ids.append(value)
    if not ids:
        raise InputError("the title list holds no title ids", path=where)
    return tuple(dict.fromkeys(ids))


def unlisted_warning(store: Store, sample: str | Sample | None) -> str | None:
    """For a ``list:FILE`` sample: one line saying how many of the listed ids the store holds no title of, naming
    the first few (in the list's order); None when it holds every one, or for another sample.

    Why: an id the store lacks selects nothing, so a list of 250 films of which 40 were never loaded (another
    source, a typo, a title IMDb merged) gave figures over 210 without a word. When the store holds none of them
    the figures are empty and the empty result's reason says so too (:mod:`crewparity.metrics.empty`)."""
    smp = parse_sample(sample)
    if smp.form != "list" or not smp.ids:
        return None
    held = {r[0] for r in store.rows("SELECT title_id FROM titles WHERE title_id IN (SELECT unnest($ids::VARCHAR[]))",
                                     {"ids": list(smp.ids)})}
    missing = [i for i in smp.ids if i not in held]
    if not missing:
        return None
    shown = ", ".join(missing[:UNLISTED_SHOWN]) + (f" and {len(missing) - UNLISTED_SHOWN:,} more"
                                                   if len(missing) > UNLISTED_SHOWN else "")
    verb = "is" if len(missing) == 1 else "are"
    return (f"{len(missing):,} of the {len(smp.ids):,} title ids listed in {smp.path} {verb} not in the store and "
            f"{'counts' if len(missing) == 1 else 'count'} for nothing: {shown}")


def parse_kinds(kinds: str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """``movie,tv_series`` (or IMDb's ``tvSeries``) -> validated kinds; None means every kind.

    ``tv_episode`` is refused with the reason: episodes roll up to their series (:func:`scope_cte`), so it would
    select nothing but the rare episode whose series is not in the store. An empty list (``''``, ``","``, ``[]``)
    is an error naming the kinds (:func:`crewparity.metrics.roles.list_items`), not every kind: that is ``all``."""
    if kinds is None:
        return None
    out: list[str] = []
    for item in list_items(kinds, "--kind", f"{', '.join(SCOPE_KINDS)}, or all (every kind)"):
        w = re.sub(r"([a-z])([A-Z])", r"\1_\2", item).lower().replace("-", "_").replace(" ", "_")
        if w in {"all", "any"}:
            return None
        if w == "tv_episode":
            raise ArgumentError(
                f"--kind {item}: episodes count under their series (an episode's credits count for "
                f"its series, in the year the episode aired); use {' or '.join(SERIES_KINDS)}; allowed: "
                f"{', '.join(SCOPE_KINDS)}")
        if w not in SCOPE_KINDS:
            raise ArgumentError(f"unknown kind {item!r}; allowed: {', '.join(SCOPE_KINDS)}")
        if w not in out:
            out.append(w)
    return out


def check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ArgumentError(f"--from {year_from} is after --to {year_to}; give --from <= --to")


def year_filters(column: str, year_from: int | None, year_to: int | None) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``column`` for ``--from``/``--to``, with their named parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if year_from is not None:
        where.append(f"{column} >= $year_from")
        params["year_from"] = int(year_from)
    if year_to is not None:
        where.append(f"{column} <= $year_to")
        params["year_to"] = int(year_to)
    return where, params


def whole_decades(year_from: int | None, year_to: int | None) -> bool:
    """True when ``--from``/``--to`` cover whole decades only (from a year ending in 0, to one ending in 9, or
    open): the decade-level person rows then hold exactly the people of the range, once per decade."""
    return (year_from is None or year_from % 10 == 0) and (year_to is None or year_to % 10 == 9)


def whole_decade_bounds(year_from: int | None, year_to: int | None) -> tuple[int | None, int | None] | None:
    """The first and last decade (start years; None: open) lying wholly inside ``--from``/``--to``, or None when
    no decade does (1995-2004)."""
    lo = None if year_from is None else -(-year_from // 10) * 10
    hi = None if year_to is None else (year_to + 1) // 10 * 10 - 10
    return None if lo is not None and hi is not None and lo > hi else (lo, hi)


def person_rows_plan(by: list[str], year_from: int | None,
                     year_to: int | None) -> tuple[str, tuple[int | None, int | None] | None]:
    """Where people per period are counted from, for the pre-counted cells (``people_cells``, ``genre_cells``) and
    the person tables: one rule for both, so that they always read the same rows.

    ``("cells", None)``: the cells of the level (year, decade or all), filtered by the years; no range, or the
    years are a group. ``("person_decades", None)``: a range of whole decades without ``--by decade``, each
    person once over the decades' rows. ``("person_years", None)``: any other range. ``("split", bounds)``: by
    decade over a range that cuts a decade: the decade cells within ``bounds`` (:func:`whole_decade_bounds`),
    the yearly rows outside them (a person counts once per decade, so the parts never share a group).
    """
    if (year_from is None and year_to is None) or "year" in by:
        return "cells", None
    if whole_decades(year_from, year_to):
        return ("cells" if "decade" in by else "person_decades"), None
    bounds = whole_decade_bounds(year_from, year_to) if "decade" in by else None
    return ("person_years", None) if bounds is None else ("split", bounds)


def whole_decade_sql(decade: str, bounds: tuple[int | None, int | None]) -> str:
    """SQL: the decade expression ``decade`` lies within ``bounds`` (from :func:`whole_decade_bounds`)."""
    parts = [f"{decade} >= {int(b)}" if i == 0 else f"{decade} <= {int(b)}"
             for i, b in enumerate(bounds) if b is not None]
    return " AND ".join(parts) or "true"


def in_list(values: list[str]) -> str:
    """A SQL IN list of validated vocabulary words (roles, kinds: never free text)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


#: columns ``scope`` can carry beyond credit_key, person_key, role_code, year, title_key, kind_code and the gender codes;
#: each costs a join to ``titles``.
ROLLED_COLUMNS: tuple[str, ...] = ("title", "genres")


def top_sample_sizes(store: Store, n: int, kinds: list[str] | None, year_from: int | None,
                     year_to: int | None) -> dict[int, int]:
    """Per year, how many titles a ``top:N`` sample of ``kinds`` (None: every kind) holds: the titles with IMDb
    votes that year, at most N. Fewer than N where the store has fewer, which a reader of "the top 250" must be
    told (``share`` and ``compare`` say so on stderr)."""
    rows = store.rows(
        "SELECT year, least(count(*), $n) FROM title_years WHERE ($kinds::VARCHAR[] IS NULL OR list_contains($kinds, kind)) "
        "AND year IS NOT NULL AND ($from::INTEGER IS NULL OR year >= $from) AND ($to::INTEGER IS NULL OR year <= $to) "
        "GROUP BY year",
        {"n": n, "kinds": kinds, "from": year_from, "to": year_to})
    return {int(y): int(c) for y, c in rows}


def short_top_words(store: Store, sample: str | None, kinds: list[str] | None, year_from: int | None,
                    year_to: int | None) -> str | None:
    """The years in which a ``top:N`` sample holds fewer than N titles, as one clause ("the top:250 sample holds
    fewer than 250 titles in 1 year (the store has no more with IMDb votes): 2017 (16)"), or None: said by
    ``share``'s and ``distribution``'s notes and under a chart's subtitle, which otherwise read "top 250" over 16."""
    return short_top(store, sample, kinds, year_from, year_to)[0]


def short_top(store: Store, sample: str | None, kinds: list[str] | None, year_from: int | None,
              year_to: int | None) -> tuple[str | None, int]:
    """:func:`short_top_words` and in how many years the sample is short (0: none), from one count of the sample's
    titles per year: a caption that says "the top 250 titles of each year" says "fewer in 3 years" beside it."""
    if not isinstance(sample, str) or not sample.strip().lower().startswith("top:"):
        return None, 0   # (a list:FILE is not read again: it may be a pipe, read once)
    smp = parse_sample(sample)
    sizes = top_sample_sizes(store, smp.n, kinds, year_from, year_to)
    short = sorted((y, c) for y, c in sizes.items() if c < smp.n)
    if not short:
        return None, 0
    listed = ", ".join(f"{y} ({c})" for y, c in short[:10]) + (f" and {len(short) - 10} more" if len(short) > 10
                                                               else "")
    return (f"the top:{smp.n} sample holds fewer than {smp.n} titles in {len(short)} "
            f"year{'s' if len(short) != 1 else ''} (the store has no more with IMDb votes): {listed}"), len(short)


def excluded_series_sql(genres: Iterable[str] = (), adult: bool = False) -> str | None:
    """SQL selecting ``series_id``: the series (TV series and mini-series) a study's sample leaves out, those whose
    IMDb genres include one of ``genres`` or, with ``adult``, that IMDb marks as adult; None when nothing is left out.

    Read from ``series_index`` (the series alone: 0.35M rows at full scale, against 12M titles whose genre lists
    take 0.3-1.1 s to test), so a query pays a small hash join against the excluded ids, never a scan of
    ``titles``. (Schema 10 added the two columns; an older store is refused on opening.)"""
    genre_list = [g for g in genres if g]
    if not genre_list and not adult:
        return None
    conditions = (["coalesce(is_adult, false)"] if adult else []) + (
        [f"list_has_any(genres, [{in_list(genre_list)}])"] if genre_list else [])
    return f"SELECT series_id FROM series_index WHERE {' OR '.join(conditions)}"


def sample_titles_cte(kinds: list[str] | None, year_from: int | None, year_to: int | None,
                      sample: Sample) -> tuple[str, dict[str, Any]] | None:
    """SQL for ``sample_titles AS (...)``: (title_key, year) of every title of a ``top:N`` or ``list:FILE``
    sample, whether it has a crew credit or not, keyed and rolled up as :func:`scope_cte` keys its credits (so
    each title ``scope`` counts is among these); None for ``all``, whose titles are those with a credit.

    Why: a title of the sample without a credit in the roles still belongs to the sample (the Celluloid
    Ceiling's film with no woman editor may have no editor listed at all); a per-title figure built from
    ``scope`` alone left it out, so ``distribution`` said 39 titles where ``compare`` said the top 250 holds 40.

    ``top:N``: the N titles of each year with the most votes among the ``kinds`` (the ranking of
    :func:`top_sample_sizes` and of ``key_credits``' stored ranks). ``list:FILE``: the listed titles in the
    store (an episode under its series, in the year it aired) and, for a listed series, its episodes' years,
    within ``kinds`` and the years. Parameters are named as :func:`scope_cte` names them."""
    from crewparity.metrics import derived  # derived builds on this module's vocabularies

    years, params = year_filters("t.year", year_from, year_to)
    if sample.form == "top":
        where = [w.replace("t.", "y.") for w in years]
        if kinds:
            where.append(f"y.kind IN ({in_list(kinds)})")
        params["top_n"] = int(sample.n)
        if len(kinds or []) <= 1:  # the stored places: among every title of the year, or among the one kind
            where.append(f"y.{'kind_rank' if kinds else 'year_rank'} <= $top_n")
            ranked = ""
        else:  # several kinds: the ranking among them, as scope_cte ranks them, over the rows that can be in it
            # (a title among the top N of several kinds is among the top N of its own kind, and every title above it
            # is too, so leaving out the others changes no place in the first N)
            where.append("y.kind_rank <= $top_n")
            ranked = "QUALIFY row_number() OVER (PARTITION BY y.year ORDER BY y.votes DESC, y.title_id) <= $top_n"
        return f"""
        sample_titles AS (
            SELECT y.title_key, y.year FROM title_years y
            {"WHERE " + " AND ".join(where) if where else ""}
            {ranked}
        )""", params
    if sample.form == "list":
        params["sample_ids"] = list(sample.ids)
        listed = "SELECT unnest($sample_ids::VARCHAR[])"
        where = [f"(t.title_id IN ({listed}) OR t.series_id IN ({listed}))",
                 f"(t.title_id IN ({listed}) OR s.title_id IN ({listed}))", *years]
        if kinds:
            where.append(f"coalesce(s.kind, t.kind) IN ({in_list(kinds)})")
        not_series = in_list(list(derived.NOT_SERIES))
        return f"""
        sample_titles AS (
            SELECT DISTINCT {derived.title_key_sql('coalesce(s.title_id, t.title_id)')} AS title_key, t.year
            FROM titles t
            LEFT JOIN (SELECT title_id, kind FROM titles WHERE kind NOT IN ({not_series})) s
                   ON s.title_id = t.series_id
            WHERE {" AND ".join(where)}
        )""", params
    return None


def scope_cte(roles: str | list[str] | tuple[str, ...] | None, kinds: list[str] | None, year_from: int | None,
              year_to: int | None, sample: Sample, needs: Iterable[str] | None = None,
              genre_mask: bool = False, ranks: bool = True, inline: bool = False,
              exclude_series: str | None = None, units: str | None = None) -> tuple[str, dict[str, Any]]:
    """SQL for ``scope AS (...)``: one row per distinct credit (credited title, person, role) in scope.

    Columns, all integers as ``key_credits`` keeps them (:mod:`crewparity.metrics.derived`): credit_key (the
    credited title: an episode or the title itself), person_key, role_code, year (of the credit), title_key and
    kind_code (of the title rolled up to its series), the person's gender and evidence kind as one code ``ge``,
    ``p_woman`` and its bin ``pbi``; and, as asked for in ``needs`` (default both), ``title`` and ``genres`` of the
    rolled-up title. Callers group on the codes and decode the result rows (``derived.decode_*_sql``,
    ``derived.title_id_sql``). With ``genre_mask`` the genres come as ``key_credits.genre_mask`` (a bit mask over
    the store's genre vocabulary) instead of a join with ``titles``. Returns the CTE text (without ``WITH``) and
    its named parameters.

    ``top:N`` over every kind or over one kind reads each credit's stored place in its year's ranking
    (``key_credits.year_rank`` / ``kind_rank``); over several kinds it ranks ``title_years`` and joins the
    result to the credits whose title is among the top N of its own kind. With ``ranks=False`` (the tests'
    check) it ranks and joins without the stored ranks. All give the same rows.

    ``units`` (:mod:`crewparity.metrics.title_units`): the same filters over ``title_units`` instead, a CTE
    ``units_scope`` of its rows with ``units`` as the role condition (no list sample: those rows carry no
    credited title). Only that CTE is returned: the ones it reads (``top_titles``, ``excluded_series``) are
    those of the ``scope`` of the same arguments, which the caller writes beside it.
    """
    from crewparity.metrics import derived  # derived builds on this module's vocabularies

    role_list = parse_roles(roles)
    check_years(year_from, year_to)
    wanted = set(ROLLED_COLUMNS if needs is None else needs) & set(ROLLED_COLUMNS)
    where = [units or derived.has_role_sql("k.role_code", role_list)]
    title_where: list[str] = []
    if kinds:
        where.append(derived.has_kind_sql("k.kind_code", kinds))
        title_where.append(f"y.kind IN ({in_list(kinds)})")
    years, params = year_filters("k.year", year_from, year_to)
    where += years
    title_where += [w.replace("k.", "y.") for w in years]
    ctes: list[str] = []
    joins: list[str] = []
    if sample.form == "top":
        params["top_n"] = int(sample.n)
        if ranks and not kinds:
            where.append("k.year_rank <= $top_n")
        elif ranks and len(kinds or []) == 1:
            where.append("k.kind_rank <= $top_n")
        else:
            if ranks:
                # a title among the top N of several kinds is among the top N of its own kind: the stored rank
                # cuts the credits to join to a few per kind and year (and zone maps skip the rest)
                where.append("k.kind_rank <= $top_n")
            ctes.append(f"""
            top_titles AS (
                SELECT title_key, year FROM title_years y
                {"WHERE " + " AND ".join(title_where) if title_where else ""}
                QUALIFY row_number() OVER (PARTITION BY year ORDER BY votes DESC, title_id) <= $top_n
            )""")
            joins.append("JOIN top_titles tt ON tt.title_key = k.title_key AND tt.year IS NOT DISTINCT FROM k.year")
    elif sample.form == "list":
        if units is not None:
            raise ValueError("title_units rows carry no credited title: a list sample reads key_credits")
        params["sample_ids"] = list(sample.ids)
        listed = f"SELECT {derived.title_key_sql('i')} FROM unnest($sample_ids::VARCHAR[]) AS l(i)"
        where.append(f"(k.title_key IN ({listed}) OR k.credit_key IN ({listed}))")
    if exclude_series:
        ctes.append(f"""
            excluded_series AS (SELECT {derived.title_key_sql('series_id')} AS title_key FROM ({exclude_series}))""")
        joins.append("ANTI JOIN excluded_series xs ON xs.title_key = k.title_key")
    extra = ""
    if units is not None:
        return f"""
        units_scope AS NOT MATERIALIZED (
            SELECT k.* FROM title_units k
            {" ".join(joins)}
            WHERE {" AND ".join(where)}
        )""", params
    if genre_mask and "genres" in wanted:
        wanted.discard("genres")
        extra = ", k.genre_mask"
    if wanted:
        # As the series row says, or the credited title's own value where the series has none (the titles keyed
        # as key_credits keys them: a slow path, for genre vocabularies too large for the mask).
        ctes.append(f"""
            keyed_titles AS (SELECT {derived.title_key_sql('title_id')} AS title_key, name, genres FROM titles)""")
        joins.append("LEFT JOIN keyed_titles t ON t.title_key = k.title_key "
                     "LEFT JOIN keyed_titles e ON e.title_key = k.credit_key")
        extra += "".join(f", coalesce(t.{c}, e.{c}) AS {c}" if c == "genres" else ", coalesce(t.name, e.name) AS title"
                         for c in ROLLED_COLUMNS if c in wanted)
    ctes.append(f"""
        scope AS{" NOT MATERIALIZED" if inline else ""} (
            SELECT k.credit_key, k.person_key, k.role_code, k.year, k.title_key, k.kind_code,
                   k.ge, k.pbi, k.p_woman{extra}
            FROM key_credits k
            {" ".join(joins)}
            WHERE {" AND ".join(where)}
        )""")
    return ",".join(ctes), params
