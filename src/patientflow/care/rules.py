"""Which hospitals provide a complex intervention under a named rule: today's providers, a
volume norm, one hub per cancer network, an explicit list, or the k providers that minimise
population-weighted travel (the exact p-median of optimise.py). Which patient goes where is
the referral model's (choice.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection

import numpy as np

# Expected volumes are sums of floats: a provider at the norm must not fall below it by 1e-12.
VOLUME_TOLERANCE = 1e-6


def volume_norm(
    volumes_of: Callable[[list[int]], np.ndarray],
    start: list[int],
    norm: float | np.ndarray,
    order: list[str],
    total: float,
    pools: dict[int, str] | None = None,
    fixed: Collection[int] = (),
) -> tuple[list[int], dict]:
    """Drop, one at a time, the provider furthest below its norm (lowest volume relative to
    the norm; ties: the one listed last in `order`) and let its patients move (`volumes_of`
    gives the volumes when those providers remain), until every provider meets its norm.
    `norm` is one value or one per candidate (a cancer network's own norm); `pools` groups
    the candidates that decide together (each network that applies its own norm; by default
    one national pool), and a pool never drops its last provider: the norm is then reported
    as not met. Providers in `fixed` (chosen by another network's rule) are never dropped."""
    norms = np.broadcast_to(np.asarray(norm, dtype=float), (len(order),))
    pool = pools or {}
    keep = set(fixed)
    providers = sorted(set(start) | keep)
    dropped: list[str] = []
    while True:
        volume = volumes_of(providers)
        below = [
            p
            for p in providers
            if p not in keep and norms[p] > 0 and volume[p] < norms[p] - VOLUME_TOLERANCE
        ]
        size = Counter(pool.get(p) for p in providers if p not in keep)
        droppable = [p for p in below if size[pool.get(p)] > 1]
        if not droppable:
            return providers, {
                "norm": float(norm) if np.ndim(norm) == 0 else None,
                "met": not below,
                "dropped": dropped,
                "message": _unmet(below, norms, volume, pool, total),
            }
        worst = min(droppable, key=lambda p: (volume[p] / norms[p], -p))
        providers.remove(worst)
        dropped.append(order[worst])


def _unmet(
    below: list[int], norms: np.ndarray, volume: np.ndarray, pool: dict, total: float
) -> str:
    """Why the norm cannot be met: the whole volume is below it (one national pool), or per
    network that keeps its last provider below its norm."""
    if not below:
        return ""
    if not pool:
        return f"the norm of {norms[below[0]]:g} cannot be met: the volume is {total:.0f}"
    return "; ".join(
        f"the norm of {norms[p]:g} cannot be met in {pool.get(p)}: its last provider has "
        f"{volume[p]:.0f}"
        for p in below
    )


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
