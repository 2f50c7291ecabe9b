"""People (and credits) counted per genre without expanding every (person, genre) or (credit, genre) pair.

Why: a person counts once in each genre they worked in, so the natural SQL unnests each person's genres and
keeps the distinct (genre, person) rows. Over all years at full scale that is 45M pairs (a person with many
credits has worked in most genres), and the DISTINCT over them took 22 of 25 s. Here each person is one row
with the union of their credits' genre masks (``key_credits.genre_mask``), and the people are counted per
genre with one conditional sum per genre bit, grouped by gender, evidence kind and p bin: one pass over the
people, no pairs. Credits are first grouped per genre mask on the integer person codes ``key_credits`` carries
(``ge``, ``pbi``), then counted per bit over those groups (genres of every kind at full scale: 17 s with the
pairs, 4.7 s with a sum per bit over every credit). The counts are the same as the pairs' (tests compare them
with the titles' genre lists).

The default questions (the key roles, every kind: ``share --by genre``, ``--by year,genre``, ``--by
decade,genre``) are also counted once at ingest into the derived table ``genre_cells`` (:func:`stored_cells_sql`),
per year, decade and overall, from the genre masks that the person tables keep for the key roles (``gmask``,
``gnone``); a question is then a read of a few hundred thousand rows at most (year and genre at full scale:
10 s from the credits). The meta key :data:`GENRE_ROLES_KEY` records which roles those masks cover. A year range
without ``--by year`` counts each person once over the range from the person rows: ``person_decades`` for whole
decades, else ``person_years`` (:func:`stored_cells_cte`).
"""

from __future__ import annotations

from crewparity.metrics.derived import decode_ev_sql, decode_gender_sql, meta_list
from crewparity.metrics.samples import in_list, person_rows_plan, whole_decade_sql, year_filters
from crewparity.store import Store

#: meta key: the roles (JSON list) that ``genre_cells`` counted
GENRE_ROLES_KEY = "derived_genre_roles"


def stored_roles(store: Store) -> list[str] | None:
    """The roles ``genre_cells`` counted (None: the store has no usable genre cells)."""
    return meta_list(store.con, GENRE_ROLES_KEY)


def per_person_codes_sql(source: str, groups: list[tuple[str, str]]) -> str:
    """One row per person (and per value of each group expression) of ``source`` for
    :func:`person_rows_counted_sql`: the union of their genre masks (``gmask``; ``gnone``: one of their credits
    has no genre, which puts them in the no-genre group too) and their gender, evidence and p bin as the integer
    codes ``ge``, ``pbi`` that ``key_credits`` carries beside the strings.

    ``source`` (aliased ``s``) has person_key, ge, pbi and genre_mask; ``groups`` are ``(SQL over s, output
    name)`` -- the group options other than genre, so a person counts once per group (a decade, not each of its
    years). A person's codes are the same on each of their rows, so they ride along with ``any_value`` instead of
    widening the hash key; carrying the strings instead was most of the cost of the genres of one role (full
    scale, directors by genre: 0.98 s for that step).
    """
    keys = [*(f"{sql} AS {name}" for sql, name in groups), "s.person_key"]
    group = ", ".join([*(name for _, name in groups), "s.person_key"])
    return (f"SELECT {', '.join(keys)}, any_value(s.ge) AS ge, any_value(s.pbi) AS pbi, "
            f"bit_or(s.genre_mask) AS gmask, bool_or(s.genre_mask = 0) AS gnone FROM {source} s GROUP BY {group}")


def credit_codes_counted_sql(source: str, groups: list[tuple[str, str]], vocabulary: list[str]) -> str:
    """Rows (names..., genre, gender, ev, pb, n): the credits of ``source`` counted per genre, first grouped per
    genre mask on the integer codes (44M credits at full scale are 0.3M groups, 0.7 s), then one weighted count
    per genre bit over those groups, decoded only in the result rows (the credits' own strings and a count per
    bit over every credit: 4.7 s)."""
    keys = [f"{sql} AS {name}" for sql, name in groups]
    names = [name for _, name in groups]
    grouped = (f"SELECT {', '.join([*keys, 's.ge', 's.pbi', 's.genre_mask AS gmask'])}, "
               f"s.genre_mask = 0 AS gnone, count(*) AS n FROM {source} s GROUP BY ALL")
    # every credit has a genre or none: the person rows' filter (gmask <> 0 OR gnone) always holds here, and DuckDB
    # pushed it below the grouping as a filter of every credit (full scale: 0.24 of 2.8 CPU s)
    return person_rows_counted_sql(grouped, names, vocabulary, weight="n", every_row=True)


