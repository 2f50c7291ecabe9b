"""The figures the overview page and the report's headline share: trend per role and the period's totals.

One module so the dashboard and the report cannot disagree: both call :func:`overview_data` with the same
options and render what it returns. Calls go through the public client (``crewparity.open``) only.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from crewparity.errors import ArgumentError


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
             year_to: int | None) -> str:
    """One sentence saying exactly what a figure counts (unit, sample, kinds, years)."""
    who = roles.replace(",", ", ") if roles else "the key roles (director, writer, producer, executive producer, " \
                                                 "editor, cinematographer)"
    what = kind.replace(",", ", ") if kind else "every kind of title"
    years = ""
    if year_from is not None or year_to is not None:
        years = f", {year_from if year_from is not None else '…'}–{year_to if year_to is not None else '…'}"
    smp = {None: "all titles", "all": "all titles"}.get(sample, f"sample {sample}")
    if sample and sample.startswith("top:"):
        smp = f"the {sample[4:]} titles of each year with the most IMDb votes"
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
    title = f"Women's share by role: estimate and 95% band (unit: {unit})"
    return Overview(trend=trend, headline=headline, title=title,
                    description=describe(roles=roles, kind=kind, unit=unit, sample=sample, year_from=year_from,
                                         year_to=year_to),
                    roles=roles, kind=kind, unit=unit, sample=sample, year_from=year_from, year_to=year_to)
