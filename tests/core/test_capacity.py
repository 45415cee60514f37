"""Staff per hour under a capacity factor: whole staff, the week's hours scaled as a whole."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from patientflow.core.capacity import scaled_staff, staffing_schedule

weeks = st.lists(st.integers(0, 9), min_size=168, max_size=168).map(np.array)


@given(weeks, st.floats(0.05, 2.0), st.integers(0, 2))
def test_hours_above_the_floor_share_the_factor_and_the_floor_holds(planned, factor, floor):
    staff = scaled_staff(planned, factor, floor)
    flex = planned > floor
    assert staff.dtype.kind == "i" and (staff >= floor).all()
    assert (staff[~flex] == np.maximum(planned[~flex], floor)).all()
    exact = planned[flex] * factor
    # Each flexible hour gets the floor or the ceiling of its share (or the floor of staff).
    ok = (staff[flex] == np.floor(exact)) | (staff[flex] == np.ceil(exact))
    assert (ok | (staff[flex] == floor)).all()
    if (exact >= floor + 1).all():
        assert abs(staff[flex].sum() - exact.sum()) <= 0.5 + 1e-9


@given(weeks, st.integers(0, 2))
def test_a_factor_of_one_keeps_the_plan(planned, floor):
    assert (scaled_staff(planned, 1.0, floor) == np.maximum(planned, floor)).all()


def test_a_team_of_two_loses_15_percent_of_its_hours_at_085():
    """Rounding each hour alone gave round(1.7) = 2 in every hour: no shortage at all."""
    arrivals = np.full(168, 30.0)  # 30 calls an hour of 6 minutes at 75 %: 4 desks
    planned = staffing_schedule(arrivals, 6.0, 0.75, 1)
    short = staffing_schedule(arrivals, 6.0, 0.75, 1, 0.85)
    assert (planned == 4).all()
    assert short.sum() == round(0.85 * planned.sum())
    two = scaled_staff(np.full(168, 2), 0.85, 1)
    assert two.sum() == round(0.85 * 336) and set(two.tolist()) == {1, 2}