def _per_genre_sql(source: str, keys: list[str], names: list[str], after_genre: list[str], mask: str, none: str,
                   vocabulary: list[str], where: str = "", weight: str | None = None) -> str:
    """``source`` grouped on ``keys`` with one count per genre bit of ``mask`` (bit i is ``vocabulary[i]``) and one
    of the rows where ``none`` holds (genre NULL), then one row per group and genre with n > 0: the ``names``
    columns, genre, the ``after_genre`` expressions over the grouped row ``u``, and n. ``weight``: a column of
    ``source`` each row counts as (rows already grouped); default one."""
    slots = [f"g{i}" for i in range(len(vocabulary))] + ["gnone"]
    # The forms that were fastest (full scale, one thread, the 28 genres of synth): count_if of a bit test, 0.95-1.0
    # CPU s over 24M person-years against 1.4-1.5 s for a sum of the shifted bit (and for a CASE); weighted, a CASE
    # 0.24 s over 3.6M groups of credits against 0.36 s for the bit times the weight and 0.58 s for a FILTER.
    bits = [f"({mask} & {1 << i}::UBIGINT) <> 0" for i in range(len(vocabulary))]
    if weight is None:
        sums = [f"count_if({b})::BIGINT AS g{i}" for i, b in enumerate(bits)]
        sums.append(f"(count(*) FILTER (WHERE {none}))::BIGINT AS gnone")
    else:
        sums = [f"sum(CASE WHEN {b} THEN {weight} ELSE 0 END)::BIGINT AS g{i}" for i, b in enumerate(bits)]
        sums.append(f"coalesce(sum({weight}) FILTER (WHERE {none}), 0)::BIGINT AS gnone")
    aggregated = f"SELECT {', '.join([*keys, *sums])} FROM ({source}) {where} GROUP BY ALL"
    genre_of = ", ".join([*(f"({in_list([slot])}, {in_list([g])})" for slot, g in zip(slots, vocabulary, strict=False)),
                          "('gnone', NULL)"])
    keep = ", ".join([*(f"u.{n}" for n in names), "v.genre", *after_genre, "u.n"])
    return (f"SELECT {keep} FROM (UNPIVOT ({aggregated}) ON {', '.join(slots)} INTO NAME slot VALUE n) u "
            f"JOIN (VALUES {genre_of}) v(slot, genre) USING (slot) WHERE u.n > 0")


def person_rows_counted_sql(rows: str, names: list[str], vocabulary: list[str], weight: str | None = None,
                            every_row: bool = False) -> str:
    """Rows (names..., genre, gender, ev, pb, n): person rows (the ``names`` columns, gmask, gnone and the person
    tables' codes ge and pbi) counted per genre of the vocabulary (bit i of the mask is ``vocabulary[i]``; the
    no-genre group has genre NULL; only non-empty cells are kept), grouped on the codes and decoded only in
    the few result rows (full scale: the year level from 32M person-years in 0.6 s; with the codes decoded
    first, or with the rows first grouped per mask, 1.8-2.9 s). ``weight``: a column of ``rows`` each row counts
    as (credits grouped per mask, :func:`credit_codes_counted_sql`). ``every_row``: each row has a genre or is in
    the no-genre group (credits), so the rows with neither (people without key-role credits) need no filter."""
    decoded = [f"{decode_gender_sql('u.ge')} AS gender", f"{decode_ev_sql('u.ge')} AS ev", "u.pbi / 100 AS pb"]
    return _per_genre_sql(rows, [*names, "ge", "pbi"], names, decoded, "gmask", "gnone", vocabulary,
                          where="" if every_row else "WHERE gmask <> 0 OR gnone", weight=weight)


#: the person table and its period column per level of ``genre_cells`` (as ``people_cells``)
_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("year", "person_years", "year"), ("decade", "person_decades", "decade"), ("all", "person_all", "NULL::INTEGER"))


def stored_cells_sql(vocabulary: list[str], people: str | None = None) -> str:
    """The ``genre_cells`` rows (level, period, genre, gender, ev, pb, n): people credited in the key roles (any
    kind) counted per genre in each year, each decade and overall, from the person tables' genre masks.

    ``people``: a table with a ``person_key`` column; only those people are counted (their share of the cells,
    which an update of their genders subtracts and adds back)."""
    only = f" WHERE person_key IN (SELECT person_key FROM {people})" if people else ""
    parts = []
    for level, table, period in _LEVELS:
        rows = f"SELECT {period} AS period, gmask, gnone, ge, pbi FROM {table}{only}"
        counted = person_rows_counted_sql(rows, ["period"], vocabulary)
        parts.append(f"SELECT '{level}' AS level, period, genre, gender, ev, pb, n FROM ({counted})")
    return " UNION ALL ".join(parts)


#: the group options the stored genre masks answer (with genre)
STORED_BY = frozenset({"genre", "year", "decade"})


