"""A tandem of two M/M/c stations: an SEH's triage nurses, then its treatment bays.

Burke (1956): the departures of a stable M/M/c queue form a Poisson process of the arrival
rate, so the second station is again M/M/c; Jackson (1957): the joint queue lengths have the
product form, the stations behave as independent M/M/c queues. Hence the mean sojourn through
both is the sum of the two M/M/c sojourns (Erlang C wait plus mean service), and the second
station's mean wait alone is its own Erlang C wait, as if fed by Poisson arrivals directly.
"""

from __future__ import annotations

import pytest

from tests.validation.queueing import (
    Station,
    assert_agrees,
    mmc_wait,
    replicate,
    simulate,
    tandem_sojourn,
)

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

# 9.6 patients an hour; two triage nurses (5 min, 40 % busy), three bays (15 min, 80 % busy).
LAM = 0.16
TRIAGE, BAYS = Station(2, 5.0), Station(3, 15.0)
R, HOURS, WARMUP_HOURS = 20, 3500, 24


@pytest.fixture(scope="module")
def tandem():
    return replicate(
        simulate,
        R,
        seed=20250104,
        stations=[TRIAGE, BAYS],
        rates_per_min=[LAM],
        hours=HOURS,
        warmup_hours=WARMUP_HOURS,
    )


def test_mean_sojourn_through_the_tandem_is_the_product_form_sum(tandem):
    assert_agrees(tandem["sojourn"], tandem_sojourn(LAM, [TRIAGE, BAYS]), "tandem sojourn (min)")


def test_second_station_waits_as_an_m_m_c_fed_by_poisson_arrivals(tandem):
    expected = mmc_wait(LAM, 1.0 / BAYS.mean_service, BAYS.servers)
    assert_agrees(tandem["wait1"], expected, "tandem station 2 mean wait (min)")
