"""The long version of tests/validation's queueing cases: more (c, load) combinations, more
replications, more customers, so the confidence intervals are 1-2 % wide and the analytic
value must lie inside them (the 3 % band is never the binding one here). Run on purpose:

    python -m pytest benchmarks/validation -q      # about 10 minutes on one core

References as in tests/validation/queueing.py: Erlang C and B (Erlang 1917), Cobham (1954),
Burke (1956) and Jackson (1957). Every case has its own fixed seed, so the outcome is
reproducible. The battery has 26 checks (12 M/M/c, 3 Erlang B, 5 priority, 6 tandem): at 95 %
each, a correct engine would fail about 1.3 of them on an arbitrary set of seeds (it did: two
checks at |z| = 2.2, both passing on other seeds). Each check therefore uses the family-wise
level FAMILY_LEVEL = 1 - 0.05 / 26 (Bonferroni), so that the battery as a whole raises a false
alarm at most 5 % of the time; the half-width at that level is still 1-2.5 % of the analytic
value. The message gives the error in standard errors (z); the exact Kiefer-Wolfowitz check in
tests/validation/test_erlang.py tells whether the desk itself is exact.
"""

from __future__ import annotations

import pytest

from tests.validation.queueing import (
    Station,
    assert_agrees,
    assert_all_agree,
    cobham_waits,
    erlang_b,
    erlang_c,
    mmc_wait,
    mmc_wait_exceeds,
    replicate,
    simulate,
    tandem_sojourn,
)

R = 40
CHECKS = 26
FAMILY_LEVEL = 1 - 0.05 / CHECKS
MEAN = 6.0  # minutes per call
SEED = 20250200


def hours_for(customers: int, lam_per_min: float) -> int:
    """Hours of arrivals that bring about `customers` customers."""
    return max(1, round(customers / (lam_per_min * 60.0)))


# (servers, load per server, customers per replication)
MMC = [(1, 0.8, 60_000), (2, 0.85, 100_000), (5, 0.75, 120_000), (10, 0.85, 150_000)]


@pytest.mark.parametrize("c, rho, n", MMC)
def test_m_m_c_desk_against_erlang_c(c, rho, n):
    """Mean wait, P(W > 0) and P(W > t) of M/M/c at t = 1 / (c mu - lambda)."""
    lam, mu = rho * c / MEAN, 1.0 / MEAN
    t = 1.0 / (c * mu - lam)
    runs = replicate(
        simulate,
        R,
        seed=SEED + c,
        stations=[Station(c, MEAN)],
        rates_per_min=[lam],
        hours=hours_for(n, lam) + 72,
        warmup_hours=72,
        tail_at=t,
    )
    assert_all_agree(
        [
            (runs["wait0"], mmc_wait(lam, mu, c), f"M/M/{c} rho={rho} mean wait"),
            (runs["p_wait"], erlang_c(c, lam / mu), f"M/M/{c} rho={rho} P(W > 0)"),
            (runs["p_tail"], mmc_wait_exceeds(lam, mu, c, t), f"M/M/{c} rho={rho} P(W > {t:.1f})"),
        ],
        level=FAMILY_LEVEL,
    )


@pytest.mark.parametrize("c, a", [(5, 4.0), (10, 8.5), (30, 25.0)])
def test_m_m_c_c_desk_against_erlang_b(c, a):
    lam = a / MEAN
    runs = replicate(
        simulate,
        R,
        seed=SEED + 100 + c,
        stations=[Station(c, MEAN)],
        rates_per_min=[lam],
        hours=hours_for(60_000, lam) + 2,
        warmup_hours=2,
        loss=True,
    )
    assert_agrees(
        runs["blocked"], erlang_b(c, a), f"M/M/{c}/{c} a={a} blocking", level=FAMILY_LEVEL
    )


# (servers, load per server, share of the load per class (class 0 first), customers per rep)
PRIORITY = [(3, 0.8, (0.3, 0.7), 120_000), (5, 0.85, (0.15, 0.35, 0.5), 150_000)]


@pytest.mark.parametrize("c, rho, shares, n", PRIORITY)
def test_priority_desk_against_cobham(c, rho, shares, n):
    lam = rho * c / MEAN
    lams = [s * lam for s in shares]
    runs = replicate(
        simulate,
        R,
        seed=SEED + 200 + c,
        stations=[Station(c, MEAN)],
        rates_per_min=lams,
        hours=hours_for(n, lam) + 72,
        warmup_hours=72,
    )
    assert_all_agree(
        [
            (runs[f"wait0_class{k}"], w, f"M/M/{c} rho={rho} priority class {k}/{len(lams)} wait")
            for k, w in enumerate(cobham_waits(lams, 1.0 / MEAN, c))
        ],
        level=FAMILY_LEVEL,
    )


# (arrivals per minute, stations in order, customers per replication)
TANDEM = [
    (0.16, (Station(2, 5.0), Station(3, 15.0)), 80_000),
    (0.3, (Station(3, 8.0), Station(1, 2.7)), 80_000),
]


@pytest.mark.parametrize("lam, stations, n", TANDEM)
def test_tandem_against_jackson(lam, stations, n):
    runs = replicate(
        simulate,
        R,
        seed=SEED + 300 + stations[0].servers,
        stations=list(stations),
        rates_per_min=[lam],
        hours=hours_for(n, lam) + 72,
        warmup_hours=72,
    )
    name = " -> ".join(f"M/M/{s.servers}" for s in stations)
    checks = [(runs["sojourn"], tandem_sojourn(lam, stations), f"{name} sojourn")]
    for i, s in enumerate(stations):
        w = mmc_wait(lam, 1 / s.mean_service, s.servers)
        checks.append((runs[f"wait{i}"], w, f"{name} station {i + 1} wait"))
    assert_all_agree(checks, level=FAMILY_LEVEL)
