"""How many women worked on each title, and how many titles had no woman in a role (Celluloid Ceiling style).

Both tables count the titles of the sample (after episodes roll up to their series) that have a credit in the
roles, and say separately how many of the sample's titles have none (``no_credit``). The sample: for ``top:N``
and ``list:FILE`` every title the sample holds, as ``compare``'s ``titles`` counts it; for ``all`` the titles
with a credit in the chosen roles (a store lists every title IMDb has, most of them without any crew credit), so
``no_credit`` is 0 there. A title without a credit in a role is missing data, not a title that "employed no
woman" in it: the published studies count films that have the role, and IMDb lists few credits in some roles.
So ``share_no_woman`` is over the titles with a credit in the role (``titles_with_role``), as ``compare``'s
no-woman rows are, and the buckets (0, 1, 2, ...) hold the titles with a credit in at least one of the roles,
``no_credit`` the others (never bucket 0). A woman is counted once per title however many of the roles she
held. "No woman" means no person *known* to be a woman: the ``uncertain`` column says how many of those titles
have someone in the role whose gender is unknown, so the reader sees how firm the figure is.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from crewparity.errors import ArgumentError
from crewparity.metrics import derived
from crewparity.metrics.roles import parse_roles
from crewparity.metrics.samples import Sample, in_list, parse_kinds, parse_sample, sample_titles_cte, scope_cte
from crewparity.store import Store

#: (label, lowest, highest) of each bucket of women per title.
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3-5", 3, 5), ("6-9", 6, 9), ("10+", 10, None))
DIST_BY: tuple[str, ...] = ("none", "year")
#: ``--part``: the buckets, the per-role table, or both (a terminal table each, or one JSON object with both)
DIST_PARTS: tuple[str, ...] = ("buckets", "roles", "both")
#: the formats that hold one table, so ``--part both`` cannot be written as one of them
ONE_TABLE_FORMATS: tuple[str, ...] = ("csv", "parquet")


def check_part(part: str, fmt: str = "table", given: str | None = None) -> str:
    """``part`` if it is one of :data:`DIST_PARTS` and ``fmt`` can hold it; the CLI and ``/api/distribution``
    refuse a bad value with the same message. ``both`` is a table per part, or one JSON object with both
    (``{"buckets": [...], "roles": [...]}``); csv and parquet hold one table, so the message says what to add.
    ``given``: how the format was chosen, for the message (default ``--format FMT``)."""
    if part not in DIST_PARTS:
        raise ArgumentError(f"unknown --part {part!r}; allowed: {', '.join(DIST_PARTS)}")
    if part == "both" and fmt in ONE_TABLE_FORMATS:
        raise ArgumentError(f"{given or f'--format {fmt}'} writes one table: add --part buckets or --part roles "
                            "(--format json writes both parts as one object)")
    return part


def check_by(by: str | None) -> bool:
    """Whether ``--by`` asks for one distribution per year (None: one in all). A blank value is an error naming
    the allowed ones, not a silent ``none``; so is one of another type."""
    if by is None:
        return False
    if not isinstance(by, str):
        raise ArgumentError(f"--by={by!r} is not text; allowed: {', '.join(DIST_BY)}")
    w = by.strip().lower()
    if not w.strip(", "):
        raise ArgumentError(f"--by is empty; allowed: {', '.join(DIST_BY)}")
    if w not in DIST_BY:
        raise ArgumentError(f"unknown --by {by!r} for distribution; allowed: {', '.join(DIST_BY)}")
    return w == "year"


def _buckets_sql() -> str:
    rows = ", ".join(f"('{label}', {i}, {lo}, {hi if hi is not None else 'NULL'})"
                     for i, (label, lo, hi) in enumerate(BUCKETS))
    return f"buckets(bucket, ord, lo, hi) AS (VALUES {rows})"


def _scope_and_titles(roles: str | list[str] | None, kinds: str | list[str] | None, year_from: int | None,
                      year_to: int | None, sample: str | Sample | None, by_year: bool,
                      exclude_series: str | None = None) -> tuple[str, dict[str, Any]]:
    """The ``scope`` CTE and ``sample_keys``: one row per title (and year, ``by_year``) of the sample, with a credit
    in the roles or not (:func:`sample_titles_cte`; for ``all``, the titles in ``scope``)."""
    kind_list, smp = parse_kinds(kinds), parse_sample(sample)
    scope, params = scope_cte(roles, kind_list, year_from, year_to, smp, needs=(), exclude_series=exclude_series)
    y = "year, " if by_year else ""
    sampled = sample_titles_cte(kind_list, year_from, year_to, smp)
    if sampled is None:
        return f"{scope}, sample_keys AS (SELECT DISTINCT {y}title_key FROM scope)", params
    sql, sample_params = sampled
    # the union keeps every credited title even if the two ever disagreed on one (they are built to agree)
    return (f"{scope}, {sql}, sample_keys AS (SELECT {y}title_key FROM sample_titles UNION SELECT {y}title_key FROM scope)",
            {**params, **sample_params})


def distribution(store: Store, roles: str | list[str] | None = None, kinds: str | list[str] | None = None,
                 year_from: int | None = None, year_to: int | None = None, sample: str | Sample | None = "all",
                 by: str | None = "none") -> pa.Table:
    """Titles by the number of women in the roles: columns [year], women_per_title (0, 1, 2, 3-5, 6-9, 10+),
    titles, share_of_titles, titles_with_unknown (titles in the bucket where someone's gender is unknown, so the
    true number of women may be higher) and no_credit.

    The buckets hold the titles of the sample with a credit in at least one of the roles (bucket 0: credited,
    none of them known to be a woman); share_of_titles is over those. ``no_credit`` (the same on every row of a
    year, or of the table) counts the sample's titles without any credit in the roles, in no bucket: a title
    IMDb lists no credit for did not "employ no woman" (always 0 for the ``all`` sample, which is the credited
    titles)."""
    by_year = check_by(by)
    ctes, params = _scope_and_titles(roles, kinds, year_from, year_to, sample, by_year)
    y = "year, " if by_year else ""
    ty = "t.year, " if by_year else ""
    join_year = "g.year IS NOT DISTINCT FROM c.year AND " if by_year else ""
    grid_order = "g.year NULLS LAST, " if by_year else ""
    return store.arrow(
        f"""
        WITH {ctes}, {_buckets_sql()},
        credited AS (
            SELECT {y}s.title_key,
                   count(DISTINCT s.person_key) FILTER (WHERE {derived.gender_is_sql('s.ge', 'woman')}) AS women,
                   bool_or({derived.gender_is_sql('s.ge', 'unknown')}) AS any_unknown
            FROM scope s
            GROUP BY {y}s.title_key
        ),
        per_title AS (  -- a title of the sample without a credit in the roles: in no bucket, counted in no_credit
            SELECT {ty}t.title_key, c.women, c.any_unknown, c.title_key IS NULL AS no_credit
            FROM sample_keys t LEFT JOIN credited c ON c.title_key = t.title_key
                 {"AND c.year IS NOT DISTINCT FROM t.year" if by_year else ""}
        ),
        counted AS (
            SELECT {ty}b.bucket, count(*) AS titles, count(*) FILTER (WHERE t.any_unknown) AS titles_with_unknown
            FROM per_title t JOIN buckets b ON t.women >= b.lo AND (b.hi IS NULL OR t.women <= b.hi)
            WHERE NOT t.no_credit
            GROUP BY {ty}b.bucket
        ),
        groups AS (SELECT {y}count(*) FILTER (WHERE no_credit) AS no_credit FROM per_title
                   {"GROUP BY year" if by_year else "HAVING count(*) > 0"}),
        grid AS (SELECT {"g.year, " if by_year else ""}g.no_credit, b.bucket, b.ord FROM groups g CROSS JOIN buckets b)
        SELECT {"g.year, " if by_year else ""}g.bucket AS women_per_title,
               coalesce(c.titles, 0)::BIGINT AS titles,
               coalesce(c.titles, 0)
                   / nullif(sum(coalesce(c.titles, 0)) OVER ({"PARTITION BY g.year" if by_year else ""}), 0)
                   AS share_of_titles,
               coalesce(c.titles_with_unknown, 0)::BIGINT AS titles_with_unknown,
               g.no_credit::BIGINT AS no_credit
        FROM grid g LEFT JOIN counted c ON {join_year}c.bucket = g.bucket
        ORDER BY {grid_order}g.ord
        """,
        params,
    )


def no_woman_by_role(store: Store, roles: str | list[str] | None = None, kinds: str | list[str] | None = None,
                     year_from: int | None = None, year_to: int | None = None, sample: str | Sample | None = "all",
                     by: str | None = "none", exclude_series: str | None = None) -> pa.Table:
    """Per role: titles (every title of the sample), titles_with_role (those with a credit in the role),
    no_credit (those without: titles - titles_with_role), no_woman (of the titles with a credit in the role, those
    where no one credited in it is known to be a woman), share_no_woman (no_woman / titles_with_role; null when
    no title has the credit) and uncertain (of the no_woman titles, those with someone in the role of unknown
    gender). A title without a credit in the role is not a title with no woman in it: it is missing data, and is
    counted in no_credit alone (``compare``'s no-woman rows use the same figures). ``exclude_series`` (sample
    ``all`` only: a top-N or a list names its own titles): series left out with their episodes."""
    by_year = check_by(by)
    if exclude_series and parse_sample(sample).form != "all":
        raise ArgumentError("series can be left out of sample all only; a top:N or list:FILE sample names its titles")
    ctes, params = _scope_and_titles(roles, kinds, year_from, year_to, sample, by_year, exclude_series)
    y = "year, " if by_year else ""
    role_list = parse_roles(roles)
    role_names = ", ".join(f"({derived.CREW_ROLES.index(r)}, {in_list([r])})" for r in role_list)
    return store.arrow(
        f"""
        WITH {ctes},
        roles AS (SELECT * FROM (VALUES {role_names}) r(role_code, role)),
        per AS (
            SELECT {y}s.title_key, s.role_code,
                   bool_or({derived.gender_is_sql('s.ge', 'woman')}) AS has_woman,
                   bool_or({derived.gender_is_sql('s.ge', 'unknown')}) AS has_unknown
            FROM scope s
            GROUP BY {y}s.title_key, s.role_code
        ),
        grid AS (SELECT {"t.year, " if by_year else ""}t.title_key, ro.role_code, ro.role
                 FROM sample_keys t CROSS JOIN roles ro)
        SELECT {"g.year, " if by_year else ""}g.role,
               count(*)::BIGINT AS titles,
               count(p.title_key)::BIGINT AS titles_with_role,
               count(*) FILTER (WHERE p.title_key IS NULL)::BIGINT AS no_credit,
               count(*) FILTER (WHERE NOT p.has_woman)::BIGINT AS no_woman,
               count(*) FILTER (WHERE NOT p.has_woman) / nullif(count(p.title_key), 0) AS share_no_woman,
               count(*) FILTER (WHERE NOT p.has_woman AND p.has_unknown)::BIGINT AS uncertain
        FROM grid g LEFT JOIN per p ON p.title_key = g.title_key AND p.role_code = g.role_code
             {"AND p.year IS NOT DISTINCT FROM g.year" if by_year else ""}
        GROUP BY {"g.year, " if by_year else ""}g.role
        ORDER BY {"g.year NULLS LAST, " if by_year else ""}g.role
        """,
        params,
    )
