"""Time-varying staffing: a `StaffedResource` whose capacity follows a 168-hour schedule, applied
by an `HourlyClock`, under non-homogeneous Poisson arrivals that follow the staffing (the
project's exact generator, hourly rates). No closed form exists for M(t)/M/c(t), so this case
checks conservation and the shift rules on one sample path, event by event:

- the capacity is the schedule's value in every hour (including hours with nobody on duty);
- no service starts while the staffed servers are all busy (a server going off shift finishes
  its patient, so `busy` may exceed `capacity` after a shift change, but only until those
  patients leave), and nobody waits while a staffed server is free (work conservation);
- calls of one class start in their order of arrival (first come first served);
- every customer is served exactly once, with its full service time, and the pool ends empty;
- the integrals of the pool's own counters equal the customers' totals: the server-minutes
  busy equal the summed service times and the queue's minutes the summed waits (sample-path
  Little's law, exact up to rounding).
"""

from __future__ import annotations

from tests.validation.staffing import assert_conserved, run_weeks


def test_staffing_schedule_conserves_customers_and_respects_shifts():
    """Thirteen weeks (about 20,000 calls) on one seed."""
    result = run_weeks(20250105)
    assert len(result[1]) > 15_000
    assert_conserved(*result)
