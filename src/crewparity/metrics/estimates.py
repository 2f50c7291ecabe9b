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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crewparity.gender.estimate import Calibration, estimate_shares_from_histograms
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


def _estimates(raw: pa.Table, calibration: Calibration | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    result = estimate_shares_from_histograms(
        recorded_women=_f(raw, "rec_women"), recorded_men=_f(raw, "rec_men"),
        recorded_nonbinary=_f(raw, "rec_nonbinary"), n_no_info=_f(raw, "no_info"),
        bins=raw["p_bins"].to_pylist(), counts=raw["p_counts"].to_pylist(), calibration=calibration,
    )
    return (np.asarray(result["share_expected"], dtype=float), np.asarray(result["ci_low"], dtype=float),
            np.asarray(result["ci_high"], dtype=float))


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
