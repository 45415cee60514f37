"""The p-median as a mixed-integer program in the radius formulation (Elloumi 2010; Garcia,
Labbe and Marin 2011), over aggregated points and the available columns: its greedy and
interchange heuristic (an upper bound), its Lagrangian lower bound, and its solve by HiGHS
through scipy.optimize.milp at a given depth of levels. optimise.py prepares the problem,
deepens the levels and checks the answer."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

MIP_REL_GAP = 1e-9
SHARE_TOLERANCE = 1e-9
PRESOLVE = False


@dataclass
class PMedianModel:
    """The p-median over aggregated points (rows of d) and the available columns (columns of d),
    with kept columns and groups as positions among the available columns."""

    d: np.ndarray
    w: np.ndarray
    k: int
    kept: list[int]
    group_cols: list[list[int]]
    max_minutes: float | None
    share: float

    def __post_init__(self) -> None:
        n, m = self.d.shape
        rows = np.arange(n)[:, None]
        self.order = np.argsort(self.d, axis=1, kind="stable")
        self.sorted = self.d[rows, self.order]
        self.rank = np.empty((n, m), dtype=np.min_scalar_type(m))
        self.rank[rows, self.order] = np.arange(m)
        # Some column among each point's m - k + 1 nearest is open, and so is every kept one:
        # levels at or beyond either are never needed.
        cap = np.full(n, m - self.k + 1)
        if self.kept and n:
            is_kept = np.zeros(m, dtype=bool)
            is_kept[self.kept] = True
            cap = np.minimum(cap, np.argmax(is_kept[self.order], axis=1) + 1)
        self.most = cap - 1
        self.total = float(self.w.sum())
        self.scale = self.total if self.total > 0 else 1.0
        self.base = float(self.w @ self.sorted[:, 0]) if n else 0.0
        if self.max_minutes is not None:
            self.within = (self.d <= self.max_minutes).sum(axis=1)
        self.group_of = np.full(m, -1)
        for g, cols in enumerate(self.group_cols):
            self.group_of[cols] = g

    def nearest(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rank (in each point's sorted list) and minutes of each point's nearest chosen column."""
        is_open = np.zeros(self.d.shape[1], dtype=bool)
        is_open[chosen] = True
        rank = np.argmax(is_open[self.order], axis=1)
        return rank, self.sorted[np.arange(len(self.d)), rank]

    def covered(self, reach: np.ndarray) -> np.ndarray | bool:
        """Whether the share of weight within max_minutes of its nearest column is met, for each
        column of `reach` (points x choices) or for a single choice."""
        if self.max_minutes is None:
            return True
        return self.w @ (reach <= self.max_minutes) >= self.share * self.total * (
            1 - SHARE_TOLERANCE
        )

    def heuristic(self) -> np.ndarray:
        """Greedy addition then best-improvement swaps (keeping kept columns and one column per
        group): a good start that sets how deep the relaxation must go and cuts off the search."""
        n, m = self.d.shape
        chosen = list(self.kept)
        best = self.d[:, chosen].min(axis=1) if chosen else np.full(n, np.inf)
        while len(chosen) < self.k:
            allowed = np.ones(m, dtype=bool)
            allowed[chosen] = False
            missing = set(range(len(self.group_cols))) - set(self.group_of[chosen].tolist())
            if len(missing) >= self.k - len(chosen):
                allowed &= np.isin(self.group_of, list(missing))
            costs = np.where(allowed, self.w @ np.minimum(best[:, None], self.d), np.inf)
            j = int(np.argmin(costs))
            chosen.append(j)
            best = np.minimum(best, self.d[:, j])
        current = np.array(chosen)
        cost = float(self.w @ best)
        rows = np.arange(n)
        while True:
            top = np.argsort(self.d[:, current], axis=1, kind="stable")[:, :2]
            first = current[top[:, 0]]
            d1 = self.d[rows, first]
            d2 = self.d[rows, current[top[:, -1]]] if self.k > 1 else np.inf
            groups = self.group_of[current]
            count = np.bincount(groups[groups >= 0], minlength=len(self.group_cols))
            move = (cost * (1 - 1e-12), -1, -1)
            for r in current:
                if r in self.kept:
                    continue
                trial = self.w @ np.minimum(np.where(first == r, d2, d1)[:, None], self.d)
                allowed = ~np.isin(np.arange(m), current)
                if self.group_of[r] >= 0 and count[self.group_of[r]] == 1:
                    allowed &= self.group_of == self.group_of[r]
                trial = np.where(allowed, trial, np.inf)
                a = int(np.argmin(trial))
                if trial[a] < move[0]:
                    move = (float(trial[a]), int(r), a)
            if move[1] < 0:
                return np.sort(current)
            cost = move[0]
            current[current == move[1]] = move[2]

    def lagrangian_bound(self, upper: float, iterations: int = 200) -> float:
        """A lower bound on the cost without the side constraints: the assignment constraints
        relaxed with multipliers, raised by subgradient steps towards `upper` (Polyak), the step
        halved when the bound stalls. Reported when time runs out."""
        c = self.w[:, None] * self.d
        lam = c.min(axis=1)
        best, step, stall = -np.inf, 2.0, 0
        for _ in range(iterations):
            rho = np.minimum(0.0, c - lam[:, None]).sum(axis=0)
            chosen = np.argsort(rho, kind="stable")[: self.k]
            bound = float(lam.sum() + rho[chosen].sum())
            if bound > best:
                best, stall = bound, 0
            else:
                stall += 1
                if stall >= 20:
                    step, stall = step / 2, 0
            g = 1.0 - ((c[:, chosen] - lam[:, None]) < 0).sum(axis=1)
            norm = float(g @ g)
            if norm == 0 or upper <= bound:
                break
            lam = lam + step * (upper - bound) / norm * g
        return best

    def solve(self, levels: np.ndarray, time_limit_s: float, cutoff: float) -> OptimizeResult:
        """The radius formulation truncated at levels[i] for point i: z >= 1 - (open columns
        among its l nearest), cost sum_i w_i (D_i1 + sum_l (D_i,l+1 - D_il) z_il) with travel
        beyond the last level uncharged, so a relaxation. Points whose l nearest columns are the
        same set share one z."""
        n, m = self.d.shape
        point = np.repeat(np.arange(n), levels)
        level = np.arange(len(point)) - np.repeat(np.cumsum(levels) - levels, levels) + 1
        step = self.sorted[point, level] - self.sorted[point, level - 1]
        cover = np.zeros(len(point))
        if self.max_minutes is not None:
            tracked = level == self.within[point]
            cover[tracked] = self.w[point[tracked]]
        used = (step > 0) | (cover > 0)
        point, level, step, cover = point[used], level[used], step[used], cover[used]

        member = self.rank[point] < level[:, None]
        if len(member):
            keys, which = np.unique(np.packbits(member, axis=1), axis=0, return_inverse=True)
            sets = np.unpackbits(keys, axis=1, count=m).astype(bool)
        else:
            which, sets = np.zeros(0, dtype=int), np.zeros((0, m), dtype=bool)
        which = which.ravel()
        ns = len(sets)
        nv = m + ns
        c = np.zeros(nv)
        c[m:] = np.bincount(which, weights=self.w[point] * step, minlength=ns)
        set_row, set_col = np.nonzero(sets)
        constraints = [
            LinearConstraint(
                sparse.csr_array((np.ones(m), (np.zeros(m, dtype=int), np.arange(m))), (1, nv)),
                self.k,
                self.k,
            )
        ]
        if ns:
            a = sparse.csr_array(
                (
                    np.ones(len(set_row) + ns),
                    (np.r_[set_row, np.arange(ns)], np.r_[set_col, m + np.arange(ns)]),
                ),
                shape=(ns, nv),
            )
            constraints.append(LinearConstraint(a, 1.0, np.inf))
        if self.group_cols:
            g_rows = np.concatenate([np.full(len(g), i) for i, g in enumerate(self.group_cols)])
            g_cols = np.concatenate([np.asarray(g) for g in self.group_cols])
            a = sparse.csr_array(
                (np.ones(len(g_cols)), (g_rows, g_cols)), shape=(len(self.group_cols), nv)
            )
            constraints.append(LinearConstraint(a, 1.0, np.inf))
        if self.max_minutes is not None:
            # A point is out of reach when none of its columns within reach is open, that is
            # when its z at that level is 1; beyond its last level it counts as within reach.
            row = np.zeros(nv)
            row[m:] = np.bincount(which, weights=cover, minlength=ns)
            room = (1 - self.share) * self.total - self.w[self.within == 0].sum()
            constraints.append(
                LinearConstraint(
                    sparse.csr_array(row[None, :] / self.scale),
                    -np.inf,
                    room / self.scale + SHARE_TOLERANCE,
                )
            )
        lower = np.zeros(nv)
        lower[self.kept] = 1.0
        integrality = np.zeros(nv)
        integrality[:m] = 1
        options = {"time_limit": time_limit_s, "mip_rel_gap": MIP_REL_GAP, "presolve": PRESOLVE}
        extra = {"mip_abs_gap": 0.0}
        if math.isfinite(cutoff):
            extra["objective_bound"] = (cutoff - self.base) / self.scale
        args = dict(integrality=integrality, bounds=Bounds(lower, np.ones(nv)))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            try:
                return milp(
                    c / self.scale, constraints=constraints, options=options | extra, **args
                )
            except (AttributeError, KeyError, TypeError, ValueError):
                # An older HiGHS without these options: solve without them.
                return milp(c / self.scale, constraints=constraints, options=options, **args)
