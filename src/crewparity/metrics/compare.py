"""Published study figures beside crewparity's estimate for the same roles, years and the closest sample.

The published figures ship as package data (``data/studies/published_study_figures.csv``, with the source of
each row) and are always labelled as the study's own. crewparity's figure uses the study's role set and the
sample of ``data/roles.toml`` (e.g. the Celluloid Ceiling: the 250 movies of each year with the most IMDb votes,
six key roles, distinct people). The samples differ — votes are not box office, IMDb credits are not the
studies' hand-checked credits — so every row carries a caveat, and the difference is a comparison, not an
error of either side. A TV season (``2016-17``) is compared with episodes aired in its first calendar year.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from crewparity.gender.estimate import wilson
from crewparity.metrics.distribution import no_woman_by_role
from crewparity.metrics.episodes import episode_share_by_year
from crewparity.metrics.roles import CREW_ROLES, Study, study
from crewparity.metrics.samples import check_years
from crewparity.metrics.share import share
from crewparity.store import Store

COMPARE_COLUMNS: tuple[str, ...] = (
    "study", "period", "year", "role", "metric", "published", "published_sample", "published_source",
    "crewparity", "ci_low", "ci_high", "counted", "crewparity_sample", "difference", "caveat")


def studies_path() -> Path:
    return Path(str(resources.files("crewparity") / "data" / "studies" / "published_study_figures.csv"))


def published_figures(study_key: str | None = None) -> pa.Table:
    """The published figures (all text columns except ``value``, a percent), optionally of one study."""
    opts = pacsv.ConvertOptions(column_types={"value": pa.float64()}, strings_can_be_null=False)
    table = pacsv.read_csv(studies_path(), convert_options=opts)
    if study_key is not None:
        table = table.filter(pc.equal(table["study"], study_key))
    return table


def _year(period: str) -> int | None:
    m = re.match(r"^\s*(\d{4})", period)
    return int(m.group(1)) if m else None


def published_years(study_key: str) -> tuple[int, int] | None:
    """The first and last year a study's shipped figures cover (a TV season counts by its first year), or None
    when none are shipped: what an empty comparison tells the user to ask for instead."""
    years = [y for p in published_figures(study_key)["period"].to_pylist() if (y := _year(p)) is not None]
    return (min(years), max(years)) if years else None


def describe_sample(st: Study) -> str:
    """crewparity's sample for a study, in words."""
    kinds = "/".join(st.kinds)
    if st.sample.startswith("top:"):
        base = f"top {st.sample[4:]} {kinds} titles per year by IMDb votes"
    else:
        base = f"every {kinds} title in the store"
    if st.unit == "episodes":
        return f"{base}; episodes by the year they aired, pilots excluded; an episode with a woman director counts"
    return f"{base}; distinct people per year in: {', '.join(st.roles)}"


def _caveat(st: Study, metric: str) -> str:
    text = (f"samples differ: theirs is {st.their_sample}; ours is {describe_sample(st)}; "
            "our genders are recorded evidence plus first-name inference")
    if st.key in {"boxed_in", "dga_episodic"}:
        text += "; their TV season is compared with the calendar year it starts in"
    if metric == "pct_titles_with_no_woman_in_role":
        text += "; a title without a credit in the role counts as having no woman in it"
    return text


def compare(store: Store, study_name: str, year_from: int | None = None, year_to: int | None = None) -> pa.Table:
    """One row per published figure of the study, beside crewparity's figure (fractions 0-1, not percent).

    Columns: :data:`COMPARE_COLUMNS`. ``crewparity`` is ``share_expected`` for people shares and the share of
    episodes (women over known) for the DGA; it is null where the store has nothing for that year.
    """
    st = study(study_name)
    check_years(year_from, year_to)
    rows = [r for r in published_figures(st.key).to_pylist()
            if (y := _year(r["period"])) is not None
            and (year_from is None or y >= year_from) and (year_to is None or y <= year_to)]
    years = [_year(r["period"]) for r in rows]
    lo = min((y for y in years if y is not None), default=None)
    hi = max((y for y in years if y is not None), default=None)
    ours: dict[tuple[str, int | None, str], dict[str, Any]] = {}
    metrics = {r["metric"] for r in rows}
    set_key = st.roles[0] if len(st.roles) == 1 else "set"
    if rows and "pct_women_of_individuals" in metrics:
        overall = share(store, roles=list(st.roles), by="year", kinds=list(st.kinds), year_from=lo, year_to=hi,
                        sample=st.sample, unit="people")
        for r in overall.to_pylist():
            ours[(set_key, r["year"], "pct_women_of_individuals")] = {
                "value": r["share_expected"], "lo": r["ci_low"], "hi": r["ci_high"], "n": r["total"]}
        if len(st.roles) > 1:
            per_role = share(store, roles=list(st.roles), by="year,role", kinds=list(st.kinds), year_from=lo,
                             year_to=hi, sample=st.sample, unit="people")
            for r in per_role.to_pylist():
                ours[(r["role"], r["year"], "pct_women_of_individuals")] = {
                    "value": r["share_expected"], "lo": r["ci_low"], "hi": r["ci_high"], "n": r["total"]}
    if rows and "pct_titles_with_no_woman_in_role" in metrics:
        nw = no_woman_by_role(store, roles=list(st.roles), kinds=list(st.kinds), year_from=lo, year_to=hi,
                              sample=st.sample, by="year")
        for r in nw.to_pylist():
            ours[(r["role"], r["year"], "pct_titles_with_no_woman_in_role")] = {
                "value": r["share_no_woman"], "lo": None, "hi": None, "n": r["titles"]}
    if rows and "pct_episodes_directed_by_women" in metrics:
        eps = episode_share_by_year(store, lo, hi)
        for r in eps.to_pylist():
            known = r["women"] + r["men"] + r["nonbinary"]
            ci = wilson(np.array([(r["share_known"] or 0.0) * known]), np.array([float(known)]))
            ours[("director", r["year"], "pct_episodes_directed_by_women")] = {
                "value": r["share_known"], "lo": float(ci[0][0]) if known else None,
                "hi": float(ci[1][0]) if known else None, "n": r["total"]}
    sample_text = describe_sample(st)
    out: list[dict[str, Any]] = []
    for r in rows:
        year = _year(r["period"])
        role_key = r["role"] if r["role"] in CREW_ROLES else set_key
        mine = ours.get((role_key, year, r["metric"]), {})
        published = r["value"] / 100.0
        value = mine.get("value")
        out.append({
            "study": st.key, "period": r["period"], "year": year,
            "role": r["role"] if r["role"] in CREW_ROLES else ",".join(st.roles),
            "metric": r["metric"], "published": published, "published_sample": r["sample"],
            "published_source": r["source"], "crewparity": value, "ci_low": mine.get("lo"), "ci_high": mine.get("hi"),
            "counted": mine.get("n", 0), "crewparity_sample": sample_text,
            "difference": (value - published) if value is not None else None,
            "caveat": _caveat(st, r["metric"]),
        })
    schema = pa.schema([
        ("study", pa.string()), ("period", pa.string()), ("year", pa.int64()), ("role", pa.string()),
        ("metric", pa.string()), ("published", pa.float64()), ("published_sample", pa.string()),
        ("published_source", pa.string()), ("crewparity", pa.float64()), ("ci_low", pa.float64()),
        ("ci_high", pa.float64()), ("counted", pa.int64()), ("crewparity_sample", pa.string()),
        ("difference", pa.float64()), ("caveat", pa.string()),
    ])
    return pa.Table.from_pylist(out, schema=schema)
