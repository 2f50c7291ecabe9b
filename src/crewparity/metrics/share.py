"""Women's share by role and group, every count explicit, every estimate with its interval.

One SQL statement counts everything (GROUP BY in DuckDB); Python only turns per-group sufficient statistics
into estimates with vectorised numpy (:mod:`crewparity.metrics.estimates`).

The unit is always explicit (DESIGN.md):

* ``credits`` — one per distinct (title, person, role); a person credited on 10 episodes counts 10 times;
* ``people`` — distinct people per group (the studies' "individuals");
* ``titles`` — a title counts once, as *women* when at least one woman works on it in the chosen roles
  (then nonbinary, unknown, and *men* when everyone is a man).

Each person's gender is the resolved one. Evidence kinds matter for the estimate: *recorded* (overrides,
crew list, Wikidata, TMDB, IMDb labels), *inferred* (``name_model``: a probability ``p_woman``; the person may
be counted as a woman or a man outside the abstain band, or as unknown inside it) and *no information*.
``share_known`` is women over people of known gender; ``share_expected`` and its 95% interval use the
recorded counts plus the name probabilities (people with no information are assumed to be like the rest);
``share_if_unknown_men`` / ``share_if_unknown_women`` are the shares if every unknown were a man / a woman, the
name model's calls taken as they are (they bound the counts, not ``share_expected``, which can lie outside them).
"""

from __future__ import annotations

import pyarrow as pa

from crewparity.errors import ArgumentError
from crewparity.gender.resolve import estimate_calibration
from crewparity.metrics import derived, genres, title_cells, title_units
from crewparity.metrics.estimates import add_estimates
from crewparity.metrics.roles import list_items, parse_roles
from crewparity.metrics.samples import (
    SERIES_KINDS,
    Sample,
    check_years,
    in_list,
    parse_kinds,
    parse_sample,
    person_rows_plan,
    scope_cte,
    whole_decade_sql,
    year_filters,
)
from crewparity.store import Store

BY_OPTIONS: tuple[str, ...] = ("year", "decade", "genre", "kind", "title", "role", "none")
UNITS: tuple[str, ...] = ("credits", "people", "titles")

#: group option -> (output columns, SQL expressions over the ``scope`` row ``s``). Kind, role and title are grouped
#: on their integer codes and keys and decoded in the counted rows (:func:`decoded_groups_sql`; the title's id and
#: name in :func:`_with_title_names`), not on every credit.
_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "year": (("year",), ("s.year",)),
    "decade": (("decade",), ("(s.year // 10) * 10",)),
    "genre": (("genre",), ("s.genre",)),
    "kind": (("kind",), ("s.kind_code",)),
    "title": (("title_id",), ("s.title_key",)),
    "role": (("role",), ("s.role_code",)),
}


def decoded_groups_sql(cells: str, cols: list[str], kinds: list[str]) -> str:
    """``cells`` (counted rows over the group columns ``cols``) with kind and role codes decoded to their names."""
    decode = {"kind": f"{derived.decode_kind_sql('kind', kinds)} AS kind",
              "role": f"{derived.decode_role_sql('role')} AS role"}
    coded = [c for c in cols if c in decode]
    if not coded:
        return cells
    return f"SELECT * REPLACE ({', '.join(decode[c] for c in coded)}) FROM ({cells})"


