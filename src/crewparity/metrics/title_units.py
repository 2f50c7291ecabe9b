"""Titles as the unit from stored per-title classes: ``share --unit titles`` for any roles and groupings
without classifying tens of millions of credits at query time.

Why: a title counts once per group, classified from the set of people on it in the chosen roles
(:func:`crewparity.metrics.share.units_sql`). From the credit rows that is a hash aggregation into as many
groups as (group, title) pairs: titles by year and role over every kind took 8.1 s at full scale, by year and
genre 7.3 s (docs/performance.md, the fifteenth session's grid of every share shape). ``title_units`` holds
the classes once per write, one row per (title, year, role, genre mask) — the same class the query would
work out for that row's people: their gender and evidence codes as one set, how many are inferred and the
product of (1 - p_woman) over those distinct people — and one more row per (title, year, genre mask) for the
key roles together (``role_code`` NULL), whose people are counted once however many key roles they hold.

A question then reads these rows. A row whose title has one genre mask (and, for groupings without the
year, one year) is a unit as it is (``alone``): most titles are films of one year. The others (series over
several years, titles whose episodes carry different genre lists, several roles merged into one group) are
merged per unit, their products multiplied, and the merged units with inferred people in two rows or more
take the product over their distinct people from the credit rows, as the query from credits does.
Exact: tests compare every shape with the credit-row path.

Not answered here (the credit rows are read): ``--by title``, list samples, stores whose genres do not fit
the genre mask when grouping by genre, and ``rollups=False`` (the tests' reference path).
"""

from __future__ import annotations

import json

import duckdb

from crewparity.metrics import derived
from crewparity.metrics.roles import key_roles, parse_roles
from crewparity.metrics.samples import Sample, scope_cte
from crewparity.store import Store

#: meta key: the roles (JSON list) the ``title_units`` rows with ``role_code`` NULL merge
KEY_ROLES_KEY = "derived_title_units_key_roles"
#: the group options these rows answer (``title`` reads the credits)
STORED_BY = frozenset({"year", "decade", "kind", "role", "genre"})


def _classes_sql(role: str, where: str) -> str:
    """One row per (title, year, ``role``, genre mask) of the credits matching ``where``, each person once.

    The product is taken in the people's order: a product of doubles in the order a parallel aggregation meets
    them differs in its last digits between two ingests of the same files (the store must be the same; about a
    quarter more time for this table at scale 0.1). A sum of logarithms would be order-free but moves p bins that
    sit on a rounding edge away from what the credit rows give."""
    model = derived.ev_is_sql("ge", "model")
    person_role = ", role_code" if role == "role_code" else ""
    return f"""
        SELECT title_key, year, {role}::UTINYINT AS role_code, genre_mask, any_value(kind_code) AS kind_code,
               any_value(year_rank) AS year_rank, any_value(kind_rank) AS kind_rank,
               bit_or({derived.code_set_sql('ge')}) AS codes,
               count(*) FILTER (WHERE {model})::UINTEGER AS n_model,
               product(1 - p_woman ORDER BY person_key) FILTER (WHERE {model}) AS prod_not
        FROM (SELECT DISTINCT title_key, year{person_role}, genre_mask, kind_code, year_rank, kind_rank, person_key,
                     ge, p_woman
              FROM key_credits {where})
        GROUP BY title_key, year{person_role}, genre_mask"""


