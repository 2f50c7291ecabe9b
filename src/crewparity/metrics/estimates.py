"""Per-group estimates from per-group sufficient statistics, vectorised over groups (no loop per row).

The counting SQL gives, per group: recorded women / men / nonbinary, people with no information, and for the
people whose gender rests on the first-name model their number, the sum of ``p_woman``, the sum of
``p_woman * (1 - p_woman)`` and a histogram of ``p_woman`` (bins of 0.01). This module turns them into
``share_expected``, a 95% interval and the bounds.

When :mod:`crewparity.gender.estimate` (the name-model engineer's estimator, which can correct the name
prior's shift toward the population's share) is installed it is used; otherwise the fallback here:

* ``share_expected`` = (recorded women + sum of p_woman) / (recorded known + inferred): every inferred
  person counts as their probability; people with no information are assumed to be like the rest;
* the interval is Wilson's for that share at n = recorded known + inferred, widened by the name model's own
  variance (sum of p(1-p) / n^2) added in quadrature.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crewparity.metrics.roles import small_group_threshold

Z95 = 1.959963984540054
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


def wilson(p: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions ``p`` observed over ``n`` (vectorised; NaN where n == 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = np.where(n > 0, centre - half, np.nan)
    hi = np.where(n > 0, centre + half, np.nan)
    return lo, hi


def fallback_estimates(rec_w: np.ndarray, rec_m: np.ndarray, rec_nb: np.ndarray, inferred: np.ndarray,
                       p_sum: np.ndarray, p_var: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """share_expected, ci_low, ci_high per group (see the module docstring)."""
    n = rec_w + rec_m + rec_nb + inferred
    expected = _div(rec_w + p_sum, n)
    lo_w, hi_w = wilson(np.nan_to_num(expected), n)
    with np.errstate(invalid="ignore", divide="ignore"):
        extra = np.where(n > 0, Z95 * Z95 * p_var / (n * n), np.nan)
        lo = expected - np.sqrt((expected - lo_w) ** 2 + extra)
        hi = expected + np.sqrt((hi_w - expected) ** 2 + extra)
    return expected, np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def _estimator_estimates(raw: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Use crewparity.gender.estimate's vectorised estimator when it is there (else None: fall back)."""
    try:
        from crewparity.gender import estimate as est  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(est, "estimate_shares_from_histograms", None)
    if fn is None:
        return None
    result = fn(
        recorded_women=_f(raw, "rec_women"), recorded_men=_f(raw, "rec_men"),
        recorded_nonbinary=_f(raw, "rec_nonbinary"), n_no_info=_f(raw, "no_info"),
        bins=raw["p_bins"].to_pylist(), counts=raw["p_counts"].to_pylist(),
    )
    return (np.asarray(result["share_expected"], dtype=float), np.asarray(result["ci_low"], dtype=float),
            np.asarray(result["ci_high"], dtype=float))


def add_estimates(raw: pa.Table, group_cols: list[str]) -> pa.Table:
    """The per-group counts from SQL -> the public share table (group columns + :data:`SHARE_COLUMNS`)."""
    women, men, nb, unknown, total = (_f(raw, c) for c in ("women", "men", "nonbinary", "unknown", "total"))
    share_known = _div(women, women + men + nb)
    estimates = _estimator_estimates(raw) if raw.num_rows else None
    if estimates is None:
        estimates = fallback_estimates(_f(raw, "rec_women"), _f(raw, "rec_men"), _f(raw, "rec_nonbinary"),
                                       _f(raw, "inferred"), _f(raw, "p_sum"), _f(raw, "p_var"))
    expected, lo, hi = estimates
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