def parse_by(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``year,genre`` -> the group options in order; ``none`` (or None) is one overall row. An empty list (``''``,
    ``[]``) is an error naming the options (:func:`list_items`), not a silent ``none``."""
    if by is None:
        return []
    out: list[str] = []
    for item in list_items(by, "--by", ", ".join(BY_OPTIONS)):
        w = item.lower()
        if w not in BY_OPTIONS:
            raise ArgumentError(f"unknown --by {str(item).strip()!r}; allowed: {', '.join(BY_OPTIONS)} (comma-separated)")
        if w != "none" and w not in out:
            out.append(w)
    return out


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ArgumentError(f"unknown --unit {unit!r}; allowed: {', '.join(UNITS)}")
    return unit


def group_columns(by: list[str]) -> list[str]:
    """The output's group columns: ``--by title`` gives ``title_id`` and ``title``."""
    return [c for b in by for c in (("title_id", "title") if b == "title" else _GROUPS[b][0])]


def _with_title_names(sql: str, cols: list[str]) -> str:
    """The counted groups with each title's name added after ``title_id``.

    Why after counting: a title's name depends on its id alone, so joining the names of the few thousand
    counted titles gives the same rows as joining every credit to ``titles`` first (seconds at full scale).
    The counted rows carry the title's key (``key_credits.title_key``): its id comes back from the key (and
    ``title_keys``), its name from ``title_names``, the rolled-up titles only (2.5M of 12M titles at full scale:
    scanning every title's name for the 17,726 movies of a year took 0.44 s and joining them 0.35 s).
    """
    inner = [c for c in cols if c != "title"]
    select = ", ".join([*(f"c.{c}" for c in inner[:inner.index("title_id") + 1]), "c.title_name AS title",
                        *(f"c.{c}" for c in inner[inner.index("title_id") + 1:])])
    order = ", ".join(f"c.{c} NULLS LAST" for c in inner)
    keyed = (f"SELECT k.* REPLACE ({derived.title_id_sql('k.title_id', 'x')} AS title_id), n.name AS title_name "
             f"FROM ({sql}) k LEFT JOIN title_keys x ON x.title_key = k.title_id "
             f"LEFT JOIN title_names n ON n.title_key = k.title_id")
    return f"""SELECT {select}, c.* EXCLUDE ({", ".join([*inner, "title_name"])})
               FROM ({keyed}) c
               ORDER BY {order}"""


#: the optional scope columns each group option needs (see samples.scope_cte)
_NEEDS = {"genre": ("genres",)}


def scope_needs(by: list[str]) -> set[str]:
    """The optional scope columns the group options need (each costs a join to ``titles``)."""
    return {c for b in by for c in _NEEDS.get(b, ())}


def _genres_sql(vocabulary: list[str] | None) -> str:
    """A scope row's genres as a list (one NULL for none), from the genre mask or from the joined list."""
    if vocabulary is None:
        return "CASE WHEN genres IS NULL OR len(genres) = 0 THEN [NULL::VARCHAR] ELSE genres END"
    listed = f"list_filter({derived.sql_list(vocabulary)}, lambda g, i: ((genre_mask >> (i - 1)) & 1) = 1)"
    return f"CASE WHEN genre_mask = 0 THEN [NULL::VARCHAR] ELSE {listed} END"


def genre_unit_cells(store: Store, unit: str, roles: str | list[str] | None, by: list[str],
                     kinds: list[str] | None, year_from: int | None, year_to: int | None, sample: Sample,
                     vocabulary: list[str], rollups: bool = True,
                     exclude_series: str | None = None) -> tuple[str, dict[str, object]]:
    """The ``cells`` CTE (with the CTEs it needs) for people or credits by genre (and any other group options),
    counted from one row per person with their genre mask, or per credit (:mod:`crewparity.metrics.genres`);
    people of the key roles over every kind and title, by genre and at most year or decade, are read from
    ``genre_cells`` (or, over a year range, from the person tables' genre masks), and people of some of the key
    roles over every kind from the person tables where a person row holds no other key role
    (:func:`crewparity.metrics.genres.own_rows_cells_cte`).
    """
    own_rows = False
    if rollups and unit == "people" and set(by) <= genres.STORED_BY and sample.form == "all" and not exclude_series:
        stored = genres.stored_roles(store)
        role_list = parse_roles(roles)
        if stored is not None and set(stored) == set(role_list) and not kinds:
            check_years(year_from, year_to)
            return genres.stored_cells_cte(by, year_from, year_to, vocabulary)
        # some of the key roles over every kind, by decade or over every year: the person rows
        # (genres.own_rows_cells_cte; full scale, directors by genre 0.53-0.62 -> 0.14 CPU s, by decade and genre
        # 0.97 -> 0.55-0.61, one thread). Not by year: person_years are 32M rows, read twice, against 8.3M credits
        # of the directors (2.1-2.2 -> 2.7 CPU s); nor for some kinds: a person row holds every kind, so those of
        # other kinds too are worked out from the credits, and the kinds' own credits are few enough to count
        # directly (key roles of movies by year and genre, full scale: 0.9 CPU s from the credits, 1.5 from the
        # person rows)
        own_rows = (stored is not None and set(role_list) <= set(stored) and not kinds and "year" not in by
                    and year_from is None and year_to is None)
    scope, params = scope_cte(roles, kinds, year_from, year_to, sample, needs={"genres"}, genre_mask=True,
                              ranks=rollups, exclude_series=exclude_series)
    if own_rows:
        cells = genres.own_rows_cells_cte(by, parse_roles(roles), genres.stored_roles(store) or [], vocabulary)
        return f"{scope}, {cells}", params
    groups = [(sql, name) for b in by if b != "genre" for name, sql in zip(*_GROUPS[b], strict=True)]
    names = [name for _, name in groups]
    # from key_credits alone (rollups=False reads it too), grouped on the integer person codes it carries
    if unit == "people":
        counted = genres.person_rows_counted_sql(genres.per_person_codes_sql("scope", groups), names, vocabulary)
    else:
        counted = genres.credit_codes_counted_sql("scope", groups, vocabulary)
    return f"{scope}, cells AS ({decoded_groups_sql(counted, names, derived.kind_vocabulary(store.con))})", params


def titles_by_mask(by: list[str], unit: str, genre_vocabulary: list[str] | None) -> bool:
    """Titles by genre over the genre mask: classified per (title, mask), genres unnested after."""
    return unit == "titles" and "genre" in by and genre_vocabulary is not None


def dense_titles(kinds: list[str] | None) -> bool:
    """Titles as the unit over kinds that gather no episodes (no series among ``kinds``): see :func:`units_sql`."""
    return bool(kinds) and not set(kinds or ()) & set(SERIES_KINDS)


def grouped_scope_sql(by: list[str], unit: str = "people",
                      genre_vocabulary: list[str] | None = None) -> tuple[str, list[str]]:
    """A CTE ``g`` over ``scope`` with the group columns (genre unnested: a title counts in each genre).

    ``genre_vocabulary``: the scope carries ``genre_mask`` over these genres (derived.genre_vocabulary) rather
    than the ``genres`` list."""
    masked = titles_by_mask(by, unit, genre_vocabulary)
    cols: list[str] = []
    exprs: list[str] = []
    for b in by:
        names, sql = _GROUPS[b]
        cols.extend(names)
        if b == "genre" and masked:
            # titles by genre: a title is classified per genre mask first and its genres unnested after
            # (units_sql), not every credit unnested to one row per genre
            exprs.append("s.genre_mask")
            continue
        exprs.extend(f"{e} AS {n}" for e, n in zip(sql, names, strict=True))
    source = "scope s"
    if "genre" in by and not masked:
        # (people and credits by genre with the mask take genre_unit_cells instead: no (unit, genre) pairs)
        source = f"(SELECT *, unnest({_genres_sql(genre_vocabulary)}) AS genre FROM scope) s"
    keep = ["s.person_key", "s.title_key"] if unit == "titles" and "title" not in by else ["s.person_key"]
    select = ", ".join([*keep, "s.ge", "s.pbi", "s.p_woman", *exprs])
    # titles read g more than once (every title, then the people of some): inlined, not materialised
    materialised = " NOT MATERIALIZED" if unit == "titles" else ""
    return f"g AS{materialised} (SELECT {select} FROM {source})", cols


def units_sql(unit: str, cols: list[str], genre_vocabulary: list[str] | None = None, dense: bool = False,
              stored: str | None = None) -> str:
    """CTE ``u``: one row per counted unit in each group, with its gender and evidence code ``ge`` and its
    p_woman bin ``pb`` (0.01 wide; NULL unless the evidence is the name model).

    Titles: a title is classified from the set of person codes on it (one ``bit_or``), and its p bin is
    1 - the product of (1 - p_woman) over its distinct inferred people. Why not one DISTINCT over every
    (title, person) first: that is a hash of as many groups as rows (37M at full scale, 4-5 s of the 8 s that
    share by kind took), and only the product needs it. The product over the rows is exact for a title with at
    most one inferred row; the titles with more that need the product (no recorded woman, no one without
    information) take it over their distinct people (at full scale synth 1.3M of 2.3M titles, 6M of 37M rows).
    By genre (``genre_vocabulary``: g carries the genre mask, see :func:`grouped_scope_sql`) the same per
    (title, mask), then unnested to the mask's genres: a title's people are the same in each of its genres
    (full scale, all kinds: 41 s when every credit was unnested first); the rare title whose credits carry
    different genre lists (episodes of a series without genres of its own) is worked out per genre from its
    rows.

    ``dense`` (:func:`dense_titles`): the other way round, each (title, person) once first and then the product
    over the rows, for titles that are not series. Such a title's rows are its own few credits and most titles
    need the product, so the two passes above would read most rows twice (movies by year at full scale: 0.63-0.69
    s against 0.44-0.48 s this way).

    ``stored`` (:mod:`crewparity.metrics.title_units`): the name of a CTE like ``g`` whose rows are the stored
    (title, year, role, genre mask) classes instead of credits: a row flagged ``alone`` is a unit as it is, the
    others are merged per unit (code sets or-ed, products multiplied) and the merged units with inferred people
    in two rows or more take the product over their distinct people from ``g``, as above.
    """
    xcols = ", ".join(cols)
    xsel = (xcols + ", ") if cols else ""
    if unit == "credits":
        return f"u AS (SELECT {xsel}person_key, ge, pbi / 100 AS pb FROM g)"
    if unit == "people":
        return f"u AS (SELECT DISTINCT {xsel}person_key, ge, pbi / 100 AS pb FROM g)"
    # titles (by=title already groups by title_key)
    keys = [*cols, *([] if "title_id" in cols else ["title_key"])]
    masked = titles_by_mask(cols, unit, genre_vocabulary)  # g carries the genre mask (grouped_scope_sql)
    pre = [c for c in keys if c != "genre"] if masked else keys  # the title's keys in g (before the genres)
    model = derived.ev_is_sql("ge", "model")
    g_code, e_code = derived.GENDER_CODES.index, derived.EV_CODES.index

    def has(codes: str = "t.codes", **kind: str) -> str:
        return derived.code_set_has_sql(codes, **kind)

    gender = (f"CASE WHEN {has(gender='woman')} THEN {g_code('woman')} "
              f"WHEN {has(gender='nonbinary')} THEN {g_code('nonbinary')} "
              f"WHEN {has(gender='unknown')} THEN {g_code('unknown')} ELSE {g_code('man')} END")
    ev = (f"CASE WHEN {has(ev='rec_woman')} THEN {e_code('rec_woman')} "
          f"WHEN {has(ev='noinfo')} THEN {e_code('noinfo')} WHEN {has(ev='model')} THEN {e_code('model')} "
          f"WHEN {has(ev='rec_nonbinary')} THEN {e_code('rec_nonbinary')} ELSE {e_code('rec_man')} END")

    def binned(codes: str) -> str:
        """The title's p bin comes from its inferred people: it has some, and no recorded woman nor anyone
        without information (either decides the title's class alone)."""
        return f"{has(codes, ev='model')} AND NOT {has(codes, ev='rec_woman')} AND NOT {has(codes, ev='noinfo')}"

    def same(a: str, b: str, on: list[str]) -> str:
        return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in on)

    def listed(alias: str, on: list[str]) -> str:
        return ", ".join(f"{alias}.{c}" for c in on)

    def exact(rows: str, on: list[str]) -> str:
        """The product over the distinct inferred people of each group of ``rows`` (grouped on ``on``)."""
        return (f"SELECT {', '.join(on)}, product(1 - p_woman) AS prod_not FROM (SELECT DISTINCT {listed('r', on)}, "
                f"r.person_key, r.p_woman FROM {rows} WHERE {derived.ev_is_sql('r.ge', 'model')}) GROUP BY ALL")

    mask = ", genre_mask" if masked else ""
    dense = dense and stored is None
    # dense: each (title, person) once first, then the product over the rows is exact for every title
    rows = f"(SELECT DISTINCT {', '.join(pre)}{mask}, person_key, ge, p_woman FROM g)" if dense else "g"
    # parts: the rows with inferred people merged into the unit; from two on, their product may count someone twice
    per_title = f"""SELECT {", ".join(pre)}{mask},
                   bit_or({derived.code_set_sql('ge')}) AS codes,
                   count(*) FILTER (WHERE {model}) AS parts,
                   product(1 - p_woman) FILTER (WHERE {model}) AS prod_rows
            FROM {rows} GROUP BY ALL"""
    if stored is not None:
        # the merged units only; the rows that are units alone join u below without any of the steps between
        keyed = f"{', '.join(pre)}{mask}"
        per_title = f"""SELECT {keyed}, bit_or(codes) AS codes, sum((n_model > 0)::INTEGER) AS parts,
                   product(prod_not) AS prod_rows
            FROM {stored} WHERE NOT alone GROUP BY {keyed}"""
    wanted = f"SELECT DISTINCT {', '.join(pre)} FROM t WHERE parts >= 2 AND {binned('codes')}"
    # the credit rows the exact products read: with stored rows, those of the titles merged, read once
    credit_rows, read_once = "g", ""
    if stored is not None:
        credit_rows, read_once = "gx", f"""
        gx AS MATERIALIZED (SELECT * FROM g SEMI JOIN (SELECT DISTINCT title_key FROM {stored} WHERE NOT alone) a
                            ON a.title_key = g.title_key),"""
    # the titles' products over their distinct people where the rows' product may count someone twice
    x = "" if dense else f"""
        x AS ({exact(f"{credit_rows} r SEMI JOIN ({wanted}) n ON {same('n', 'r', pre)}", pre)}),"""
    joins = "" if dense else f"LEFT JOIN x ON {same('x', 't', pre)}"
    prods = [] if dense else ["x.prod_not"]
    if not masked:
        ctes = f"""{read_once}
        t AS ({per_title}),{x}"""
    else:
        # a title whose credits all carry one genre list (nearly all) is one row per genre as it is; the others
        # are merged per genre, their products taken from their rows
        genred = ", ".join("gm.genre" if c == "genre" else f"t0.{c}" for c in keys)
        ctes = f"""{read_once}
        t0 AS ({per_title}),
        gm AS (SELECT genre_mask, unnest({_genres_sql(genre_vocabulary)}) AS genre
               FROM (SELECT DISTINCT genre_mask FROM {stored or "t0"})),
        multi AS (SELECT {", ".join(pre)} FROM t0 GROUP BY ALL HAVING count(*) > 1),
        t AS (SELECT {genred}, codes, parts, prod_rows
              FROM t0 ANTI JOIN multi m ON {same('m', 't0', pre)} JOIN gm USING (genre_mask)
              UNION ALL
              SELECT {genred}, bit_or(codes), sum(parts), product(prod_rows)
              FROM t0 SEMI JOIN multi m ON {same('m', 't0', pre)} JOIN gm USING (genre_mask) GROUP BY ALL),{x}
        xm AS ({exact(f"(SELECT g.*, gm.genre FROM {credit_rows} g SEMI JOIN multi m ON {same('m', 'g', pre)} "
                      f"JOIN gm USING (genre_mask)) r", keys)}),"""
        joins += f" LEFT JOIN xm ON {same('xm', 't', keys)}"
        prods.insert(0, "xm.prod_not")
    def classed(source: str, prod: str) -> str:
        return f"""SELECT {listed("t", cols)}{", " if cols else ""}{derived.code_sql(gender, ev)} AS ge,
                   CASE WHEN {binned('t.codes')} THEN round(1 - {prod}, 2) END AS pb
            FROM {source}"""

    merged = classed(f"t {joins}", f"coalesce({', '.join([*prods, 't.prod_rows'])})")
    if stored is not None:
        # a row alone is its unit: its own product is over its distinct people (title_units)
        alone = f"(SELECT * FROM {stored} WHERE alone) t"
        if masked:
            alone = (f"(SELECT s.* EXCLUDE (genre_mask), gm.genre FROM {stored} s JOIN gm USING (genre_mask) "
                     f"WHERE s.alone) t")
        merged += f"""
            UNION ALL
            {classed(alone, 't.prod_not')}"""
    return f"""{ctes}
        u AS (
            {merged}
        )"""