def rebuild(con: duckdb.DuckDBPyConnection, titles: str | None = None) -> None:
    """Write ``title_units`` and record the key roles its NULL-role rows merge: the rows per role, then the key
    roles together, each with its title's flags (``one_mask``: every row of the title has one genre mask;
    ``one_year``: and one year). In steps: the per-role rows are read twice (flags, then the table), not worked
    out twice.

    ``titles``: SQL selecting the ``title_key`` of the only titles to work out again (after a write that changed
    some people's genders: a title's class follows its people's genders, and only their titles change); their
    rows are replaced, the others kept. Every row and flag depends on its own title's credits alone."""
    if titles is not None and derived.meta_list(con, KEY_ROLES_KEY) != list(key_roles()):
        titles = None  # the other titles' merged rows are of other key roles: all of them again
    keyed = derived.has_role_sql("role_code", list(key_roles()))
    only = f"title_key IN ({titles})" if titles is not None else "true"
    con.execute(f"CREATE OR REPLACE TEMP TABLE cp_units AS {_classes_sql('role_code', f'WHERE {only}')}")
    try:
        con.execute(f"INSERT INTO cp_units {_classes_sql('NULL', f'WHERE {keyed} AND {only}')}")
        rows = """
            SELECT r.*, f.one_mask, f.one_year AND f.one_mask
            FROM cp_units r
            JOIN (SELECT title_key, count(DISTINCT genre_mask) <= 1 AS one_mask,
                         count(DISTINCT year) + bool_or(year IS NULL)::INTEGER <= 1 AS one_year
                  FROM cp_units WHERE role_code IS NOT NULL GROUP BY title_key) f USING (title_key)"""
        if titles is None:
            derived.replace_table(con, "title_units", rows)
        else:
            con.execute("DELETE FROM title_units WHERE title_key IN (SELECT DISTINCT title_key FROM cp_units)")
            con.execute(f"INSERT INTO title_units {rows}")
    finally:
        con.execute("DROP TABLE IF EXISTS cp_units")
    con.execute("DELETE FROM meta WHERE key = ?", [KEY_ROLES_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [KEY_ROLES_KEY, json.dumps(list(key_roles()))])


def answers(store: Store, unit: str, by: list[str], sample: Sample, genre_vocabulary: list[str] | None) -> bool:
    """True when ``title_units`` answers this question exactly (see the module docstring)."""
    if unit != "titles" or not set(by) <= STORED_BY or sample.form == "list":
        return False
    if "genre" in by and genre_vocabulary is None:
        return False
    return derived.meta_list(store.con, KEY_ROLES_KEY) is not None


def stored_key_roles(store: Store) -> list[str]:
    """The roles the rows with ``role_code`` NULL merge (none recorded: an empty list)."""
    return derived.meta_list(store.con, KEY_ROLES_KEY) or []


def faster(by: list[str], roles: str | list[str] | None, kinds: list[str] | None, stored_key: list[str]) -> bool:
    """True when these rows answer faster than the credit rows (the two paths timed shape by shape at full scale,
    docs/performance.md): grouped by year, each title's rows are its units as they are (titles by year and role
    over every kind 6.6 -> 1.0 s); grouped by genre, the stored rows spare the credit path's per-genre work even
    where series are merged (directors by genre 1.6 -> 1.0 s). Otherwise a series over several years is merged and
    takes its exact product from the credit rows as well, no faster (by role 3.9 s either way; directors over
    series by kind 0.46 -> 0.60 s), unless the kinds gather no episodes (movies: key roles by role 0.27 -> 0.08
    s). Roles merged at query time (a set other than the key roles, without ``--by role``) are no faster either
    (composers and casting by year 1.1 -> 1.4 s). Grouped by role over every kind, the stored rows are faster
    although series merge (full scale, one thread, CPU s: key roles 6.5-7.9 -> 4.7, directors 1.7-1.8 -> 1.2,
    composers and casting 1.8 -> 1.6), not over the series alone (directors 0.78 -> 0.84) nor by decade (key roles
    3.2 either way, directors 1.5-1.8 -> 1.8, composers and casting 1.6 -> 2.3)."""
    from crewparity.metrics.samples import SERIES_KINDS

    if bool(kinds) and not set(kinds or ()) & set(SERIES_KINDS):
        return True
    role_list = parse_roles(roles)
    merged = "role" not in by and len(role_list) > 1 and set(role_list) != set(stored_key)
    if set(by) == {"role"} and not kinds:  # (by role with decade or kind: not measured)
        return True
    return bool({"year", "genre"} & set(by)) and not merged


def units_scope(store: Store, by: list[str], roles: str | list[str] | None, kinds: list[str] | None,
                year_from: int | None, year_to: int | None, sample: Sample,
                exclude_series: str | None, masked: bool) -> tuple[str, dict[str, object]]:
    """The CTEs ``units_scope`` (the rows in scope) and ``units_g`` (with the group columns named as ``g`` names
    them, and ``alone``), to pass to :func:`crewparity.metrics.share.units_sql` as ``stored='units_g'``."""
    from crewparity.metrics.share import _GROUPS  # share imports this module

    role_list = parse_roles(roles)
    stored_key = stored_key_roles(store)
    per_role = "role" in by or len(role_list) == 1
    if not per_role and set(role_list) == set(stored_key):
        condition, merged = "k.role_code IS NULL", False
    else:
        codes = ", ".join(str(derived.CREW_ROLES.index(r)) for r in role_list)
        condition, merged = f"k.role_code IN ({codes})", not per_role
    cte, params = scope_cte(roles, kinds, year_from, year_to, sample, genre_mask=masked, ranks=True,
                            exclude_series=exclude_series, units=condition)
    exprs = [f"{e} AS {n}" for b in by if b != "genre" for e, n in zip(_GROUPS[b][1], _GROUPS[b][0], strict=True)]
    alone = "false" if merged else "s.one_mask" if "year" in by else "s.one_year"
    select = ", ".join([*exprs, "s.title_key", "s.genre_mask", "s.codes", "s.n_model", "s.prod_not",
                        f"{alone} AS alone"])
    return f"{cte}, units_g AS NOT MATERIALIZED (SELECT {select} FROM units_scope s)", params
