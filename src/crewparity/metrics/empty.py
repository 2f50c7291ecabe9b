"""Why a question has no rows: one line for the CLI's note and the Python API's warning.

An empty table is a valid answer (a selection that matches nothing), but on its own it does not say whether the
store lacks the titles, the years, the vote counts a ``top:N`` sample ranks by, or the roles asked for. The
CLI says why on stderr; the Python API warns with :class:`EmptyResultWarning` and keeps the line in the
table's schema metadata (:data:`EMPTY_KEY`), so both say the same thing.
"""

from __future__ import annotations

import pyarrow as pa

from crewparity.metrics.roles import parse_roles
from crewparity.metrics.samples import Sample, parse_kinds, parse_sample
from crewparity.store import Store

#: the schema metadata key of an empty result's reason
EMPTY_KEY = b"crewparity.empty_reason"


class EmptyResultWarning(UserWarning):
    """A share or distribution matched nothing; the message says what the store lacks."""


NO_CREDITS = "no credits match this selection"


def empty_reason(store: Store, roles: str | list[str] | None, kind: str | list[str] | None, year_from: int | None,
                 year_to: int | None, sample: str | Sample | None) -> str:
    """Why a share or distribution has no rows, as one line (worded as the report's "No credits match this
    selection"): the first of a few cheap checks on the store that explains it, else the selection as a whole.
    Run only for an empty result, so its queries cost nothing on the common path."""
    kinds = parse_kinds(kind)
    smp = parse_sample(sample)
    of_kinds = "($kinds::VARCHAR[] IS NULL OR list_contains($kinds, kind))"
    (titled,), = store.rows(f"SELECT count(*) FROM titles WHERE {of_kinds}", {"kinds": kinds})
    if kinds and not titled:
        held = [k for (k,) in store.rows("SELECT DISTINCT kind FROM titles WHERE kind IS NOT NULL ORDER BY kind")]
        has = f" (it has {', '.join(held)}; leave out --kind for every kind)" if held else ""
        return f"{NO_CREDITS}: the store has no titles of kind {', '.join(kinds)}{has}"
    (lo, hi), = store.rows("SELECT min(year), max(year) FROM titles")
    if lo is None and titled and (year_from is not None or year_to is not None):
        return f"{NO_CREDITS}: no title in the store has a year, which --from and --to select by"
    if lo is not None and ((year_from is not None and year_from > hi) or (year_to is not None and year_to < lo)):
        return f"{NO_CREDITS}: the store's titles are from {lo} to {hi}"
    if smp.form == "top":
        (voted,), = store.rows(f"SELECT count(*) FROM titles WHERE votes IS NOT NULL AND {of_kinds}", {"kinds": kinds})
        if not voted:
            what = "the store has" if not kinds else f"the store's titles of kind {', '.join(kinds)} have"
            return (f"{NO_CREDITS}: {what} no IMDb vote counts, which --sample {smp} ranks titles by "
                    "(IMDb's title.ratings.tsv.gz holds them)")
    if smp.form == "list":
        (listed,), = store.rows("SELECT count(*) FROM titles WHERE list_contains($ids, title_id)",
                                {"ids": list(smp.ids)})
        if not listed:
            return f"{NO_CREDITS}: none of the {len(smp.ids)} titles listed in {smp.path} is in the store"
    wanted = parse_roles(roles)
    (credited,), = store.rows(
        "SELECT count(*) FROM (SELECT 1 FROM credits WHERE list_contains($roles, role) LIMIT 1)", {"roles": wanted})
    if not credited:
        return f"{NO_CREDITS}: the store has no credits as {', '.join(wanted)}"
    return f"{NO_CREDITS} (the roles, kinds, years and sample together)"


def explained(table: pa.Table, store: Store, roles: str | list[str] | None, kinds: str | list[str] | None,
              year_from: int | None, year_to: int | None, sample: str | Sample | None) -> pa.Table:
    """``table``, and for an empty one its reason in the schema metadata (:func:`reason_of`). Its queries run
    only for an empty result, so they cost nothing on the common path."""
    if table.num_rows:
        return table
    reason = empty_reason(store, roles, kinds, year_from, year_to, sample)
    return table.replace_schema_metadata({**(table.schema.metadata or {}), EMPTY_KEY: reason.encode()})


