"""Per-group estimates from per-group sufficient statistics, vectorised over groups (no loop per row).

The counting SQL gives, per group: recorded women / men / nonbinary, people with no information, and for the
people whose gender rests on the first-name model their number and a histogram of ``p_woman`` (bins of
0.01). This module turns them into
``share_expected``, a 95% interval and the bounds.

The estimate is :mod:`crewparity.gender.estimate`'s prior-shift estimator (Saerens EM over the histogram,
vectorised over groups), given the recalibration ``resolve`` measured on the store's recorded people (meta
``name_model_calibration``): the name model that resolve applies is adapted with the store's own people, so
its base rate is the store's, not the prior's. People with no information are treated as missing at random.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crewparity.gender.estimate import Calibration, estimate_flat
from crewparity.metrics.roles import small_group_threshold

#: the columns of a share table after the group columns, in order.
SHARE_COLUMNS: tuple[str, ...] = ("women", "men", "nonbinary", "unknown", "total", "share_known", "share_expected",
                                  "ci_low", "ci_high", "share_if_unknown_men", "share_if_unknown_women", "small",
                                  "inferred")


def _f(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(pc.fill_null(table[name], 0).to_numpy(zero_copy_only=False), dtype=float)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.full(a.shape, np.nan)
    np.divide(a, b, out=out, where=b > 0)
    return out


#: from this many groups on, groups with the same sufficient statistics are estimated once (a by-title table
#: has a million groups, most of them one or two people, and only thousands of distinct ones)
DEDUPE_FROM = 2_000
_STAT_COLUMNS = ("rec_women", "rec_men", "rec_nonbinary", "no_info", "p_bins", "p_counts")


def _flat_histograms(raw: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The p_woman histograms as flat (group, value, count) arrays, read from the Arrow lists without Python
    objects (a million groups' lists cost seconds through ``to_pylist``)."""
    bins = raw["p_bins"].combine_chunks()
    counts = raw["p_counts"].combine_chunks()
    group = np.asarray(pc.list_parent_indices(bins).to_numpy(zero_copy_only=False), dtype=np.int64)
    values = np.asarray(pc.list_flatten(bins).to_numpy(zero_copy_only=False), dtype=float)
    # counts summed in SQL arrive as DECIMAL(38,0) (HUGEINT): Arrow's cast, not numpy, which would make a
    # Python Decimal per entry (0.2 s for year x genre at full scale)
    cnts = pc.cast(pc.list_flatten(counts), pa.float64()).to_numpy(zero_copy_only=False)
    return group, values, cnts


def _signatures(raw: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Each group's signature index (0..K-1) and the first group of each signature: groups with equal counts and
    equal histograms are the same estimation problem, so they are solved once and get the same answer.
    Exact: DuckDB compares the values (lists included), no hashing."""
    stats = raw.select(list(_STAT_COLUMNS)).append_column("i", pa.array(np.arange(raw.num_rows, dtype=np.int64)))
    con = duckdb.connect()
    try:
        con.register("stats", stats)
        keys = ", ".join(f"{c} NULLS FIRST" for c in _STAT_COLUMNS)
        out = con.sql(f"SELECT i, dense_rank() OVER (ORDER BY {keys}) - 1 AS k FROM stats").to_arrow_table()
    finally:
        con.close()
    sig = np.empty(raw.num_rows, dtype=np.int64)
    sig[out["i"].to_numpy()] = out["k"].to_numpy()
    _, first = np.unique(sig, return_index=True)
    return sig, first


def _estimates(raw: pa.Table, calibration: Calibration | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sig: np.ndarray | None = None
    if raw.num_rows >= DEDUPE_FROM:
        sig, first = _signatures(raw)
        if first.shape[0] < raw.num_rows:
            raw = raw.take(pa.array(first))
        else:
            sig = None
    group, values, cnts = _flat_histograms(raw)
    result = estimate_flat(_f(raw, "rec_women"), _f(raw, "rec_men"), _f(raw, "rec_nonbinary"), _f(raw, "no_info"),
                           group, values, cnts, calibration=calibration)
    out = tuple(np.asarray(result[k], dtype=float) for k in ("share_expected", "ci_low", "ci_high"))
    if sig is not None:
        out = tuple(o[sig] for o in out)
    return out[0], out[1], out[2]


def add_estimates(raw: pa.Table, group_cols: list[str], calibration: Calibration | None = None) -> pa.Table:
    """The per-group counts from SQL -> the public share table (group columns + :data:`SHARE_COLUMNS`)."""
    women, men, nb, unknown, total = (_f(raw, c) for c in ("women", "men", "nonbinary", "unknown", "total"))
    share_known = _div(women, women + men + nb)
    empty = np.zeros(0)
    expected, lo, hi = _estimates(raw, calibration) if raw.num_rows else (empty, empty, empty)
    threshold = small_group_threshold()

    def col(values: np.ndarray) -> pa.Array:
        return pa.array(values, type=pa.float64(), from_pandas=True)  # NaN -> null

    columns: dict[str, pa.Array | pa.ChunkedArray] = {c: raw[c] for c in group_cols}
    columns.update({
        "women": raw["women"], "men": raw["men"], "nonbinary": raw["nonbinary"], "unknown": raw["unknown"],
        "total": raw["total"],
        "share_known": col(share_known),
        "share_expected": col(expected),
        "ci_low": col(lo),
        "ci_high": col(hi),
        "share_if_unknown_men": col(_div(women, total)),
        "share_if_unknown_women": col(_div(women + unknown, total)),
        "small": pa.array(total < threshold, type=pa.bool_()),
        "inferred": raw["inferred"],
    })
    return pa.table(columns)
