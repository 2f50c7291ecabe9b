"""The prior-shift share estimator on synthetic populations whose true share is known.

Populations are drawn from a name model that is calibrated at base rate 0.5 by construction: each "name"
gets a probability p from a symmetric mixture of Beta distributions (mean 0.5), the person's true gender is
drawn from it (so P(woman | p) = p in the pool), and the pool is then subsampled to the target share — a pure
change of base rate, the situation Saerens et al.'s EM is built for. Seeds are fixed: the tests are
deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest

from crewparity.errors import ArgumentError
from crewparity.gender.estimate import (
    ShareEstimate,
    estimate_names,
    estimate_share,
    estimate_shares_from_histograms,
    histograms_to_dense,
)

PI0 = 0.5


def pool(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Names' p_woman (calibrated at 0.5) and true labels drawn from them."""
    confident = rng.random(size) < 0.85
    side = rng.random(size) < 0.5
    p = np.where(side, rng.beta(8, 1.2, size), rng.beta(1.2, 8, size))
    p = np.where(confident, p, rng.beta(3, 3, size))  # 15% ambiguous names (Leslie, Jordan, Andrea ...)
    return p, rng.random(size) < p


def population(rng: np.random.Generator, n: int, share: float) -> tuple[np.ndarray, np.ndarray]:
    """n people, exactly round(share * n) of them women: their p_woman and true labels."""
    p, y = pool(rng, 4 * n)
    women = int(round(share * n))
    pick = np.concatenate([rng.choice(np.flatnonzero(y), women, replace=False),
                           rng.choice(np.flatnonzero(~y), n - women, replace=False)])
    rng.shuffle(pick)
    return p[pick], y[pick]


def histogram(p: np.ndarray) -> tuple[list[float], list[int]]:
    """The counting SQL's form: round(p, 2) bins and their counts."""
    bins, counts = np.unique(np.round(p, 2), return_counts=True)
    return bins.tolist(), counts.tolist()


@pytest.mark.parametrize("share", [0.10, 0.20, 0.50])
def test_recovers_the_true_share_where_the_plain_mean_does_not(share: float) -> None:
    rng = np.random.default_rng(int(share * 100))
    p, y = population(rng, 20_000, share)
    est = estimate_share(0, 0, 0, p, 0, base_rate=PI0)
    assert isinstance(est, ShareEstimate)
    assert abs(est.share_expected - share) < 0.01
    assert est.ci_low <= share <= est.ci_high
    assert est.ci_high - est.ci_low < 0.03
    assert abs(est.pi_hat - share) < 0.01 and est.iterations > 0
    if share != 0.5:
        # the plain mean of p_woman is pulled toward the model's base rate: the correction matters
        assert est.share_naive - share > 0.05
        assert not est.ci_low <= est.share_naive <= est.ci_high
    else:
        assert abs(est.share_naive - share) < 0.01


def test_em_fixed_point() -> None:
    """pi_hat is a fixed point of the EM step pi = mean(p'(pi)) at the model's base rate."""
    rng = np.random.default_rng(7)
    p, _ = population(rng, 5000, 0.2)
    est = estimate_share(0, 0, 0, p, 0, base_rate=PI0)
    r, s = est.pi_hat / PI0, (1 - est.pi_hat) / (1 - PI0)
    adjusted = r * p / (r * p + s * (1 - p))
    assert adjusted.mean() == pytest.approx(est.pi_hat, abs=1e-8)
    # and for a large group the posterior mean equals the plug-in EM estimate
    assert est.share_expected == pytest.approx(est.pi_hat, abs=2e-3)


