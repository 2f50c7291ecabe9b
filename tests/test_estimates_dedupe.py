"""Per-group estimates of large share tables: groups with the same counts and histograms are solved once.

Why it matters: a by-title table has a group per title, most of them a handful of people; solving each distinct
problem once must give every group exactly the answer it would get on its own, and equal groups equal answers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from crewparity.metrics import estimates
from crewparity.metrics.estimates import add_estimates


def _raw(rows: list[tuple[int, int, int, int, list[float] | None, list[int] | None]]) -> pa.Table:
    n = len(rows)
    women = [r[0] + sum(c for p, c in zip(r[4] or [], r[5] or [], strict=True) if p >= 0.85) for r in rows]
    men = [r[1] + sum(c for p, c in zip(r[4] or [], r[5] or [], strict=True) if p <= 0.15) for r in rows]
    total = [r[0] + r[1] + r[2] + r[3] + sum(r[5] or []) for r in rows]
    return pa.table({
        "title_id": [f"tt{i:07d}" for i in range(n)],
        "women": pa.array(women, pa.int64()), "men": pa.array(men, pa.int64()),
        "nonbinary": pa.array([r[2] for r in rows], pa.int64()),
        "unknown": pa.array([t - w - m - r[2] for t, w, m, r in zip(total, women, men, rows, strict=True)], pa.int64()),
        "total": pa.array(total, pa.int64()),
        "rec_women": pa.array([r[0] for r in rows], pa.int64()), "rec_men": pa.array([r[1] for r in rows], pa.int64()),
        "rec_nonbinary": pa.array([r[2] for r in rows], pa.int64()), "no_info": pa.array([r[3] for r in rows], pa.int64()),
        "inferred": pa.array([sum(r[5] or []) for r in rows], pa.int64()),
        "p_bins": pa.array([r[4] for r in rows], pa.list_(pa.float64())),
        "p_counts": pa.array([r[5] for r in rows], pa.list_(pa.int64())),
    })


def _kinds(rng: np.random.Generator, n: int) -> list[tuple[int, int, int, int, list[float] | None, list[int] | None]]:
    """n groups drawn from 40 distinct problems (titles with one to a few people), in random order."""
    kinds: list[tuple[int, int, int, int, list[float] | None, list[int] | None]] = [(0, 1, 0, 0, None, None),
                                                                                       (1, 0, 0, 0, None, None),
                                                                                       (0, 0, 0, 1, None, None)]
    while len(kinds) < 40:
        k = int(rng.integers(1, 4))
        bins = sorted({round(float(p), 2) for p in rng.random(k)})
        kinds.append((int(rng.integers(0, 3)), int(rng.integers(0, 3)), 0, int(rng.integers(0, 2)), bins,
                      [int(c) for c in rng.integers(1, 3, len(bins))]))
    return [kinds[int(i)] for i in rng.integers(0, len(kinds), n)]


def test_equal_groups_get_equal_answers_and_each_the_answer_it_gets_alone() -> None:
    rng = np.random.default_rng(7)
    rows = _kinds(rng, 3 * estimates.DEDUPE_FROM)
    raw = _raw(rows)
    out = add_estimates(raw, ["title_id"])
    assert out.num_rows == raw.num_rows
    assert out["title_id"].to_pylist() == raw["title_id"].to_pylist()  # input order kept
    got = {c: np.asarray(out[c].to_numpy(zero_copy_only=False), dtype=float) for c in ("share_expected", "ci_low",
                                                                                      "ci_high")}
    # every distinct problem, estimated on its own in a small table (below the dedupe threshold)
    distinct = sorted(set(map(repr, rows)))
    assert 30 <= len(distinct) < estimates.DEDUPE_FROM
    for key in distinct:
        idx = [i for i, r in enumerate(rows) if repr(r) == key]
        alone = add_estimates(_raw([rows[idx[0]]]), ["title_id"])
        for c, values in got.items():
            expect = alone[c][0].as_py()
            if expect is None:
                assert np.isnan(values[idx]).all(), (key, c)
            else:
                # the interval's ends are simulated: another random stream moves them by Monte Carlo noise
                # (about 0.015 for a group of five people); the point estimate is exact
                tol = 1e-12 if c == "share_expected" else 0.06
                assert values[idx] == pytest.approx(expect, abs=tol), (key, c)
            same = values[idx]
            assert np.array_equal(same, np.full(same.shape, same[0]), equal_nan=True), (key, c)  # equal groups


def test_no_duplicates_goes_the_direct_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(estimates, "DEDUPE_FROM", 3)
    rows = [(1, 2, 0, 0, [0.3], [1]), (0, 0, 0, 0, [0.9, 0.97], [1, 2]), (4, 1, 0, 1, None, None)]
    deduped = add_estimates(_raw(rows), ["title_id"])
    monkeypatch.setattr(estimates, "DEDUPE_FROM", 10)
    direct = add_estimates(_raw(rows), ["title_id"])
    assert deduped.equals(direct)


def test_signatures_are_exact_on_lists_and_nulls() -> None:
    rows = [(0, 0, 0, 0, [0.5], [1]), (0, 0, 0, 0, [0.5], [2]), (0, 0, 0, 0, [0.5, 0.6], [1, 1]),
            (0, 0, 0, 0, None, None), (0, 0, 0, 0, [0.5], [1]), (0, 0, 0, 0, None, None), (0, 0, 0, 1, None, None)]
    sig, first = estimates._signatures(_raw(rows))
    assert sig[0] == sig[4] and sig[3] == sig[5]
    assert len({int(sig[i]) for i in (0, 1, 2, 3, 6)}) == 5
    assert sorted(first.tolist()) == [0, 1, 2, 3, 6]


def test_histograms_come_in_one_order_so_estimates_are_the_same_to_the_bit(tmp_path: Path) -> None:
    """A group's p_woman histogram can hold one bin twice (people called men and people left unknown at the
    band's edge fall in the same 0.01 bin). The estimator sums the entries in the order they come, so when the
    two counts of a bin came in either order (the order of a parallel aggregation), share_expected differed in
    its last bit from run to run (full precision JSON of `share` at synth 0.1: three runs, three answers).
    The lists are ordered by bin, then count; this checks the order on a store where such bins occur."""
    from crewparity import api, synth
    from crewparity.metrics.share import share_counts
    from crewparity.store import open_store

    base = tmp_path
    synth.generate(base / "dump", 0.002, seed=5)
    api.ingest_imdb(base / "dump", base / "s.duckdb")
    repeated = 0
    with open_store(base / "s.duckdb") as store:
        for by in ("year", "genre", "none"):
            table, _ = share_counts(store, by=by)
            for bins, counts in zip(table["p_bins"].to_pylist(), table["p_counts"].to_pylist(), strict=True):
                pairs = list(zip(bins or [], counts or [], strict=True))
                assert pairs == sorted(pairs)
                repeated += sum(1 for a, b in zip(pairs, pairs[1:], strict=False) if a[0] == b[0])
    assert repeated > 0  # the store has bins that occur twice, so the order was tested where it matters
