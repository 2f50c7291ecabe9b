"""Titles as the unit, counted once per write for the key roles: ``share --unit titles`` by year, kind
and genre without classifying every title at query time.

Why: a title counts once, classified from the set of people on it in the chosen roles (:func:`crewparity.
metrics.share.units_sql`). Over every kind that is a hash of 37M key-role credits into 2.3M titles at full
scale, 1.9 s by kind and more by year and kind on this machine's kind, over the 1 s a share question may take.
The answer for the key roles, which is what the studies and the dashboard ask, only changes when a write
changes titles, credits or genders, so it is counted then, by the same SQL as the query
(:func:`counted_cells_sql`): the titles per (year, kind), per kind over all years and per (kind, genre) over
all years, by gender, evidence kind and p bin (``title_cells``, a few thousand rows). A question is then a sum
over those rows.

Exact for: the key roles recorded in meta (:data:`TITLE_ROLES_KEY`), the ``all`` sample, any kinds, ``--by``
within year and kind (or none) or within genre and kind, and a year range only with ``--by year`` (a title
counts once per year, so the rows of the years in range are the answer). A title over several years counts
once over them: without ``--by year`` a year range needs the credits, and takes the general path. Tests
compare both paths shape by shape.
"""

from __future__ import annotations

import json

import duckdb

from crewparity.metrics import derived
from crewparity.metrics.roles import key_roles, parse_roles
from crewparity.metrics.samples import Sample, in_list, scope_cte, year_filters
from crewparity.store import Store

#: meta key: the roles (JSON list) ``title_cells`` counted
TITLE_ROLES_KEY = "derived_title_roles"
#: the group options the stored title counts answer
STORED_BY = frozenset({"year", "kind", "genre"})


def counted_cells_sql(by: list[str], kinds: list[str], vocabulary: list[str] | None = None) -> str:
    """The titles of the key roles over every kind counted per ``by`` (year, kind, genre), gender, evidence kind
    and p bin, by the query's own SQL: rows (by..., gender, ev, pb, n). ``vocabulary``: the genre mask's genres
    (needed with genre)."""
    from crewparity.metrics.share import cells_sql, grouped_scope_sql, units_sql  # share imports this module

    masked = "genre" in by
    scope, _ = scope_cte(list(key_roles()), None, None, None, Sample(), needs={"genres"} if masked else (),
                         genre_mask=masked, ranks=False, inline=True)
    g, cols = grouped_scope_sql(by, "titles", vocabulary if masked else None)
    units = units_sql("titles", cols, vocabulary if masked else None)
    return f"WITH {scope}, {g}, {units}, {cells_sql(cols, kinds)} SELECT * FROM cells"


def rebuild_sql(kinds: list[str], vocabulary: list[str] | None) -> str:
    """The ``title_cells`` rows: level ``year`` (per year and kind), ``all`` (per kind over every year) and, when
    the store's genres fit the genre mask, ``genre`` (per kind and genre over every year)."""
    per_year = counted_cells_sql(["year", "kind"], kinds)
    overall = counted_cells_sql(["kind"], kinds)
    parts = [f"SELECT 'year', year, kind, NULL, gender, ev, pb, n FROM ({per_year})",
             f"SELECT 'all', NULL, kind, NULL, gender, ev, pb, n FROM ({overall})"]
    if vocabulary is not None:
        per_genre = counted_cells_sql(["kind", "genre"], kinds, vocabulary)
        parts.append(f"SELECT 'genre', NULL, kind, genre, gender, ev, pb, n FROM ({per_genre})")
    return " UNION ALL ".join(parts)


def rebuild(con: duckdb.DuckDBPyConnection, kinds: list[str]) -> None:
    """Write ``title_cells`` and record the roles it counted (every rebuild, and every update of genders: a
    title's class follows its people's genders)."""
    derived.replace_table(con, "title_cells", rebuild_sql(kinds, derived.meta_list(con, derived.GENRES_KEY)))
    con.execute("DELETE FROM meta WHERE key = ?", [TITLE_ROLES_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [TITLE_ROLES_KEY, json.dumps(list(key_roles()))])


def stored_cells(store: Store, unit: str, by: list[str], roles: str | list[str] | None, kinds: list[str] | None,
                 year_from: int | None, year_to: int | None, sample: Sample) -> tuple[str, dict[str, object]] | None:
    """The ``cells`` CTE from ``title_cells`` for a question it answers exactly (see the module docstring), else
    None."""
    if unit != "titles" or sample.form != "all" or not set(by) <= STORED_BY or {"year", "genre"} <= set(by):
        return None
    if (year_from is not None or year_to is not None) and "year" not in by:
        return None
    if "genre" in by and not store.rows("SELECT 1 FROM title_cells WHERE level = 'genre' LIMIT 1"):
        return None  # a store whose genres do not fit the mask: the general path joins the genre lists
    stored = derived.meta_list(store.con, TITLE_ROLES_KEY)
    if stored is None or set(stored) != set(parse_roles(roles)):
        return None
    level = "year" if "year" in by else "genre" if "genre" in by else "all"
    where, params = year_filters("year", year_from, year_to)
    where.append(f"level = '{level}'")
    if kinds:
        where.append(f"kind IN ({in_list(kinds)})")
    select = ", ".join([*by, "gender", "ev", "pb"])
    cells = f"SELECT {select}, sum(n)::BIGINT AS n FROM title_cells WHERE {' AND '.join(where)} GROUP BY ALL"
    return f"cells AS ({cells})", params
