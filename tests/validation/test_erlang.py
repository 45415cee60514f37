"""A desk of c servers (`ServerPool`) against Erlang's formulas.

M/M/c (Erlang C): Poisson calls (rate lambda, the project's arrival generator) to c phone
triagists with exponential call times (mean 1/mu, the project's sampler), first come first
served. The mean wait in queue is C(c, a) / (c mu - lambda), the probability of waiting is
C(c, a), a = lambda / mu, and for first-come first-served the wait is exponential beyond zero:
P(W > t) = C(c, a) exp(-(c mu - lambda) t). The last one is the only statistical check here
that a different queue order would fail (last come first served keeps the mean wait and
P(W > 0) but not the tail).

M/M/c/c (Erlang B): the same desk without a queue; a call that finds every server busy is lost.
The share lost is B(c, a) (Erlang 1917), insensitive to everything but the offered load.

Each check: R independent replications (fixed seeds), warm-up discarded, mean per replication,
then |mean - analytic| <= min(95 % CI half-width, 3 % of the analytic value).

Beneath the statistics, an exact check: given the same arrival and service times, the desk's
waits equal the Kiefer-Wolfowitz (1955) recursion for first-come first-served c servers, customer
by customer. So any deviation of the statistical checks from Erlang C is sampling error of the
inputs, not the engine's doing.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.validation.queueing import (
    Station,
    assert_agrees,
    erlang_b,
    erlang_c,
    fcfs_waits,
    mmc_wait,
    mmc_wait_exceeds,
    replicate,
    simulate,
)

# A GP-post phone desk: three triagists, 6-minute calls, 80 % occupied (24 calls an hour).
C, MEAN, RHO = 3, 6.0, 0.8
LAM, MU = RHO * C / MEAN, 1.0 / MEAN
TAIL_AT = 1.0 / (C * MU - LAM)  # the mean wait of those who wait: P(W > t) = C(c, a) / e
# 20 replications of 1,500 hours: about 35,000 calls each after a day's warm-up (8 relaxation
# times of this queue), 700,000 in all; the CI half-width on the mean wait is about 3 %.
R, HOURS, WARMUP_HOURS = 20, 1500, 24


@pytest.fixture(scope="module")
def desk():
    return replicate(
        simulate,
        R,
        seed=20250101,
        stations=[Station(C, MEAN)],
        rates_per_min=[LAM],
        hours=HOURS,
        warmup_hours=WARMUP_HOURS,
        tail_at=TAIL_AT,
    )


@pytest.mark.slow
def test_mean_wait_of_an_m_m_c_desk_is_erlang_c(desk):
    assert_agrees(desk["wait0"], mmc_wait(LAM, MU, C), "M/M/3 mean wait (min)")


@pytest.mark.slow
def test_probability_of_waiting_is_erlang_c(desk):
    assert_agrees(desk["p_wait"], erlang_c(C, LAM / MU), "M/M/3 P(W > 0)")


@pytest.mark.slow
def test_waits_beyond_zero_are_exponential_as_in_first_come_first_served(desk):
    expected = mmc_wait_exceeds(LAM, MU, C, TAIL_AT)
    assert_agrees(desk["p_tail"], expected, f"M/M/3 P(W > {TAIL_AT:.1f} min)")


# Ten lines, 6-minute calls, offered 8 Erlang (80 % per line): Erlang B = 12.2 %. A loss system
# forgets its start within a few service times, so two hours of warm-up are plenty.
LOSS_C, LOSS_A = 10, 8.0


@pytest.mark.slow
def test_blocking_of_an_m_m_c_c_desk_is_erlang_b():
    runs = replicate(
        simulate,
        20,
        seed=20250102,
        stations=[Station(LOSS_C, MEAN)],
        rates_per_min=[LOSS_A / MEAN],
        hours=250,
        warmup_hours=2,
        loss=True,
    )
    assert_agrees(runs["blocked"], erlang_b(LOSS_C, LOSS_A), "M/M/10/10 blocking")


@pytest.mark.parametrize("c", [1, 3, 10])
def test_desk_waits_equal_the_kiefer_wolfowitz_recursion(c):
    """Every call's wait, to the last bit, at 85 % load (about 40,000 calls)."""
    lam = 0.85 * c / MEAN
    out = simulate(
        np.random.SeedSequence(20250106),
        [Station(c, MEAN)],
        [lam],
        hours=round(40_000 / (lam * 60)),
        warmup_hours=0,
        trace=True,
    )
    tr = out["trace"]
    assert len(tr["times"]) > 30_000
    np.testing.assert_array_equal(tr["wait0"], fcfs_waits(tr["times"], tr["service0"], c))