def cells_sql(cols: list[str], kinds: list[str]) -> str:
    """CTE ``cells`` over ``u``: units per group, gender, evidence kind and p_woman bin, counted on the codes and
    decoded in the counted rows."""
    csel = ", ".join([*cols, ""]) if cols else ""
    counted = f"SELECT {csel}ge, pb, count(*) AS n FROM u GROUP BY ALL"
    decoded = (f"SELECT {csel}{derived.decode_gender_sql('ge')} AS gender, {derived.decode_ev_sql('ge')} AS ev, "
               f"pb, n FROM ({counted})")
    return f"""
        cells AS ({decoded_groups_sql(decoded, cols, kinds)})"""


def counts_sql(cols: list[str]) -> str:
    """The final aggregation over ``cells``: counts, evidence counts and the p_woman histogram per group."""
    c = ", ".join(cols)
    csel = (c + ", ") if cols else ""
    group_final = f"GROUP BY {c}" if cols else ""
    order = f"ORDER BY {', '.join(f'{x} NULLS LAST' for x in cols)}" if cols else ""
    return f"""
        SELECT {csel}
               coalesce(sum(n) FILTER (WHERE gender = 'woman'), 0)::BIGINT AS women,
               coalesce(sum(n) FILTER (WHERE gender = 'man'), 0)::BIGINT AS men,
               coalesce(sum(n) FILTER (WHERE gender = 'nonbinary'), 0)::BIGINT AS nonbinary,
               coalesce(sum(n) FILTER (WHERE gender = 'unknown'), 0)::BIGINT AS unknown,
               coalesce(sum(n), 0)::BIGINT AS total,
               coalesce(sum(n) FILTER (WHERE ev = 'rec_woman'), 0)::BIGINT AS rec_women,
               coalesce(sum(n) FILTER (WHERE ev = 'rec_man'), 0)::BIGINT AS rec_men,
               coalesce(sum(n) FILTER (WHERE ev = 'rec_nonbinary'), 0)::BIGINT AS rec_nonbinary,
               coalesce(sum(n) FILTER (WHERE ev = 'noinfo'), 0)::BIGINT AS no_info,
               coalesce(sum(n) FILTER (WHERE ev = 'model'), 0)::BIGINT AS inferred,
               list(pb ORDER BY pb, n) FILTER (WHERE ev = 'model') AS p_bins,
               list(n ORDER BY pb, n) FILTER (WHERE ev = 'model') AS p_counts
        FROM cells {group_final}
        {order}"""


