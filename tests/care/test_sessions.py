"""A centre's operating minutes: every week's minutes count as offered, so the utilisation
it reports is the load it was planned on (arrival rate x mean operating minutes / weekly
minutes), also when unused minutes overflow the carry-over."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import simpy

from patientflow.care.pathway import CareModel
from patientflow.care.patient import WEEK_MIN, CareCentre


def _utilisation(per_week: float, operation: float, rho: float, weeks: int) -> tuple:
    """The reported utilisation (used / offered minutes) and the load that arrived
    (operations x minutes / the weekly minutes of the run)."""
    env = simpy.Environment()
    rng = np.random.default_rng(3)
    weekly = per_week * operation / rho
    theatre = simpy.Container(env, capacity=max(2 * weekly, 480.0))
    centre = CareCentre("s", theatre, [weekly] * weeks, beds=None)  # type: ignore[arg-type]
    env.process(CareModel._sessions(SimpleNamespace(env=env), centre))  # type: ignore[arg-type]

    def patient():
        yield centre.theatre.get(operation)
        centre.used_minutes += operation

    arrived = []

    def arrivals():
        while True:
            yield env.timeout(rng.exponential(WEEK_MIN / per_week))
            arrived.append(env.now)
            env.process(patient())

    env.process(arrivals())
    env.run(until=weeks * WEEK_MIN)
    return centre.used_minutes / centre.offered_minutes, len(arrived) * operation / (weekly * weeks)


@pytest.mark.parametrize("per_week", [0.25, 1.0, 10.0])
def test_operating_room_utilisation_is_the_planned_load(per_week):
    # planned at 85 %: a small centre's unused minutes overflow the two weeks' carry-over;
    # they were offered all the same (counting only the weeks with room read 0.95 and 0.98)
    reported, load = _utilisation(per_week, 240.0, 0.85, 1500)
    assert load == pytest.approx(0.85, abs=0.1)
    assert reported == pytest.approx(load, abs=0.01)
