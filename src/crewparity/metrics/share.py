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
``share_if_unknown_men`` / ``share_if_unknown_women`` are the hard bounds.
"""

from __future__ import annotations

import pyarrow as pa

from crewparity.errors import ArgumentError
from crewparity.gender.resolve import stored_calibration
from crewparity.metrics.estimates import add_estimates
from crewparity.metrics.samples import Sample, parse_kinds, parse_sample, scope_cte
from crewparity.store import Store

BY_OPTIONS: tuple[str, ...] = ("year", "decade", "genre", "kind", "title", "role", "none")
UNITS: tuple[str, ...] = ("credits", "people", "titles")
#: resolved sources that are recorded facts (the rest: ``name_model`` inferred, ``none`` no information).
RECORDED_SOURCES: tuple[str, ...] = ("overrides", "crewlist", "wikidata", "tmdb", "imdb")

#: group option -> (output columns, SQL expressions over the ``scope`` row ``s``)
_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "year": (("year",), ("s.year",)),
    "decade": (("decade",), ("(s.year // 10) * 10",)),
    "genre": (("genre",), ("s.genre",)),
    "kind": (("kind",), ("s.kind",)),
    "title": (("title_id", "title"), ("s.title_id", "s.title")),
    "role": (("role",), ("s.role",)),
}


def parse_by(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``year,genre`` -> the group options in order; ``none`` (or nothing) is one overall row."""
    if by is None:
        return []
    items = by.split(",") if isinstance(by, str) else list(by)
    out: list[str] = []
    for item in items:
        w = str(item).strip().lower()
        if not w:
            continue
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
    return [c for b in by for c in _GROUPS[b][0]]


#: the scope columns each group option and unit needs (see samples.scope_cte)
_NEEDS = {"genre": ("genres",), "kind": ("kind",), "title": ("title_id", "title")}


def scope_needs(by: list[str], unit: str) -> set[str]:
    needs = {c for b in by for c in _NEEDS.get(b, ())}
    if unit == "titles":
        needs.add("title_id")
    return needs


def grouped_scope_sql(by: list[str], unit: str = "people") -> tuple[str, list[str]]:
    """A CTE ``g`` over ``scope`` with the group columns (genre unnested: a title counts in each genre)."""
    cols: list[str] = []
    exprs: list[str] = []
    for b in by:
        names, sql = _GROUPS[b]
        cols.extend(names)
        exprs.extend(f"{e} AS {n}" for e, n in zip(sql, names, strict=True))
    source = "scope s"
    if "genre" in by:
        source = ("(SELECT *, unnest(CASE WHEN genres IS NULL OR len(genres) = 0 THEN [NULL::VARCHAR] "
                  "ELSE genres END) AS genre FROM scope) s")
    keep = ["s.person_id", "s.title_id"] if unit == "titles" and "title" not in by else ["s.person_id"]
    select = ", ".join([*keep, *exprs])
    return f"g AS (SELECT {select} FROM {source})", cols


def _evidence_sql(alias: str = "r") -> str:
    recorded = ", ".join(f"'{s}'" for s in RECORDED_SOURCES)
    return f"""CASE WHEN {alias}.source IN ({recorded}) AND {alias}.gender IN ('woman', 'man', 'nonbinary')
                     THEN 'rec_' || {alias}.gender
                     WHEN {alias}.source = 'name_model' AND {alias}.p_woman IS NOT NULL THEN 'model'
                     ELSE 'noinfo' END"""


