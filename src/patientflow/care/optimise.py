"""Exact p-median location of complex care: the k providers among candidate hospitals that
minimise population-weighted travel minutes, proven optimal by mixed-integer programming (HiGHS
through scipy.optimize.milp), with optional network, keep/drop and travel-time constraints.

The model is the radius formulation of the p-median (Elloumi 2010; Garcia, Labbe and Marin
2011), whose LP bound equals that of the classic assignment formulation, made small in two
exact ways: points that share their l nearest columns share one variable at level l, and levels
are added only as deep as an optimum needs them (a truncated model is a relaxation; it is
deepened where its optimum sends a point beyond its levels, and solved again)."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from patientflow.care.pmedian_model import MIP_REL_GAP, SHARE_TOLERANCE, PMedianModel

INITIAL_LEVELS = 16
CUTOFF_MARGIN = 1e-7
ENUMERATE_WORK = 5e8
ENUMERATE_PREFIXES = 20_000


@dataclass
class PMedianResult:
    """The chosen providers (sorted column indices of `minutes`), their exact weighted travel
    cost, the proven lower bound and relative gap, and how the solve ended."""

    providers: list[int]
    cost: float
    lower_bound: float
    gap: float
    status: str
    message: str


def _infeasible(message: str) -> PMedianResult:
    return PMedianResult([], math.inf, math.inf, math.inf, "infeasible", message)


def _columns(name: str, values: Sequence[int], n_cols: int) -> list[int]:
    out = [int(v) for v in values]
    bad = [v for v in out if not 0 <= v < n_cols]
    if bad:
        raise ValueError(f"{name} has columns outside 0..{n_cols - 1}: {bad}")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} lists a column more than once: {out}")
    return out


def _validate(
    minutes: np.ndarray,
    weight: np.ndarray,
    k: int,
    candidates: Sequence[int] | None,
    groups: Sequence[str] | None,
    at_least_one_per_group: bool,
    max_minutes: float | None,
    max_minutes_share: float,
    time_limit_s: float,
    method: str,
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    minutes = np.asarray(minutes, dtype=float)
    weight = np.asarray(weight, dtype=float)
    if minutes.ndim != 2:
        raise ValueError(f"minutes must be 2-D (points x columns), got shape {minutes.shape}")
    if weight.shape != (minutes.shape[0],):
        raise ValueError(
            f"weight must have one entry per row of minutes ({minutes.shape[0]}), "
            f"got shape {weight.shape}"
        )
    if not np.isfinite(minutes).all():
        raise ValueError("minutes contains non-finite values")
    if not np.isfinite(weight).all():
        raise ValueError("weight contains non-finite values")
    if (weight < 0).any():
        raise ValueError("weight contains negative values")
    n_cols = minutes.shape[1]
    cands = _columns("candidates", range(n_cols) if candidates is None else candidates, n_cols)
    if isinstance(k, bool) or int(k) != k:
        raise ValueError(f"k must be an integer, got {k!r}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if k > len(cands):
        raise ValueError(f"k={k} exceeds the number of candidates ({len(cands)})")
    if groups is not None and len(groups) != n_cols:
        raise ValueError(
            f"groups must name one group per column of minutes ({n_cols}), got {len(groups)}"
        )
    if at_least_one_per_group and groups is None:
        raise ValueError("at_least_one_per_group needs groups")
    if not 0.0 <= max_minutes_share <= 1.0:
        raise ValueError(f"max_minutes_share must lie in [0, 1], got {max_minutes_share}")
    if max_minutes is not None and not np.isfinite(max_minutes):
        raise ValueError(f"max_minutes must be finite, got {max_minutes}")
    if not time_limit_s > 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
    if method not in ("auto", "milp", "enumerate"):
        raise ValueError(f"method must be 'auto', 'milp' or 'enumerate', got {method!r}")
    return minutes, weight, cands


def p_median(
    minutes: np.ndarray,
    weight: np.ndarray,
    k: int,
    *,
    candidates: list[int] | None = None,
    groups: list[str] | None = None,
    at_least_one_per_group: bool = False,
    must_keep: Sequence[int] = (),
    must_drop: Sequence[int] = (),
    max_minutes: float | None = None,
    max_minutes_share: float = 1.0,
    time_limit_s: float = 60.0,
    method: Literal["auto", "milp", "enumerate"] = "auto",
) -> PMedianResult:
    """Exactly k open columns among `candidates` minimising sum_i weight_i x minutes to the
    nearest open column, proven optimal (or bounded when time runs out). "auto" enumerates when
    the choices are few (k <= 3 among ~80 candidates) and solves the MILP otherwise."""
    minutes, weight, cands = _validate(
        minutes,
        weight,
        k,
        candidates,
        groups,
        at_least_one_per_group,
        max_minutes,
        max_minutes_share,
        time_limit_s,
        method,
    )
    n_cols = minutes.shape[1]
    keep = _columns("must_keep", must_keep, n_cols)
    drop = _columns("must_drop", must_drop, n_cols)

    both = sorted(set(keep) & set(drop))
    if both:
        return _infeasible(f"columns {both} are both in must_keep and must_drop")
    outside = sorted(set(keep) - set(cands))
    if outside:
        return _infeasible(f"must_keep columns {outside} are not candidates")
    if len(keep) > k:
        return _infeasible(f"must_keep has {len(keep)} columns {sorted(keep)} but k={k}")
    avail = [j for j in cands if j not in set(drop)]
    if len(avail) < k:
        return _infeasible(
            f"only {len(avail)} candidates remain after must_drop {sorted(drop)}, fewer than k={k}"
        )

    group_cols: dict[str, list[int]] = {}
    if at_least_one_per_group:
        assert groups is not None
        present = sorted({groups[j] for j in cands})
        if k < len(present):
            return _infeasible(
                f"k={k} is fewer than the {len(present)} groups among the candidates "
                f"({', '.join(present)}): one open column per group is impossible"
            )
        group_cols = {g: [i for i, j in enumerate(avail) if groups[j] == g] for g in present}
        emptied = [g for g, cols in group_cols.items() if not cols]
        if emptied:
            return _infeasible(f"must_drop closes every candidate of groups {emptied}")
        uncovered = [g for g in present if not any(groups[j] == g for j in keep)]
        if len(keep) + len(uncovered) > k:
            return _infeasible(
                f"must_keep {sorted(keep)} leaves {len(uncovered)} groups without a column "
                f"but only {k - len(keep)} columns to open"
            )

    live = weight > 0
    d = minutes[np.ix_(live, np.asarray(avail, dtype=np.intp))]
    w = weight[live]
    total = float(w.sum())
    coverage = max_minutes is not None and max_minutes_share > 0 and total > 0
    if coverage:
        reachable = float(w[d.min(axis=1) <= max_minutes].sum())
        if reachable < max_minutes_share * total * (1 - SHARE_TOLERANCE):
            return _infeasible(
                f"even with every candidate open only {reachable / total:.1%} of the weight is "
                f"within {max_minutes:g} minutes, below the required {max_minutes_share:.1%}"
            )
    if len(d):
        d, inverse = np.unique(d, axis=0, return_inverse=True)
        w = np.bincount(inverse.ravel(), weights=w, minlength=len(d))

    problem = PMedianModel(
        d,
        w,
        k,
        [avail.index(j) for j in keep],
        list(group_cols.values()),
        max_minutes if coverage else None,
        max_minutes_share,
    )
    free, r = len(avail) - len(keep), k - len(keep)
    few = math.comb(free, r) * max(len(d), 1) <= ENUMERATE_WORK
    few &= math.comb(free, max(r - 1, 0)) <= ENUMERATE_PREFIXES
    if method == "enumerate" or (method == "auto" and few):
        result = _enumerate(problem, avail)
    else:
        result = _search(problem, avail, time_limit_s)
    return _finish(minutes, weight, result) if result.providers else result


def _enumerate(problem: PMedianModel, avail: list[int]) -> PMedianResult:
    """Every choice of the free columns next to the kept ones, by its first r - 1 columns with
    the last one vectorised: exact and fast when the choices are few. Ties go to the first
    choice in lexicographic order."""
    n, m = problem.d.shape
    kept = problem.kept
    free = np.array([j for j in range(m) if j not in kept], dtype=int)
    r = problem.k - len(kept)
    base = problem.d[:, kept].min(axis=1) if kept else np.full(n, np.inf)
    best: tuple[float, list[int]] | None = None
    count = 0
    for prefix in itertools.combinations(range(len(free)), max(r - 1, 0)):
        cols = free[list(prefix)]
        near = np.minimum(base, problem.d[:, cols].min(axis=1)) if r > 1 else base
        last = free[prefix[-1] + 1 :] if prefix else free
        if r == 0:
            last = np.zeros(0, dtype=int)
        missing = set(range(len(problem.group_cols))) - set(
            problem.group_of[np.r_[kept, cols].astype(int)].tolist()
        )
        if len(missing) > (r > 0):
            continue
        if missing:
            last = last[np.isin(last, problem.group_cols[missing.pop()])]
        reach = np.minimum(near[:, None], problem.d[:, last]) if r else near[:, None]
        count += reach.shape[1]
        cost = np.where(problem.covered(reach), problem.w @ reach, np.inf)
        if not len(cost):
            continue
        i = int(np.argmin(cost))
        if np.isfinite(cost[i]) and (best is None or cost[i] < best[0]):
            best = (float(cost[i]), [*kept, *cols.tolist(), *last[i : i + 1].tolist()])
    if best is None:
        return _infeasible(
            f"none of the {count} choices of {problem.k} columns meets the constraints"
        )
    message = f"optimal by enumerating {count} choices"
    return PMedianResult([avail[j] for j in best[1]], best[0], best[0], 0.0, "optimal", message)


def _search(problem: PMedianModel, avail: list[int], time_limit_s: float) -> PMedianResult:
    """Solve truncated relaxations, deepening the levels of points whose nearest chosen column
    lies beyond them, until none does: the relaxation's optimum is then exact."""
    n, m = problem.d.shape
    k = problem.k
    deadline = time.monotonic() + time_limit_s
    rows = np.arange(n)

    start = problem.heuristic()
    rank, reach = problem.nearest(start)
    best = (float(problem.w @ reach), start) if problem.covered(reach) else None
    if n == 0:
        return PMedianResult([avail[j] for j in start], 0.0, 0.0, 0.0, "optimal", "no demand")
    levels = np.minimum(problem.most, np.maximum(rank, INITIAL_LEVELS))
    lower_bound = problem.base
    solves = 0
    while True:
        cutoff = best[0] * (1 + CUTOFF_MARGIN) + 1e-9 if best is not None else math.inf
        res = problem.solve(levels, max(deadline - time.monotonic(), 1e-3), cutoff)
        solves += 1
        if res.x is None and res.status != 1 and math.isfinite(cutoff):
            # Nothing found below the cutoff although the start lies below it: numerical
            # trouble, so solve again without one.
            cutoff = math.inf
            res = problem.solve(levels, max(deadline - time.monotonic(), 1e-3), cutoff)
        bound = res.get("mip_dual_bound")
        if res.status == 0 and (bound is None or not np.isfinite(bound)):
            bound = res.fun
        if bound is not None and np.isfinite(bound):
            bound = problem.base + float(bound) * problem.scale
            lower_bound = max(lower_bound, min(bound, cutoff))
        if res.status == 2:
            return _infeasible(f"no choice of {k} columns meets the constraints: {res.message}")
        if res.x is None:
            if res.status != 1:
                raise RuntimeError(f"p-median solve failed (status {res.status}): {res.message}")
            break
        chosen = np.sort(np.argsort(-res.x[:m], kind="stable")[:k])
        rank, reach = problem.nearest(chosen)
        cost = float(problem.w @ reach)
        exact = not (reach > problem.sorted[rows, levels]).any()
        if (exact or problem.covered(reach)) and (best is None or cost < best[0]):
            best = (cost, chosen)
        if exact:
            assert best is not None
            status = "optimal" if res.status == 0 else "time_limit"
            if status == "time_limit":
                lower_bound = max(lower_bound, min(problem.lagrangian_bound(best[0]), best[0]))
            message = f"{status} after {solves} MILP solve(s): {res.message}"
            providers = [avail[j] for j in best[1]]
            return PMedianResult(providers, best[0], lower_bound, math.nan, status, message)
        if res.status == 1 or time.monotonic() >= deadline:
            break
        beyond = reach > problem.sorted[rows, levels]
        levels = np.where(beyond, np.minimum(problem.most, np.maximum(rank, 2 * levels)), levels)
    message = f"time limit of {time_limit_s:g} s reached after {solves} MILP solve(s)"
    if best is None:
        message += " without a feasible choice"
        return PMedianResult([], math.inf, lower_bound, math.inf, "time_limit", message)
    lower_bound = max(lower_bound, min(problem.lagrangian_bound(best[0]), best[0]))
    providers = [avail[j] for j in best[1]]
    return PMedianResult(providers, best[0], lower_bound, math.nan, "time_limit", message)


def _finish(minutes: np.ndarray, weight: np.ndarray, result: PMedianResult) -> PMedianResult:
    """Recompute the cost exactly by sending each point to its nearest chosen column."""
    providers = sorted(int(j) for j in result.providers)
    cost = float(weight @ minutes[:, providers].min(axis=1))
    lower_bound = min(result.lower_bound, cost)
    gap = (cost - lower_bound) / cost if cost > 0 else 0.0
    if result.status == "optimal" and gap <= MIP_REL_GAP:
        gap = 0.0
    return PMedianResult(providers, cost, lower_bound, gap, result.status, result.message)
