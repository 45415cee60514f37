"""Which hospitals provide a complex intervention under a named rule: today's providers, a
volume norm, one hub per cancer network, an explicit list, or the k providers that minimise
population-weighted travel (p-median). Which patient goes where is the referral model's
(choice.py); the p-median itself minimises travel to the nearest provider."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

EXACT_LIMIT = 200_000
# Expected volumes are sums of floats: a provider at the norm must not fall below it by 1e-12.
VOLUME_TOLERANCE = 1e-6


@dataclass
class Assignment:
    """Providers (column indices into the candidate list) and each demand point's provider."""

    providers: list[int]
    choice: np.ndarray
    volume: np.ndarray
    report: dict = field(default_factory=dict)


def assign(minutes: np.ndarray, weight: np.ndarray, providers: list[int]) -> Assignment:
    """Each demand point to its nearest provider; expected volume per candidate."""
    if not providers:
        raise ValueError("no providers to assign patients to")
    cols = np.asarray(providers)
    choice = cols[np.argmin(minutes[:, cols], axis=1)]
    volume = np.bincount(choice, weights=weight, minlength=minutes.shape[1])
    return Assignment(list(providers), choice, volume)


def volume_norm(
    volumes_of: Callable[[list[int]], np.ndarray],
    start: list[int],
    norm: float,
    order: list[str],
    total: float,
) -> tuple[list[int], dict]:
    """Drop, one at a time, the provider furthest below the norm (lowest volume; ties: the one
    listed last in `order`) and let its patients move (`volumes_of` gives the volumes when
    those providers remain), until every provider meets the norm. When even one provider
    cannot meet it, keep that one and report that the norm cannot be met."""
    providers = sorted(start)
    dropped: list[str] = []
    while True:
        volume = volumes_of(providers)
        below = [p for p in providers if volume[p] < norm - VOLUME_TOLERANCE]
        if not below or len(providers) == 1:
            return providers, {
                "norm": norm,
                "met": not below,
                "dropped": dropped,
                "message": ""
                if not below
                else f"the norm of {norm:g} cannot be met: the volume is {total:.0f}",
            }
        worst = min(below, key=lambda p: (volume[p], -p))
        providers.remove(worst)
        dropped.append(order[worst])


def p_median_cost(minutes: np.ndarray, weight: np.ndarray, providers) -> float:
    return float(weight @ minutes[:, list(providers)].min(axis=1))


def optimal_k(minutes: np.ndarray, weight: np.ndarray, k: int, candidates: list[int]) -> Assignment:
    """The k providers among `candidates` that minimise population-weighted travel minutes:
    by enumeration when there are at most 200,000 combinations, otherwise greedy addition plus
    vertex interchange (Teitz-Bart), with the gap to a Lagrangian lower bound reported."""
    if k >= len(candidates):
        a = assign(minutes, weight, list(candidates))
        a.report = {"method": "all candidates", "gap": 0.0}
        return a
    if math.comb(len(candidates), k) <= EXACT_LIMIT:
        best = min(
            itertools.combinations(candidates, k), key=lambda c: p_median_cost(minutes, weight, c)
        )
        a = assign(minutes, weight, list(best))
        a.report = {"method": "exact", "gap": 0.0}
        return a
    chosen = _greedy(minutes, weight, k, candidates)
    chosen = _interchange(minutes, weight, chosen, candidates)
    cost = p_median_cost(minutes, weight, chosen)
    lb = lagrangian_bound(minutes[:, candidates], weight, k)
    a = assign(minutes, weight, sorted(chosen))
    a.report = {
        "method": "greedy+interchange",
        "cost": cost,
        "lower_bound": lb,
        "gap": (cost - lb) / cost if cost > 0 else 0.0,
    }
    return a


def _greedy(minutes, weight, k, candidates) -> list[int]:
    chosen: list[int] = []
    best = np.full(minutes.shape[0], np.inf)
    for _ in range(k):
        rest = [c for c in candidates if c not in chosen]
        costs = [float(weight @ np.minimum(best, minutes[:, c])) for c in rest]
        pick = rest[int(np.argmin(costs))]
        chosen.append(pick)
        best = np.minimum(best, minutes[:, pick])
    return chosen


def _interchange(minutes, weight, chosen, candidates) -> list[int]:
    """Swap a chosen provider for an unchosen candidate while that lowers the cost."""
    chosen = list(chosen)
    cost = p_median_cost(minutes, weight, chosen)
    improved = True
    while improved:
        improved = False
        for i in range(len(chosen)):
            for c in candidates:
                if c in chosen:
                    continue
                trial = chosen[:i] + [c] + chosen[i + 1 :]
                t = p_median_cost(minutes, weight, trial)
                if t < cost - 1e-9:
                    chosen, cost, improved = trial, t, True
    return chosen


def lagrangian_bound(d: np.ndarray, w: np.ndarray, k: int, iters: int = 300) -> float:
    """Lower bound on the p-median cost by Lagrangian relaxation of the assignment constraints
    (subgradient ascent)."""
    c = w[:, None] * d
    lam = c.min(axis=1).copy()
    best, step = -np.inf, 1.0
    ub = float(c.min(axis=1).sum() * 2 + 1)
    for _ in range(iters):
        rho = np.minimum(0.0, c - lam[:, None]).sum(axis=0)
        open_ = np.argsort(rho, kind="stable")[:k]
        bound = lam.sum() + rho[open_].sum()
        best = max(best, bound)
        served = ((c[:, open_] - lam[:, None]) < 0).sum(axis=1)
        g = 1.0 - served
        norm = float((g**2).sum())
        if norm == 0:
            break
        lam = lam + step * (ub - bound) / norm * g
        step *= 0.98
    return float(best)


def one_per_network(
    volume_today: np.ndarray, network_of: list[str], eligible: list[int], beds: np.ndarray
) -> list[int]:
    """A hub per cancer network: today's largest provider there, else its largest eligible
    hospital by beds."""
    hubs = []
    for net in sorted(set(network_of[i] for i in eligible)):
        members = [i for i in eligible if network_of[i] == net]
        hubs.append(max(members, key=lambda i: (volume_today[i], beds[i], -i)))
    return hubs