def stored_cells_cte(by: list[str], year_from: int | None, year_to: int | None,
                     vocabulary: list[str]) -> tuple[str, dict[str, object]]:
    """The ``cells`` CTE for people of the key roles (any kind, every title) by genre and optionally year or
    decade (``by`` within :data:`STORED_BY`), from ``genre_cells``, or, for a year range without ``--by year``,
    from the person rows (each person once over the range, or once per decade of it): ``person_decades`` when the
    range is whole decades, else ``person_years``.

    The caller checks that the roles are the ones counted (:func:`stored_roles`)."""
    names = [b for b in by if b != "genre"]

    def stored(where: list[str]) -> str:
        level = "year" if "year" in by else "decade" if "decade" in by else "all"
        cols = {"year": "period AS year", "decade": "period AS decade" if level == "decade" else
                "(period // 10) * 10 AS decade"}
        select = ", ".join([*(cols[n] for n in names), "genre", "gender", "ev", "pb"])
        conditions = " AND ".join([*where, f"level = '{level}'"])
        return f"SELECT {select}, sum(n) AS n FROM genre_cells WHERE {conditions} GROUP BY ALL"

    def person_rows(table: str, where: list[str]) -> str:
        """One row per person (per decade) over the rows of ``table`` kept by ``where``, counted per genre."""
        group = ["(year // 10) * 10 AS decade"] if names == ["decade"] else []
        key = "decade, person_key" if group else "person_key"
        rows = (f"SELECT {', '.join([*group, 'person_key'])}, bit_or(gmask) AS gmask, bool_or(gnone) AS gnone, "
                f"any_value(ge) AS ge, any_value(pbi) AS pbi FROM {table} "
                f"WHERE {' AND '.join([*where, '(gmask <> 0 OR gnone)'])} GROUP BY {key}")
        return person_rows_counted_sql(rows, names, vocabulary)

    period_where, params = year_filters("period", year_from, year_to)
    plan, whole = person_rows_plan(by, year_from, year_to)
    if plan == "cells":
        return f"cells AS ({stored(period_where)})", params
    if plan == "person_decades":
        return f"cells AS ({person_rows('person_decades', year_filters('decade', year_from, year_to)[0])})", params
    year_where = year_filters("year", year_from, year_to)[0]
    if plan == "person_years" or whole is None:
        return f"cells AS ({person_rows('person_years', year_where)})", params
    # by decade over a range that cuts a decade: the whole decades are stored, the cut ones counted from the years
    cut = [*year_where, f"NOT ({whole_decade_sql('(year // 10) * 10', whole)})"]
    return (f"cells AS ({stored([whole_decade_sql('period', whole)])} UNION ALL {person_rows('person_years', cut)})",
            params)


def own_rows_cells_cte(by: list[str], role_list: list[str], stored_roles: list[str], vocabulary: list[str],
                       scope: str = "scope") -> str:
    """The ``cells`` CTE for people of some of the key roles (``role_list`` within ``stored_roles``, the roles the
    person tables' genre masks cover) over every kind and year, by genre and at most decade, from the person rows
    where they hold the answer and from the credits (the CTE ``scope`` of those roles) where not.

    Why: a person's genres in these roles alone are the union of the masks of their credits in them; counted from
    the credits that is a hash aggregation per (decade, person) or per person (full scale: the directors' 8.3M
    credits). A person row (``person_decades`` or ``person_all``) already holds the union over the person's
    credits in every key role (``gmask``, ``gnone``) and which (kind, role) pairs they hold (``mask``): when none
    of its key-role pairs lies outside the roles asked for, that union is the answer for the row as it is. The rows
    that also hold another key role (a director who also wrote) are worked out from their credits, those
    (decade, person) pairs alone. Exact: the tests compare it with the credits' answer.

    ``by`` within :data:`STORED_BY`, without year; no year range (a person counts once over it)."""
    from crewparity.metrics.derived import hugeint, mask_for  # derived builds on this module

    if "year" in by:
        raise ValueError("by year: person_years are read twice, slower than the credits (share.genre_unit_cells)")
    names = [b for b in by if b != "genre"]
    want = mask_for(role_list, None)
    other = mask_for(stored_roles, None) & ~want
    if names:  # by decade
        table, period, on = "person_decades", ", p.decade", "m.decade IS NOT DISTINCT FROM (sc.year // 10) * 10 AND "
    else:
        table, period, on = "person_all", "", ""
    rows = (f"SELECT p.person_key{period}, p.gmask, p.gnone, p.ge, p.pbi, (p.mask & {hugeint(other)}) <> 0 AS mixed "
            f"FROM {table} p WHERE (p.mask & {hugeint(want)}) <> 0")
    mixed_credits = (f"(SELECT sc.* FROM {scope} sc SEMI JOIN (SELECT * FROM own_rows WHERE mixed) m "
                     f"ON {on}m.person_key = sc.person_key)")
    per_person = per_person_codes_sql(mixed_credits, [("(s.year // 10) * 10", n) for n in names])
    keep = ", ".join([*names, "gmask", "gnone", "ge", "pbi"])
    union = f"SELECT {keep} FROM own_rows WHERE NOT mixed UNION ALL SELECT {keep} FROM ({per_person})"
    # not materialised: written once and read twice costs more than reading the table twice (2.2 s at full scale)
    return f"own_rows AS NOT MATERIALIZED ({rows}), cells AS ({person_rows_counted_sql(union, names, vocabulary)})"
