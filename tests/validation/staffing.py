"""Instrumentation for the time-varying staffing case (tests/validation/test_staffing.py): a
168-hour schedule, a StaffedResource subclass that checks the shift rules at every change and
integrates its own counters, a run of several weeks, and the conservation checks."""

from __future__ import annotations

import numpy as np
import simpy

from patientflow.acute.facilities import HourlyClock, StaffedResource
from tests.validation.queueing import exponential, poisson_arrivals

MEAN = 20.0  # minutes: long enough that many services span a shift change
WEEKS = 13
DRAIN_HOURS = 24


def schedule168() -> np.ndarray:
    """Staff per hour of the week: 3 at night, none 04:00-06:00, 6 by day, 4 in the evening,
    one more on Saturday and Sunday daytime."""
    day = np.array([3] * 4 + [0] * 2 + [4] * 2 + [6] * 10 + [4] * 6)
    week = np.tile(day, 7)
    week[24 * 5 + 8 : 24 * 5 + 18] += 1
    week[24 * 6 + 8 : 24 * 6 + 18] += 1
    return week


class WatchedDesk(StaffedResource):
    """A StaffedResource that checks the shift rules at every change and integrates its own
    counters (test instrumentation; the queueing is the engine's)."""

    def __init__(self, env, name, schedule):
        super().__init__(env, name, schedule)
        self.busy_minutes = 0.0
        self.queue_minutes = 0.0
        self.max_over = 0
        self._last = env.now

    def _advance(self) -> None:
        now = self.env.now
        self.busy_minutes += self.busy * (now - self._last)
        self.queue_minutes += len(self.waiting) * (now - self._last)
        self._last = now

    def _check(self, started: bool) -> None:
        if started and self.busy > self.capacity:
            raise AssertionError(f"t={self.env.now}: a service started with {self.busy} busy")
        if self.waiting and self.busy < self.capacity:
            raise AssertionError(f"t={self.env.now}: a call waits while a server is free")
        self.max_over = max(self.max_over, self.busy - self.capacity)

    def acquire(self, priority: int = 1):
        self._advance()
        ev = super().acquire(priority)
        self._check(started=ev is None)
        return ev

    def release(self) -> None:
        self._advance()
        before = len(self.waiting)
        super().release()
        self._check(started=len(self.waiting) < before)

    def set_capacity(self, capacity: int) -> None:
        self._advance()
        before = len(self.waiting)
        super().set_capacity(capacity)
        self._check(started=len(self.waiting) < before)


def run_weeks(seed: int, weeks: int = WEEKS, pool_class=WatchedDesk):
    """`weeks` weeks of calls at 75 % of the staffed capacity (a trickle when nobody is on duty,
    who then wait for the morning shift); returns the desk and the per-call records."""
    ss = np.random.SeedSequence(seed)
    arr_seed, svc_seed = ss.spawn(2)
    sched = schedule168()
    hours = 168 * weeks
    per_min = 0.75 * np.maximum(sched, 0.5) / MEAN
    rates = np.tile(per_min, weeks)[None, :]
    times, _ = poisson_arrivals(rates, hours, np.random.default_rng(arr_seed))
    draw = exponential(MEAN, np.random.default_rng(svc_seed))
    env = simpy.Environment()
    desk = pool_class(env, "desk", sched)
    HourlyClock(env, [desk])
    n = len(times)
    start = np.full(n, np.nan)
    service = np.full(n, np.nan)
    end = np.full(n, np.nan)
    capacity_seen: list[tuple[int, int]] = []

    def call(i):
        wait = desk.acquire()
        if wait is not None:
            yield wait
        start[i] = env.now
        service[i] = draw()
        yield env.timeout(service[i])
        desk.release()
        end[i] = env.now

    def source():
        for i, t in enumerate(times.tolist()):
            yield env.timeout(t - env.now)
            env.process(call(i))

    def watch():
        for h in range(hours):
            yield env.timeout(h * 60 + 30 - env.now)
            capacity_seen.append((desk.capacity, int(sched[h % 168])))

    env.process(source())
    env.process(watch())
    env.run(until=(hours + DRAIN_HOURS) * 60.0)  # the clock ticks for ever: stop after draining
    desk._advance()
    return desk, times, start, service, end, capacity_seen


def assert_conserved(desk, times, start, service, end, capacity_seen) -> None:
    """The conservation and shift checks listed in test_staffing.py's docstring."""
    # The capacity follows the schedule, hour by hour.
    assert capacity_seen == [(want, want) for _, want in capacity_seen]
    assert {c for c, _ in capacity_seen} >= {0, 3, 4, 6, 7}
    # Everyone served once, with the full service, and nobody left behind.
    assert not np.isnan(end).any() and desk.busy == 0 and desk.queue == 0
    assert np.allclose(end - start, service)
    assert (start >= times - 1e-9).all()
    # Nobody started in an hour with nobody on duty unless the call began before it.
    hour = (start // 60).astype(int) % 168
    assert (schedule168()[hour[start > times + 1e-9]] > 0).all()
    # Shift ends let servers finish: busy exceeded the staffed capacity at some point.
    assert desk.max_over > 0
    # First come first served within the class.
    assert (np.diff(start[np.argsort(times, kind="stable")]) >= 0).all()
    # The pool's counters integrate to the customers' totals.
    assert np.isclose(desk.busy_minutes, service.sum(), rtol=1e-9)
    assert np.isclose(desk.queue_minutes, (start - times).sum(), rtol=1e-9)