def units_sql(unit: str, cols: list[str]) -> str:
    """CTE ``u``: one row per counted unit in each group, with gender, evidence kind (ev) and p_woman."""
    gcols = ", ".join(f"g.{c}" for c in cols)
    gsel = (gcols + ", ") if cols else ""
    join = "LEFT JOIN resolved_gender r ON r.person_id = x.person_id"
    base = f"coalesce(r.gender, 'unknown') AS gender, {_evidence_sql()} AS ev, r.p_woman"
    xcols = ", ".join(cols)
    xsel = (xcols + ", ") if cols else ""
    if unit == "credits":
        return f"u AS (SELECT {xsel}x.person_id, {base} FROM (SELECT {gsel}g.person_id FROM g) x {join})"
    if unit == "people":
        return f"u AS (SELECT {xsel}x.person_id, {base} FROM (SELECT DISTINCT {gsel}g.person_id FROM g) x {join})"
    # titles: classify each title in each group from the people on it (by=title already groups by title_id)
    extra = [] if "title_id" in cols else ["title_id"]
    grp = ", ".join([*cols, *extra])
    psel = ", ".join([*cols, *extra, "x.person_id"])
    gsel_t = ", ".join([*(f"g.{c}" for c in [*cols, *extra]), "g.person_id"])
    return f"""
        p AS (
            SELECT {psel}, {base}
            FROM (SELECT DISTINCT {gsel_t} FROM g) x {join}
        ),
        t AS (
            SELECT {grp},
                   bool_or(gender = 'woman') AS any_w, bool_or(gender = 'nonbinary') AS any_nb,
                   bool_or(gender = 'unknown') AS any_u,
                   bool_or(ev = 'rec_woman') AS rec_w, bool_or(ev = 'rec_nonbinary') AS rec_nb,
                   bool_or(ev = 'noinfo') AS any_noinfo,
                   count(*) FILTER (WHERE ev = 'model') AS n_model,
                   product(1 - p_woman) FILTER (WHERE ev = 'model') AS prod_not
            FROM p GROUP BY {grp}
        ),
        u AS (
            SELECT {xsel}title_id AS person_id,
                   CASE WHEN any_w THEN 'woman' WHEN any_nb THEN 'nonbinary' WHEN any_u THEN 'unknown'
                        ELSE 'man' END AS gender,
                   CASE WHEN rec_w THEN 'rec_woman' WHEN any_noinfo THEN 'noinfo' WHEN n_model > 0 THEN 'model'
                        WHEN rec_nb THEN 'rec_nonbinary' ELSE 'rec_man' END AS ev,
                   CASE WHEN NOT rec_w AND NOT any_noinfo AND n_model > 0 THEN 1 - prod_not END AS p_woman
            FROM t
        )"""


def counts_sql(cols: list[str]) -> str:
    """The final two-level aggregation over ``u``: counts, evidence counts and the p_woman histogram."""
    c = ", ".join(cols)
    csel = (c + ", ") if cols else ""
    group_cells = f"GROUP BY {c}, gender, ev, pb" if cols else "GROUP BY gender, ev, pb"
    group_final = f"GROUP BY {c}" if cols else ""
    order = f"ORDER BY {', '.join(f'{x} NULLS LAST' for x in cols)}" if cols else ""
    return f"""
        cells AS (
            SELECT {csel}gender, ev, CASE WHEN ev = 'model' THEN round(p_woman, 2) END AS pb,
                   count(*) AS n
            FROM u {group_cells}
        )
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
               list(pb ORDER BY pb) FILTER (WHERE ev = 'model') AS p_bins,
               list(n ORDER BY pb) FILTER (WHERE ev = 'model') AS p_counts
        FROM cells {group_final}
        {order}"""


def share_counts(store: Store, roles: str | list[str] | None = None, by: str | list[str] | None = "year",
                 kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
                 sample: str | Sample | None = "all", unit: str = "people") -> tuple[pa.Table, list[str]]:
    """The raw per-group counts and sufficient statistics (before estimates), and the group columns."""
    check_unit(unit)
    by_list = parse_by(by)
    kind_list = parse_kinds(kinds)
    smp = parse_sample(sample)
    scope, params = scope_cte(roles, kind_list, year_from, year_to, smp, needs=scope_needs(by_list, unit),
                              distinct=unit == "credits")
    g, cols = grouped_scope_sql(by_list, unit)
    sql = f"WITH {scope}, {g}, {units_sql(unit, cols)}, {counts_sql(cols)}"
    return store.arrow(sql, params), cols


def share(store: Store, roles: str | list[str] | None = None, by: str | list[str] | None = "year",
          kinds: str | list[str] | None = None, year_from: int | None = None, year_to: int | None = None,
          sample: str | Sample | None = "all", unit: str = "people") -> pa.Table:
    """Women's share per group. Columns: the group columns, women, men, nonbinary, unknown, total, share_known,
    share_expected, ci_low, ci_high, share_if_unknown_men, share_if_unknown_women, small, inferred.

    ``small`` flags groups whose total (in the chosen unit) is under ``thresholds.small_group`` of
    data/roles.toml; ``inferred`` is how many of the counted units rest on the first-name model.
    """
    raw, cols = share_counts(store, roles, by, kinds, year_from, year_to, sample, unit)
    if not cols and raw.num_rows == 1 and raw["total"][0].as_py() == 0:
        raw = raw.slice(0, 0)
    return add_estimates(raw, cols, calibration=stored_calibration(store))
