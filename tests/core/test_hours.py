"""An SEH's opening hours: around the clock only when open at every minute of the week."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from patientflow.core.hours import OpenHours


@given(
    seh_any=st.booleans(),
    hours=st.sampled_from(["24/7", "limited"]),
    opens=st.integers(0, 23),
    closes=st.integers(0, 23),
)
def test_around_the_clock_means_open_at_every_minute(seh_any, hours, opens, closes):
    site = OpenHours.of_site(seh_any, hours, f"{opens:02d}:00", f"{closes:02d}:30")
    # a week in steps of 7 minutes passes every minute of the clock once (7 and 1440 coprime)
    every_minute = all(site.is_open(float(m)) for m in range(0, 7 * 1440, 7))
    assert site.around_the_clock == every_minute
    # open from its opening time up to (not at) its closing time, across midnight where it
    # closes before it opens: 20:00-08:30 is open at 23:59 and 08:29, not at 08:30 or 19:59
    open_min, close_min = opens * 60, closes * 60 + 30
    for m in range(0, 7 * 1440, 7):
        expected = seh_any and (
            hours == "24/7" or (m - open_min) % 1440 < (close_min - open_min) % 1440
        )
        assert site.is_open(float(m)) == expected, (m, site)
    assert OpenHours(always=True, never=True).around_the_clock is False  # closed: never open
