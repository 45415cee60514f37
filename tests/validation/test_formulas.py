"""The analytic references of the validation suite, checked independently of the engine: Erlang
B and C against the stationary distribution of the M/M/c birth-death chain solved numerically,
M/M/1 closed forms, and Cobham's priority waits against the conservation law (a non-preemptive
priority rule reorders the queue but keeps the mean wait over all calls, Kleinrock 1965)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.validation.queueing import (
    Station,
    cobham_waits,
    erlang_b,
    erlang_c,
    mmc_sojourn,
    mmc_wait,
    mmc_wait_exceeds,
    tandem_sojourn,
)

CASES = [(1, 0.8), (2, 0.7), (3, 0.8), (5, 0.85), (10, 0.75), (20, 0.8)]


def birth_death(c: int, a: float, cap: int) -> np.ndarray:
    """Stationary distribution of the number in M/M/c (mu = 1), truncated at `cap`."""
    rates = [a / min(n + 1, c) for n in range(cap)]
    p = np.concatenate([[1.0], np.cumprod(rates)])
    return p / p.sum()


@pytest.mark.parametrize("c, rho", CASES)
def test_erlang_c_and_mean_wait_match_the_birth_death_chain(c, rho):
    a = rho * c
    p = birth_death(c, a, 4000)
    n = np.arange(len(p))
    assert erlang_c(c, a) == pytest.approx(p[c:].sum(), rel=1e-10)
    lq = ((n - c).clip(0) * p).sum()
    assert mmc_wait(a, 1.0, c) == pytest.approx(lq / a, rel=1e-10)  # Little: Wq = Lq / lambda
    assert mmc_sojourn(a, 1.0, c) == pytest.approx(lq / a + 1.0, rel=1e-10)


@pytest.mark.parametrize("c, a", [(1, 0.5), (5, 4.0), (10, 8.0), (30, 25.0)])
def test_erlang_b_recursion_equals_the_closed_form(c, a):
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    assert erlang_b(c, a) == pytest.approx(terms[-1] / sum(terms), rel=1e-12)


def test_m_m_1_closed_forms():
    lam, mu = 0.8, 1.0
    assert erlang_c(1, lam / mu) == pytest.approx(lam / mu)
    assert mmc_wait(lam, mu, 1) == pytest.approx(lam / (mu * (mu - lam)))
    assert mmc_wait_exceeds(lam, mu, 1, 2.0) == pytest.approx(0.8 * math.exp(-0.2 * 2.0))
    assert tandem_sojourn(lam, [Station(1, 1.0), Station(1, 1.0)]) == pytest.approx(10.0)


@pytest.mark.parametrize("c, rho", CASES)
def test_cobham_keeps_the_overall_mean_wait(c, rho):
    lam = rho * c
    lams = [0.1 * lam, 0.3 * lam, 0.6 * lam]
    waits = cobham_waits(lams, 1.0, c)
    assert waits == sorted(waits)
    assert np.dot(lams, waits) / lam == pytest.approx(mmc_wait(lam, 1.0, c), rel=1e-12)
    assert cobham_waits([lam], 1.0, c)[0] == pytest.approx(mmc_wait(lam, 1.0, c), rel=1e-12)