def _coverage_groups(seeds: range, n: int, share: float, rec_frac: float, no_info_frac: float):
    """Groups mixing recorded, inferred and no-info people; returns the histogram inputs and the true shares."""
    rw, rm, ni, bins, counts, truth = [], [], [], [], [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        p, y = population(rng, n, share)
        kind = rng.random(n)
        rec = kind < rec_frac
        noinfo = (kind >= rec_frac) & (kind < rec_frac + no_info_frac)  # missing at random
        inf = ~rec & ~noinfo
        rw.append(int(y[rec].sum()))
        rm.append(int((~y[rec]).sum()))
        ni.append(int(noinfo.sum()))
        b, c = histogram(p[inf])
        bins.append(b)
        counts.append(c)
        truth.append(y.mean())
    return (np.array(rw), np.array(rm), np.zeros(len(rw)), np.array(ni), bins, counts), np.array(truth)


@pytest.mark.parametrize("share", [0.10, 0.20, 0.50])
def test_interval_coverage_over_many_seeds(share: float) -> None:
    """Over 200 groups of 300 people (20% recorded, 10% no information, the rest inferred), the 95% interval
    covers the group's true share at least 90% of the time — for the rate interval (the default) and for the
    narrower interval of the group's own share."""
    args, truth = _coverage_groups(range(1000, 1200), 300, share, rec_frac=0.2, no_info_frac=0.1)
    kw = dict(zip(("recorded_women", "recorded_men", "recorded_nonbinary", "n_no_info", "bins", "counts"), args,
                  strict=True))
    rate = estimate_shares_from_histograms(**kw, base_rate=PI0)
    group = estimate_shares_from_histograms(**kw, base_rate=PI0, target="group")
    for res in (rate, group):
        covered = (res["ci_low"] <= truth) & (truth <= res["ci_high"])
        assert covered.mean() >= 0.90, covered.mean()
        assert abs(np.mean(res["share_expected"] - truth)) < 0.01  # no systematic bias
    assert np.all(group["ci_high"] - group["ci_low"] <= rate["ci_high"] - rate["ci_low"] + 1e-12)
    # the plain mean is biased toward 0.5 by several points unless the truth is 0.5
    naive_bias = np.mean(rate["share_naive"] - truth)
    assert naive_bias > 0.03 if share < 0.5 else abs(naive_bias) < 0.01


def test_histogram_variant_equals_array_variant() -> None:
    rng = np.random.default_rng(3)
    p, _ = population(rng, 3000, 0.2)
    p = np.round(p, 2)
    single = estimate_share(40, 160, 1, p, 25, base_rate=PI0)
    b, c = histogram(p)
    hist = estimate_shares_from_histograms(recorded_women=[40], recorded_men=[160], recorded_nonbinary=[1],
                                           n_no_info=[25], bins=[b], counts=[c], base_rate=PI0)
    assert hist["share_expected"][0] == pytest.approx(single.share_expected, abs=1e-12)
    assert hist["pi_hat"][0] == pytest.approx(single.pi_hat, abs=1e-12)
    assert (hist["ci_low"][0], hist["ci_high"][0]) == (pytest.approx(single.ci_low, abs=1e-12),
                                                       pytest.approx(single.ci_high, abs=1e-12))
    # several groups at once: each group's point estimate is the one it gets alone
    q, _ = population(rng, 800, 0.5)
    b2, c2 = histogram(q)
    multi = estimate_shares_from_histograms(recorded_women=[5, 40, 0], recorded_men=[9, 160, 0],
                                            recorded_nonbinary=[0, 1, 0], n_no_info=[0, 25, 3],
                                            bins=[b2, b, None], counts=[c2, c, None], base_rate=PI0)
    assert multi["share_expected"][1] == pytest.approx(single.share_expected, abs=1e-12)
    alone = estimate_share(5, 9, 0, np.round(q, 2), 0, base_rate=PI0)
    assert multi["share_expected"][0] == pytest.approx(alone.share_expected, abs=1e-12)
    assert np.isnan(multi["share_expected"][2]) and np.isnan(multi["ci_low"][2])  # only no-info people


def test_dense_histograms() -> None:
    dense = histograms_to_dense([[0.0, 0.37, 1.0], None, []], [[2, 3, 4], None, []])
    assert dense.shape == (3, 101)
    assert dense[0, 0] == 2 and dense[0, 37] == 3 and dense[0, 100] == 4 and dense.sum() == 9


def test_groups_without_inferred_people_get_wilson() -> None:
    res = estimate_shares_from_histograms(recorded_women=[1, 0, 30], recorded_men=[2, 0, 70],
                                          recorded_nonbinary=[0, 0, 0], n_no_info=[0, 0, 0],
                                          bins=[None, None, None], counts=[None, None, None], base_rate=PI0)
    assert res["share_expected"][0] == pytest.approx(1 / 3)
    assert res["ci_low"][0] < 1 / 3 < res["ci_high"][0]  # a fully recorded group still has the binomial interval
    assert np.isnan(res["share_expected"][1])  # nobody: nothing to estimate
    z = 1.959963984540054
    p, n = 0.3, 100
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (res["ci_low"][2], res["ci_high"][2]) == (pytest.approx(centre - half), pytest.approx(centre + half))
    # the group's own share is known exactly when everyone is recorded
    own = estimate_shares_from_histograms(recorded_women=[30], recorded_men=[70], recorded_nonbinary=[0],
                                          n_no_info=[0], bins=[None], counts=[None], base_rate=PI0, target="group")
    assert own["ci_low"][0] == own["ci_high"][0] == pytest.approx(0.3)
    assert estimate_shares_from_histograms(recorded_women=[], recorded_men=[], recorded_nonbinary=[], n_no_info=[],
                                           bins=[], counts=[])["share_expected"].shape == (0,)


def test_people_without_information_widen_the_interval() -> None:
    rng = np.random.default_rng(11)
    p, _ = population(rng, 600, 0.2)
    base = estimate_share(20, 80, 0, p, 0, base_rate=PI0)
    more = estimate_share(20, 80, 0, p, 400, base_rate=PI0)
    # missing at random: the point estimate does not move, the interval may only grow ...
    assert more.share_expected == pytest.approx(base.share_expected)
    assert more.n == base.n + 400 and more.unknown == base.unknown + 400
    # ... and for the group's own share it grows, since 400 of 1100 people are unseen
    base_g = estimate_share(20, 80, 0, p, 0, base_rate=PI0, target="group")
    more_g = estimate_share(20, 80, 0, p, 400, base_rate=PI0, target="group")
    assert more_g.ci_high - more_g.ci_low > 1.1 * (base_g.ci_high - base_g.ci_low)
    # the same 400 people, had their gender been recorded in proportion, would narrow the rate interval
    known = estimate_share(20 + 80, 80 + 320, 0, p, 0, base_rate=PI0)
    assert known.ci_high - known.ci_low < more.ci_high - more.ci_low
    # bounds: from "all of them men" to "all of them women"
    bounds = estimate_share(20, 80, 0, p, 400, base_rate=PI0, no_info="bounds")
    women_known = 20 + 0.2 * 600
    assert bounds.ci_low < women_known / 1100 and bounds.ci_high > (women_known + 400) / 1100
    assert bounds.ci_low < more.ci_low and bounds.ci_high > more.ci_high


def test_inferred_people_widen_the_interval_over_recorded_ones() -> None:
    recorded = estimate_share(30, 70, 0, [], 0, base_rate=PI0)
    inferred = estimate_share(0, 0, 0, [0.95] * 30 + [0.05] * 70, 0, base_rate=PI0)
    assert inferred.ci_high - inferred.ci_low > recorded.ci_high - recorded.ci_low


def test_small_groups_stay_near_the_plain_mean() -> None:
    """A base rate cannot be learnt from one name: with a uniform prior on it, one person counts as p itself."""
    one = estimate_share(0, 0, 0, [0.8], 0, base_rate=PI0)
    assert one.share_expected == pytest.approx(0.8, abs=1e-3)
    assert one.ci_low < 0.8 < one.ci_high
    assert one.pi_hat == pytest.approx(1.0, abs=1e-6)  # the EM estimate runs to the boundary; the mean does not


def test_weights_equal_repeated_people_and_calls_count() -> None:
    p = np.array([0.05, 0.3, 0.5, 0.97])
    weighted = estimate_share(2, 3, 0, p, 1, weights=[3, 1, 2, 1], base_rate=PI0)
    repeated = estimate_share(2, 3, 0, np.repeat(p, [3, 1, 2, 1]), 1, base_rate=PI0)
    assert weighted.share_expected == pytest.approx(repeated.share_expected, abs=1e-12)
    assert weighted.ci_low == pytest.approx(repeated.ci_low, abs=1e-12)
    called = estimate_share(2, 3, 0, p, 1, calls=["man", "unknown", "unknown", "woman"], base_rate=PI0)
    assert (called.women, called.men, called.unknown, called.n) == (3, 4, 3, 10)
    assert called.share_known == pytest.approx(3 / 7)
    banded = estimate_share(2, 3, 0, p, 1, band=(0.1, 0.9), base_rate=PI0)
    assert (banded.women, banded.men, banded.unknown) == (3, 4, 3)


def test_deterministic_and_bad_input() -> None:
    p = np.random.default_rng(5).beta(0.5, 0.5, 500)
    assert estimate_share(1, 2, 0, p, 3, base_rate=PI0) == estimate_share(1, 2, 0, p, 3, base_rate=PI0)
    with pytest.raises(ValueError, match="NaN"):
        estimate_share(0, 0, 0, [0.5, float("nan")], 0)
    with pytest.raises(ValueError, match="base_rate"):
        estimate_share(0, 0, 0, [0.5], 0, base_rate=1.0)
    with pytest.raises(ValueError, match="no_info"):
        estimate_share(0, 0, 0, [0.5], 0, no_info="guess")
    with pytest.raises(ValueError, match="same length"):
        estimate_shares_from_histograms(recorded_women=[0], recorded_men=[0], recorded_nonbinary=[0], n_no_info=[0],
                                        bins=[[0.1, 0.2]], counts=[[1]])


def test_default_base_rate_is_the_name_models() -> None:
    from crewparity.gender.estimate import training_base_rate

    pi0 = training_base_rate()
    assert 0.3 < pi0 < 0.7
    est = estimate_share(0, 0, 0, [0.9, 0.1], 0)
    assert est.base_rate == pi0


def test_calibrated_base_rate_recovers_the_models_base_rate() -> None:
    """Measured on labelled people at any share, the base rate at which p is calibrated is found again — for the
    model calibrated at 0.5 and for the same model shifted to 0.3 (as adapting it to a store would)."""
    from crewparity.gender.estimate import calibrated_base_rate

    rng = np.random.default_rng(21)
    p, y = population(rng, 20_000, 0.2)
    assert calibrated_base_rate(p, y) == pytest.approx(0.5, abs=0.02)
    shift = np.log(0.3 / 0.7)
    p30 = 1 / (1 + np.exp(-(np.log(p / (1 - p)) + shift)))
    pi0 = calibrated_base_rate(p30, y)
    assert pi0 == pytest.approx(0.3, abs=0.02)
    # with that base rate the estimator recovers the truth; with the wrong one (0.5) it does not
    assert abs(estimate_share(0, 0, 0, p30, 0, base_rate=pi0).share_expected - 0.2) < 0.01
    assert abs(estimate_share(0, 0, 0, p30, 0, base_rate=0.5).share_expected - 0.2) > 0.03
    with pytest.raises(ValueError, match="both women and men"):
        calibrated_base_rate([0.2, 0.4], [1, 1])


def test_store_base_rate_on_real_imdb_lines(sample_store) -> None:  # type: ignore[no-untyped-def]
    from crewparity.gender.estimate import store_base_rate
    from crewparity.store import open_store

    with open_store(sample_store) as store:
        assert 0.0 < store_base_rate(store) < 1.0


def test_fit_calibration_undoes_a_cautious_model() -> None:
    """A model too cautious on its names (logits scaled by 0.7) makes EM over-correct in a field of mostly men;
    the logistic recalibration measured on labelled people (slope ~1/0.7) repairs it."""
    from crewparity.gender.estimate import fit_calibration

    rng = np.random.default_rng(31)
    p, y = pool(rng, 40_000)
    soft = 1 / (1 + np.exp(-0.7 * np.log(p / (1 - p))))
    cal = fit_calibration(soft, y)
    assert cal.slope == pytest.approx(1 / 0.7, rel=0.05)
    assert abs(cal.intercept) < 0.05 and cal.base_rate == pytest.approx(y.mean()) and cal.n == 40_000
    q, _ = population(np.random.default_rng(32), 10_000, 0.1)
    q_soft = 1 / (1 + np.exp(-0.7 * np.log(q / (1 - q))))
    raw = estimate_share(0, 0, 0, q_soft, 0, base_rate=PI0)
    fixed = estimate_share(0, 0, 0, q_soft, 0, calibration=cal)
    assert raw.share_expected < 0.1 - 0.01  # over-corrected
    assert abs(fixed.share_expected - 0.1) < 0.01 and fixed.ci_low <= 0.1 <= fixed.ci_high
    assert fixed.base_rate == cal.base_rate


def test_calibration_round_trips_through_json() -> None:
    from crewparity.gender.estimate import Calibration

    cal = Calibration(0.01, 1.156, 0.382, 489_932)
    assert Calibration.from_json(cal.to_json()) == cal
    assert cal.apply(np.array([0.0, 0.5, 1.0]))[[0, 2]].tolist() == [0.0, 1.0]


def test_interval_without_simulation_agrees() -> None:
    """Beyond 20,000 groups (a by-title table) the rate interval is moment-matched Wilson instead of simulated:
    on the coverage groups both agree to about a point and both cover."""
    from crewparity.gender.estimate import estimate_flat, flatten_histograms

    args, truth = _coverage_groups(range(2000, 2100), 300, 0.2, rec_frac=0.2, no_info_frac=0.1)
    rw, rm, rnb, ni, bins, counts = args
    group, values, cnts = flatten_histograms(bins, counts)
    sim = estimate_flat(rw, rm, rnb, ni, group, values, cnts, base_rate=PI0)
    fast = estimate_flat(rw, rm, rnb, ni, group, values, cnts, base_rate=PI0, draws=0)
    assert np.array_equal(sim["share_expected"], fast["share_expected"])
    assert np.abs(sim["ci_low"] - fast["ci_low"]).max() < 0.015
    assert np.abs(sim["ci_high"] - fast["ci_high"]).max() < 0.015
    assert ((fast["ci_low"] <= truth) & (truth <= fast["ci_high"])).mean() >= 0.9
    with pytest.raises(ValueError, match="draws=0"):
        estimate_flat(rw, rm, rnb, ni, group, values, cnts, draws=0, target="group")


def test_grid_edges_are_where_the_log_likelihood_has_dropped() -> None:
    """The posterior grid's edges (bracketed Newton) are where log L is LL_DROP below its maximum, as bisection
    finds them; a side that never drops that far ends at the boundary, and a group without inferred people
    spans everything."""
    from crewparity.gender import estimate as est

    rng = np.random.default_rng(11)
    sizes = [3, 40, 400, 4000, 0]
    gi, vals = [], []
    for g, n in enumerate(sizes):
        p, _ = population(rng, n, 0.2) if n else (np.zeros(0), None)
        gi.append(np.full(p.size, g))
        vals.append(p)
    fl = est._Flat(np.concatenate(gi), np.concatenate(vals), np.ones(sum(sizes)), len(sizes))
    m = fl.gsum(fl.counts)
    pi_hat, _ = est._em(fl, m, PI0, est.EM_TOL, est.EM_MAX_ITER)
    centre = np.where(m > 0, pi_hat, 0.5)
    target = fl.loglik(centre, PI0) - est.LL_DROP
    info = est._information(fl, centre, PI0)
    for end in (est._EPS, 1 - est._EPS):
        outside = np.full(len(sizes), end)
        edge = est._edge(fl, PI0, centre, outside, target, info)
        lo, hi = centre.copy(), outside.copy()
        for _ in range(60):  # plain bisection, to compare
            mid = 0.5 * (lo + hi)
            above = fl.loglik(mid, PI0) >= target
            lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
        whole = fl.loglik(outside, PI0) >= target
        assert np.allclose(edge, np.where(whole, outside, hi), rtol=0, atol=1e-9)
        assert whole[-1] and edge[-1] == end                      # no inferred people: flat, the whole side
        ll = fl.loglik(edge, PI0)
        inner = ~whole
        assert inner[2:4].all()                                   # the large groups drop within (0, 1)
        assert np.allclose(ll[inner], target[inner], atol=1e-6)


def test_estimate_names_takes_the_one_list_of_spellings_and_refuses_others() -> None:
    """genders[i] is read with the spellings every reader takes; a spelling not in the list was silently taken
    for "not recorded" (the person then went through the name model)."""
    est = estimate_names(["A B", "C D", "E F", "G H", "I J"], ["W", " Female ", "x", "m", "unknown"])
    assert (est.women, est.men, est.nonbinary) == (2, 1, 1)
    with pytest.raises(ArgumentError, match=r"genders\[1\]: 'femal' is not an allowed gender; expected woman, man"):
        estimate_names(["A B", "C D"], ["woman", "femal"])