#: group options the pre-aggregated tables (person_years, credit_cells) answer for the ``all`` sample
_FAST_BY = frozenset({"year", "decade", "kind", "role"})


def _kinds_outside_mask(store: Store) -> bool:
    """True when the store holds a title kind the person_years mask has no slot of its own for."""
    known = ", ".join(f"'{k}'" for k in derived.MASK_KINDS)
    rows = store.rows(f"SELECT count(*) FROM credit_cells WHERE kind IS NOT NULL AND kind NOT IN ({known})")
    return bool(rows and rows[0][0])


def fast_cells(store: Store, unit: str, by: list[str], roles: str | list[str] | None, kinds: list[str] | None,
               year_from: int | None, year_to: int | None,
               sample: Sample) -> tuple[str, list[str], dict[str, object]] | None:
    """The ``cells`` CTE from the pre-aggregated tables, or None when the question needs the credit rows.

    Why: distinct people per year over tens of millions of credits is a hash aggregation of seconds at full
    scale; ``person_years`` already holds one row per (year, person) with a mask of the (kind, role) pairs, and
    ``people_cells`` those rows counted per (year, mask, gender, p bin), so counting people is a scan of under a
    million rows with a bit test. ``credit_cells`` holds the credits counted per (year, kind,
    role, gender, evidence, p bin). Both give exactly the counts of the general path (tests compare them).
    """
    if sample.form != "all" or unit not in ("people", "credits") or not set(by) <= _FAST_BY:
        return None
    role_list = parse_roles(roles)
    check_years(year_from, year_to)
    if "kind" in by and _kinds_outside_mask(store):
        return None
    cols = group_columns(by)
    where, params = year_filters("year", year_from, year_to)
    time = {"year": "year", "decade": "(year // 10) * 10 AS decade"}
    if unit == "credits":
        where.append(f"role IN ({in_list(role_list)})")
        if kinds:
            where.append(f"kind IN ({in_list(kinds)})")
        sel = ", ".join([*(time.get(b, b) for b in by), "gender", "ev", "pb"])
        return (f"""cells AS (SELECT {sel}, sum(n) AS n FROM credit_cells
                    WHERE {" AND ".join(where)} GROUP BY ALL)""", cols, params)
    # people: one slot per (kind group, role group) with its mask; a person counts once per slot and time group
    kind_groups: list[tuple[str | None, list[str] | None]] = [(None, kinds)]
    if "kind" in by:
        kind_groups = [(k, [k]) for k in (kinds or derived.MASK_KINDS)]
        if not kinds:
            kind_groups.append((None, None))  # no kind, or one without a slot of its own: the NULL group
    role_groups: list[tuple[str | None, list[str]]] = [(None, role_list)]
    if "role" in by:
        role_groups = [(r, [r]) for r in role_list]
    slots = []
    for klabel, kset in kind_groups:
        for rlabel, rset in role_groups:
            mask = derived.mask_for(rset, kset) if klabel is not None or "kind" not in by else (
                derived.mask_for(rset, None) & ~derived.mask_for(rset, list(derived.MASK_KINDS)))
            slots.append((klabel, rlabel, mask))
    # The rows: people counted per (period, mask, gender, p bin) in people_cells -- per year, per decade or
    # overall; a year range on decades or on everything needs the person rows and a DISTINCT (the slow case,
    # kept exact: a person with several years in the group counts once). Which rows: samples.person_rows_plan.
    decoded = ", ".join([*cols, f"{derived.decode_gender_sql('ge')} AS gender", f"{derived.decode_ev_sql('ge')} AS ev",
                         "pbi / 100 AS pb", "n"])

    def counted(table: str, period: dict[str, str], conditions: list[str], distinct: bool) -> str:
        count = "count(*)" if distinct else "sum(p.n)::BIGINT"
        wsql = " AND ".join(conditions) or "true"
        if len(slots) == 1:
            labels = {"kind": slots[0][0], "role": slots[0][1]}
            source = f"(SELECT * FROM {table} p WHERE {wsql} AND (p.mask & {derived.hugeint(slots[0][2])}) <> 0) p"
            label_sql = {b: f"{_sql_or_null(v)}::VARCHAR AS {b}" for b, v in labels.items()}
        else:
            # One pass: each row gives one slot number per matching (kind, role) group, joined to the group's
            # labels; rows matching no group are dropped before the per-slot tests (one test instead of one per
            # group).
            cases = ", ".join(f"CASE WHEN (p.mask & {derived.hugeint(m)}) <> 0 THEN {i} END"
                              for i, (_, _, m) in enumerate(slots))
            values = ", ".join(f"({i}, {_sql_or_null(k)}::VARCHAR, {_sql_or_null(r)}::VARCHAR)"
                               for i, (k, r, _) in enumerate(slots))
            union = 0
            for _, _, m in slots:
                union |= m
            source = (f"(SELECT *, unnest(list_filter([{cases}], lambda x: x IS NOT NULL)) AS slot FROM {table} p "
                      f"WHERE {wsql} AND (p.mask & {derived.hugeint(union)}) <> 0) p "
                      f"JOIN (VALUES {values}) v(slot, kind, role) USING (slot)")
            label_sql = {"kind": "v.kind", "role": "v.role"}
        sel_parts = [period.get(b) or label_sql[b] for b in by]
        if not distinct:
            sel = ", ".join([*sel_parts, "p.ge", "p.pbi"])
            return f"SELECT {decoded} FROM (SELECT {sel}, {count} AS n FROM {source} GROUP BY ALL)"
        inner = ", ".join([*sel_parts, "p.person_key", "p.ge", "p.pbi"])
        outer = ", ".join([*cols, "ge", "pbi"])
        return (f"SELECT {decoded} FROM (SELECT {outer}, count(*) AS n "
                f"FROM (SELECT DISTINCT {inner} FROM {source}) GROUP BY ALL)")

    def stored(level: str, conditions: list[str]) -> str:
        column = f", period AS {level}" if level != "all" else ""
        table = f"(SELECT mask, ge, pbi, n{column} FROM people_cells WHERE level = '{level}')"
        return counted(table, {level: level} if level != "all" else {}, conditions, distinct=False)

    yearly = {"decade": "(year // 10) * 10 AS decade"}
    level = "year" if "year" in by else "decade" if "decade" in by else "all"
    plan, whole = person_rows_plan(by, year_from, year_to)
    if plan == "cells":  # (level "all" only without a range)
        cell_where = year_filters(level, year_from, year_to)[0] if level != "all" else []
        return f"cells AS ({stored(level, cell_where)})", cols, params
    if plan == "person_decades":
        decade_where = year_filters("decade", year_from, year_to)[0]
        return f"cells AS ({counted('person_decades', {}, decade_where, distinct=True)})", cols, params
    if plan == "person_years" or whole is None:
        return f"cells AS ({counted('person_years', yearly, where, distinct=True)})", cols, params
    inside = whole_decade_sql("decade", whole)
    cut = [*where, f"NOT ({whole_decade_sql('(year // 10) * 10', whole)})"]
    return (f"cells AS ({stored('decade', [inside])} UNION ALL {counted('person_years', yearly, cut, distinct=True)})",
            cols, params)