def reason_of(*tables: pa.Table | None) -> str | None:
    """The reason an empty result carries (the first of ``tables`` that has one), else None."""
    for table in tables:
        if table is not None and table.num_rows == 0 and EMPTY_KEY in (table.schema.metadata or {}):
            return str(table.schema.metadata[EMPTY_KEY].decode())
    return None


def absent_roles(roles: str | list[str] | None, present: set[object]) -> str | None:
    """Which of the roles asked for have no row in a result by role, as one line, else None: a group with nobody
    in it has no row, and a reader of "the six key roles" who sees five should not have to guess whether the
    sixth was left out or empty. The CLI's note and the dashboard's say it in these words."""
    absent = [r for r in parse_roles(roles) if r not in present]
    if not absent:
        return None
    return (f"no one in the selection is credited as {', '.join(absent)}: "
            f"{'that role has' if len(absent) == 1 else 'those roles have'} no row")


def uncredited_roles(no_woman: pa.Table | None) -> str | None:
    """The roles of a no-woman table (``distribution --part roles``) that no title in the selection has a credit
    in, as one line, else None: such a row has no share (share_no_woman is over the titles with a credit in the
    role) and every title in no_credit, which is IMDb's coverage, not hiring. By year (a ``year`` column), also
    the years in which a role credited in others has no credited title: its share is blank in those years alone,
    and a blank cell with nothing said of it reads as a missing figure or a 0. The CLI's note (and a file's
    description), the dashboard's and the Python API's :class:`crewparity.AbsentRoleWarning` say it in these
    words."""
    if no_woman is None or not no_woman.num_rows:
        return None
    by_year = "year" in no_woman.column_names
    rows = no_woman.select(["role", "titles_with_role", *(["year"] if by_year else [])]).to_pylist()
    uncredited = sorted({r["role"] for r in rows} - {r["role"] for r in rows if r["titles_with_role"]})
    said: list[str | None] = []
    if uncredited:
        several = len(uncredited) > 1
        said.append(f"no title in the selection has a credit as {', '.join(uncredited)}: "
                    f"{'their rows have' if several else 'its row has'} no share_no_woman (every title is in "
                    f"no_credit), which says nothing of who held {'those roles' if several else 'it'}")
    if by_year:
        # (--by year) a role credited in some years but not in others has a blank share in those years alone
        said += [_uncredited_years(role, [r["year"] for r in rows if r["role"] == role and not r["titles_with_role"]])
                 for role in sorted({r["role"] for r in rows} - set(uncredited))]
    return "; ".join(w for w in said if w) or None


def _uncredited_years(role: str, years: list[object]) -> str | None:
    """The years in which no title of the selection has a credit as ``role``, as one clause, else None."""
    if not years:
        return None
    named = sorted((y for y in years if y is not None), key=lambda y: int(y))  # type: ignore[call-overload]
    labels = [str(y) for y in named] + (["the blank year"] if None in years else [])
    shown, more = labels[:10], len(labels) - 10
    listed = (", ".join(shown) + f" and {more} more" if more > 0 else
              ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0])
    several = len(years) > 1
    return (f"in {listed} no title has a credit as {role}: its row{'s' if several else ''} of "
            f"{'those years have' if several else 'that year has'} no share_no_woman (every title is in no_credit), "
            "which says nothing of who held it")


def no_ranked_seasons(rank: str, undecided: bool = False) -> str:
    """Why a best/worst list (``series --rank``) has no row, for the CLI's note and the dashboard's lists."""
    if undecided:
        return (f"no series-season in the store is left out of the {rank} list for directors of unknown gender "
                "with these options")
    return f"no series-season in the store is on the {rank} list with these options"


def no_episodes(query: str, season: int | None = None, include_pilots: bool = False,
                keep: str = "--include-pilots keeps them") -> str:
    """Why a series' seasons (``series QUERY``) have no row: the CLI's note and the dashboard's series page.
    ``keep``: what keeps pilots and specials where this is said (the CLI's option, a field on a page)."""
    return (f"the store holds no episodes for {query!r}"
            + (f" in season {season}" if season is not None else "")
            + ("" if include_pilots else f" (pilots and specials are left out; {keep})"))
