"""Two classes at one desk, urgent calls first: the non-preemptive priority M/M/c of Cobham
(1954). With one exponential service rate mu for both classes, class k (0 = urgent) waits

    W_k = C(c, a) / (c mu) / ((1 - sigma_{k-1}) (1 - sigma_k)),
    sigma_k = sum_{i <= k} lambda_i / (c mu),  sigma_{-1} = 0,

where C(c, a) is Erlang C at the total load a = (lambda_0 + lambda_1) / mu. A server that
frees up takes the longest-waiting urgent call if there is one (`acquire(priority=0)`), else
the longest-waiting other call (`priority=1`); a call in service is never interrupted. A pool
that ignored the priorities would give both classes the Erlang C wait (6.5 min here) instead of
1.7 and 8.5 minutes.
"""

from __future__ import annotations

import pytest

from tests.validation.queueing import Station, assert_agrees, cobham_waits, replicate, simulate

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

# Three triagists, 6-minute calls, 80 % occupied; 30 % of the calls urgent.
C, MEAN, RHO, URGENT = 3, 6.0, 0.8, 0.3
LAM = RHO * C / MEAN
LAMS = [URGENT * LAM, (1 - URGENT) * LAM]
R, HOURS, WARMUP_HOURS = 20, 1500, 24


@pytest.fixture(scope="module")
def desk():
    return replicate(
        simulate,
        R,
        seed=20250103,
        stations=[Station(C, MEAN)],
        rates_per_min=LAMS,
        hours=HOURS,
        warmup_hours=WARMUP_HOURS,
    )


@pytest.mark.parametrize("k, name", [(0, "urgent"), (1, "other")])
def test_priority_classes_wait_as_cobham_says(desk, k, name):
    expected = cobham_waits(LAMS, 1.0 / MEAN, C)[k]
    assert_agrees(desk[f"wait0_class{k}"], expected, f"M/M/3 priority, {name} calls, mean wait")
