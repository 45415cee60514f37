"""Which hospitals provide a complex intervention under a named rule: today's providers, a
volume norm, one hub per cancer network, an explicit list, or the k providers that minimise
population-weighted travel (the exact p-median of optimise.py). Which patient goes where is
the referral model's (choice.py)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Expected volumes are sums of floats: a provider at the norm must not fall below it by 1e-12.
VOLUME_TOLERANCE = 1e-6


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
