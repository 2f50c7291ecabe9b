"""The method section, generated from the store itself: what was loaded, when, and how sure each gender is.

Why generated: a hand-written method goes stale the day the data is reloaded. These numbers come from the
run the figures come from: the ``sources`` table (what was loaded, from where, when), ``resolved_gender``
(how many people have a recorded gender, an inferred one, or none), and the first-name model's abstain band
(asked from :mod:`crewparity.gender.names` when it exposes one, else read off what the store shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crewparity.store import Store

UNITS: dict[str, str] = {
    "credits": "one person-role-title: a director of three films counts three times",
    "people": "distinct people per group: a person counts once per year (or other group) and role",
    "titles": "a title counts once; e.g. 'has at least one woman director'",
    "episodes": "the DGA's unit: the share of episodes directed by women; a co-directed episode counts as "
                "'any' woman among its directors (or 1/k each, with --codirected fractional)",
}

PRECEDENCE_TEXT = (
    "overrides (a person's own statement or a curated correction) > a production's own crew list > "
    "Wikidata P21 (matched by IMDb id) > "
    "TMDB gender > IMDb's own actor/actress labels > the first-name model (a probability, never a fact) > unknown"
)


@dataclass
class MethodData:
    sources: pa.Table
    evidence: pa.Table
    by_kind: list[dict[str, Any]]
    abstain: str
    abstain_band: tuple[float, float] | None
    units: dict[str, str] = field(default_factory=lambda: dict(UNITS))
    precedence: str = PRECEDENCE_TEXT
    meta: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def sources_table(store: Store) -> pa.Table:
    """Each loaded source, where from, when (UTC) and how many rows were read."""
    return store.arrow(
        "SELECT source, location, strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at_utc, rows_read, detail "
        "FROM sources ORDER BY loaded_at, source"
    )


def evidence_by_kind(evidence: pa.Table) -> list[dict[str, Any]]:
    """People by how their gender is known, with shares: recorded, inferred, and the kinds of unknown.

    A person whose gender rests on the first-name model but fell inside its abstain band is *unknown*, not
    inferred; a recorded source that contradicts itself (listed as both actor and actress) leaves the person
    unknown too. Each is its own row so no reader mistakes an abstention for a guess.
    """
    totals: dict[str, int] = {}
    labels = {
        "recorded": "recorded",
        "inferred": "inferred",
        "abstained": "unknown: the name model abstained",
        "conflict": "unknown: conflicting evidence",
        "none": "unknown: no evidence",
    }
    for row in evidence.to_pylist():
        kind = str(row["evidence"])
        known = int(row.get("women") or 0) + int(row.get("men") or 0) + int(row.get("nonbinary") or 0)
        unknown = int(row.get("unknown") or 0)
        if kind == "recorded":
            totals["recorded"] = totals.get("recorded", 0) + known
            totals["conflict"] = totals.get("conflict", 0) + unknown
        elif kind == "inferred":
            totals["inferred"] = totals.get("inferred", 0) + known
            totals["abstained"] = totals.get("abstained", 0) + unknown
        else:
            totals["none"] = totals.get("none", 0) + int(row.get("people") or 0)
    grand = sum(totals.values())
    return [{"evidence": labels[k], "people": totals.get(k, 0), "share": (totals.get(k, 0) / grand) if grand else None}
            for k in labels if k in ("recorded", "inferred", "none") or totals.get(k, 0)]


def abstain_band(store: Store) -> tuple[str, tuple[float, float] | None]:
    """The first-name model's abstain band, as the model states it, else as the store shows it."""
    band: tuple[float, float] | None = None
    try:
        from crewparity.gender import names  # type: ignore[attr-defined]
    except ImportError:
        names = None
    if names is not None:
        for attr in ("ABSTAIN_BAND", "DEFAULT_ABSTAIN_BAND", "abstain_band", "default_abstain_band"):
            value = getattr(names, attr, None)
            if callable(value):
                try:
                    value = value()
                except TypeError:
                    value = None
            if isinstance(value, (tuple, list)) and len(value) == 2:
                band = (float(value[0]), float(value[1]))
                break
    if band is not None:
        text = (f"The first-name model abstains when the probability that a name belongs to a woman lies between "
                f"{band[0]:.2f} and {band[1]:.2f}: such a person is counted as unknown, not guessed.")
        return text, band
    rows = store.rows(
        "SELECT count(*), count(*) FILTER (WHERE gender = 'unknown'), "
        "max(p_woman) FILTER (WHERE gender = 'man'), min(p_woman) FILTER (WHERE gender = 'woman') "
        "FROM resolved_gender WHERE source = 'name_model'"
    )
    n, abstained, max_man, min_woman = rows[0] if rows else (0, 0, None, None)
    if not n:
        return ("No gender in this store was inferred from a first name: every counted gender is recorded "
                "evidence, and everyone else is unknown.", None)
    lo = f"{max_man:.2f}" if max_man is not None else "n/a"
    hi = f"{min_woman:.2f}" if min_woman is not None else "n/a"
    return (f"For {n:,} people (all roles) the first-name model is the best evidence: {n - abstained:,} are counted "
            f"as a woman or a man by it, {abstained:,} fell inside its abstain band and count as unknown. The model "
            f"does not state its band; in this store the highest p(woman) counted as a man is {lo} and the lowest "
            f"counted as a woman is {hi}.", None)


def method_data(cp: Any) -> MethodData:
    """Everything the method section states, from one open client (:class:`crewparity.client.Crewparity`)."""
    store: Store = cp.store
    evidence = cp.evidence_summary()
    text, band = abstain_band(store)
    meta = {str(k): str(v) for k, v in store.rows("SELECT key, value FROM meta ORDER BY key")}
    return MethodData(sources=sources_table(store), evidence=evidence, by_kind=evidence_by_kind(evidence),
                      abstain=text, abstain_band=band, meta=meta, counts=store.counts())
