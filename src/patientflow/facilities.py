"""SimPy facilities: staffed desks and consultation rooms, emergency departments and ambulance
fleets. Facilities are not agents; patients (agents.py) move through them.

Staffing that varies by hour is a PriorityResource sized for the busiest hour, with surplus
servers held by blocker requests of top priority: a server going off shift finishes its patient
first, as staff do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

BLOCKER_PRIORITY = -1


class StaffedResource:
    """A server pool whose staffed size follows a 168-hour schedule (hour 0 = Monday 00:00)."""

    def __init__(self, env: simpy.Environment, name: str, schedule: np.ndarray) -> None:
        self.env, self.name = env, name
        self.schedule = np.asarray(schedule, dtype=int)
        if self.schedule.shape != (168,) or (self.schedule < 0).any():
            raise ValueError(f"{name}: a schedule needs 168 non-negative staff counts")
        self.size = max(int(self.schedule.max()), 1)
        self.res = simpy.PriorityResource(env, capacity=self.size)
        self._blockers: list = []
        if (self.schedule != self.size).any():
            env.process(self._shifts())

    def request(self, priority: int = 1):
        return self.res.request(priority=priority)

    def release(self, req) -> None:
        self.res.release(req)

    @property
    def staffed(self) -> int:
        return int(self.schedule[int(self.env.now // 60) % 168])

    @property
    def busy(self) -> int:
        """Servers serving patients (blockers excluded)."""
        return sum(1 for r in self.res.users if r.priority != BLOCKER_PRIORITY)

    @property
    def queue(self) -> int:
        return sum(1 for r in self.res.queue if r.priority != BLOCKER_PRIORITY)

    def _shifts(self):
        while True:
            want = self.size - self.staffed
            while len(self._blockers) < want:
                self._blockers.append(self.res.request(priority=BLOCKER_PRIORITY))
            while len(self._blockers) > want:
                req = self._blockers.pop()
                if req.triggered:
                    self.res.release(req)
                else:
                    req.cancel()
            yield self.env.timeout(60.0 - self.env.now % 60.0)


def staffing_schedule(
    arrivals_per_hour: np.ndarray,
    mean_service_min: float,
    target: float,
    min_staff: int,
    factor: float = 1.0,
) -> np.ndarray:
    """Staff per hour of week so that the expected occupancy stays at or below `target`, times a
    capacity factor (a staff shortage), never below `min_staff`."""
    load = arrivals_per_hour * mean_service_min / 60.0
    staff = np.ceil(load / target - 1e-9)
    return np.maximum(np.round(staff * factor), min_staff).astype(int)


@dataclass
class OpenHours:
    """When an emergency department takes patients: always, or from `open_min` to `close_min`
    (minutes after midnight; a window may wrap midnight), or never."""

    always: bool = True
    never: bool = False
    open_min: int = 0
    close_min: int = 0

    def is_open(self, t: float) -> bool:
        if self.never:
            return False
        if self.always:
            return True
        m = t % 1440
        if self.open_min < self.close_min:
            return self.open_min <= m < self.close_min
        return m >= self.open_min or m < self.close_min


@dataclass
class EmergencyDepartment:
    """An SEH: triage nurses, treatment bays, acute beds behind it, hours, and ambulance stops."""

    env: simpy.Environment
    site_id: str
    triage: simpy.Resource
    bays: simpy.PriorityResource
    beds: simpy.Resource
    hours: OpenHours
    stop_queue: int
    stopped_since: float | None = None
    stopped_minutes: float = 0.0
    arrivals: int = 0

    def is_open(self, t: float) -> bool:
        return self.hours.is_open(t)

    def takes_ambulances(self, t: float) -> bool:
        return self.is_open(t) and self.stopped_since is None

    def update_stop(self) -> None:
        """Stop taking ambulances while every bay is occupied and `stop_queue` patients wait."""
        full = self.bays.count >= self.bays.capacity and len(self.bays.queue) >= self.stop_queue
        if full and self.stopped_since is None:
            self.stopped_since = self.env.now
        elif not full and self.stopped_since is not None:
            self.stopped_minutes += self.env.now - self.stopped_since
            self.stopped_since = None

    def stopped_total(self, now: float) -> float:
        extra = now - self.stopped_since if self.stopped_since is not None else 0.0
        return self.stopped_minutes + extra


class AmbulanceFleet:
    """The staffed ambulances of one region. A call gets the nearest free vehicle on duty; when
    none is free it waits (A1 before A2 before B, then first come) for the next one back at its
    post or coming on duty. Vehicles respond from their post."""

    def __init__(
        self,
        env: simpy.Environment,
        region: str,
        post_ids: np.ndarray,
        schedule: np.ndarray,
        response_from_post: Callable[[np.ndarray, int], np.ndarray],
    ) -> None:
        self.env, self.region, self.post_ids = env, region, post_ids
        self.schedule = np.asarray(schedule, dtype=int)
        if self.schedule.shape != (len(post_ids), 168):
            raise ValueError(f"{region}: the schedule needs one row of 168 counts per post")
        self.response_from_post = response_from_post
        self.busy = np.zeros(len(post_ids), dtype=int)
        self.waiting: list = []
        self._seq = 0
        env.process(self._shift_changes())

    def on_duty(self, t: float) -> np.ndarray:
        """Vehicles staffed at each post in the hour of week of time t."""
        return self.schedule[:, int(t // 60) % 168]

    @property
    def staffed(self) -> int:
        return int(self.on_duty(self.env.now).sum())

    @property
    def vehicles_busy(self) -> int:
        return int(self.busy.sum())

    @property
    def queue(self) -> int:
        return len(self.waiting)

    def request(self, point: int, priority: int) -> simpy.Event:
        """An event whose value is (post index, response drive minutes) once a vehicle is sent."""
        ev = self.env.event()
        self._seq += 1
        self.waiting.append((priority, self._seq, ev, point))
        self.waiting.sort(key=lambda w: (w[0], w[1]))
        self._dispatch()
        return ev

    def release(self, post: int) -> None:
        """A vehicle is back at its post and ready."""
        self.busy[post] -= 1
        self._dispatch()

    def _dispatch(self) -> None:
        while self.waiting:
            free = np.flatnonzero(self.busy < self.on_duty(self.env.now))
            if len(free) == 0:
                return
            _, _, ev, point = self.waiting.pop(0)
            minutes = self.response_from_post(free, point)
            k = int(np.argmin(minutes))
            post = int(free[k])
            self.busy[post] += 1
            ev.succeed((post, float(minutes[k])))

    def _shift_changes(self):
        while True:
            yield self.env.timeout(60.0 - self.env.now % 60.0)
            self._dispatch()