def _sql_or_null(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def share_counts(store: Store, roles: str | list[str] | None = None, by: str | list[str] | None = "year",
                 kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
                 sample: str | Sample | None = "all", unit: str = "people",
                 rollups: bool = True, exclude_series: str | None = None) -> tuple[pa.Table, list[str]]:
    """The raw per-group counts and sufficient statistics (before estimates), and the group columns.

    ``rollups=False`` always counts from the credit rows (``key_credits``), never from the pre-aggregated
    tables nor with the stored top-N ranks; the tests use it to check that both give the same counts.
    ``exclude_series`` (SQL selecting ``series_id``, :func:`crewparity.metrics.samples.excluded_series_sql`): those
    series and their episodes are left out, so the credit rows are counted (the pre-aggregated tables hold
    every title)."""
    check_unit(unit)
    by_list = parse_by(by)
    kind_list = parse_kinds(kinds)
    smp = parse_sample(sample)
    pre_counted = rollups and not exclude_series
    fast = fast_cells(store, unit, by_list, roles, kind_list, year_from, year_to, smp) if pre_counted else None
    if fast is not None:
        cells, cols, params = fast
        return store.arrow(f"WITH {cells} {counts_sql(cols)}", params), cols
    stored = (title_cells.stored_cells(store, unit, by_list, roles, kind_list, year_from, year_to, smp)
              if pre_counted else None)
    if stored is not None:
        cells, params = stored
        cols = group_columns(by_list)
        return store.arrow(f"WITH {cells} {counts_sql(cols)}", params), cols
    vocabulary = derived.genre_vocabulary(store) if "genre" in by_list else None
    if vocabulary is not None and unit in ("people", "credits"):
        cells, params = genre_unit_cells(store, unit, roles, by_list, kind_list, year_from, year_to, smp,
                                         vocabulary, rollups, exclude_series)
        cols = [name for b in by_list for name in _GROUPS[b][0]]
        sql = f"WITH {cells} {counts_sql(cols)}"
    else:
        scope, params = scope_cte(roles, kind_list, year_from, year_to, smp, needs=scope_needs(by_list),
                                  genre_mask=vocabulary is not None, ranks=rollups, inline=unit == "titles",
                                  exclude_series=exclude_series)
        g, cols = grouped_scope_sql(by_list, unit, vocabulary)
        cells = cells_sql(cols, derived.kind_vocabulary(store.con))
        stored_units = None
        if (rollups and title_units.answers(store, unit, by_list, smp, vocabulary)
                and title_units.faster(by_list, roles, kind_list, title_units.stored_key_roles(store))):
            units_ctes, _ = title_units.units_scope(store, by_list, roles, kind_list, year_from, year_to, smp,
                                                    exclude_series, masked=vocabulary is not None)
            g += f", {units_ctes}"
            stored_units = "units_g"
        units = units_sql(unit, cols, vocabulary, dense_titles(kind_list), stored=stored_units)
        sql = f"WITH {scope}, {g}, {units}, {cells} {counts_sql(cols)}"
    if "title" in by_list:
        return store.arrow(_with_title_names(sql, group_columns(by_list)), params), group_columns(by_list)
    return store.arrow(sql, params), cols


def share(store: Store, roles: str | list[str] | None = None, by: str | list[str] | None = "year",
          kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
          sample: str | Sample | None = "all", unit: str = "people", exclude_series: str | None = None) -> pa.Table:
    """Women's share per group. Columns: the group columns, women, men, nonbinary, unknown, total, share_known,
    share_expected, ci_low, ci_high, share_if_unknown_men, share_if_unknown_women, small, inferred.

    ``small`` flags groups whose total (in the chosen unit) is under ``thresholds.small_group`` of
    data/roles.toml; ``inferred`` is how many of the counted units rest on the first-name model.
    ``exclude_series``: series left out with their episodes (see :func:`share_counts`).
    """
    raw, cols = share_counts(store, roles, by, kinds, year_from, year_to, sample, unit,
                             exclude_series=exclude_series)
    if not cols and raw.num_rows == 1 and raw["total"][0].as_py() == 0:
        raw = raw.slice(0, 0)
    return add_estimates(raw, cols, calibration=estimate_calibration(store))
