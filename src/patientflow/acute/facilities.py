"""SimPy facilities: staffed desks and consultation rooms, emergency departments and ambulance
fleets. Facilities are not agents; patients (agents.py) move through them.

A `ServerPool` is c identical servers with a priority queue, built on SimPy events: a patient
who finds a server free takes it at once, without an event; one who must wait yields an event
that is triggered when a server is handed over. That is SimPy's `PriorityResource` without its
request and release events, which cost two trips through the event queue per visit.

Staffing that varies by hour changes a pool's capacity at the full hour (`HourlyClock`, one
event an hour for all pools); a server going off shift finishes its patient first, as staff do.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from simpy.events import Event

from patientflow.core.hours import OpenHours


class ServerPool:
    """c servers, non-preemptive priority queue: lower priority first, then first come."""

    __slots__ = ("env", "name", "capacity", "busy", "waiting", "_seq")

    def __init__(self, env: simpy.Environment, name: str, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"{name}: capacity must be >= 0, got {capacity}")
        self.env, self.name = env, name
        self.capacity = int(capacity)
        self.busy = 0
        self.waiting: list[tuple[int, int, Event]] = []
        self._seq = 0

    def acquire(self, priority: int = 1) -> Event | None:
        """Take a free server (None: served now) or an event to yield until one is handed over."""
        if self.busy < self.capacity:
            self.busy += 1
            return None
        ev = Event(self.env)
        self._seq += 1
        heapq.heappush(self.waiting, (priority, self._seq, ev))
        return ev

    def release(self) -> None:
        """A server is done: it takes the next waiting patient if it is still on shift."""
        if self.waiting and self.busy <= self.capacity:
            heapq.heappop(self.waiting)[2].succeed()
        else:
            self.busy -= 1

    def set_capacity(self, capacity: int) -> None:
        """Servers on shift from now; extra ones start on the queue at once."""
        self.capacity = int(capacity)
        while self.waiting and self.busy < self.capacity:
            self.busy += 1
            heapq.heappop(self.waiting)[2].succeed()

    @property
    def queue(self) -> int:
        return len(self.waiting)


class BedPool(ServerPool):
    """Beds, occupied for a stay whose end is known when it starts. The ends wait in a heap of
    their own and are applied when the beds are next looked at (`settle`), not as one SimPy
    event each: a bed coming free changes nothing until someone asks for one, except for
    patients already waiting, who are woken by one timer at the next end. SimPy's event queue
    then holds the short events only (about 12,000 fewer entries nationally, every push and
    pop cheaper), with the same beds, waits and cancellations as a release event per stay."""

    __slots__ = ("_ends", "_timer", "_timer_at")

    def __init__(self, env: simpy.Environment, name: str, capacity: int) -> None:
        super().__init__(env, name, capacity)
        self._ends: list[float] = []
        self._timer: Event | None = None
        self._timer_at = float("inf")

    def settle(self) -> None:
        """Free every bed whose stay has ended by now (handing it to the next one waiting)."""
        ends, now = self._ends, self.env._now
        while ends and ends[0] <= now:
            heapq.heappop(ends)
            self.release()

    def acquire(self, priority: int = 1) -> Event | None:
        self.settle()
        wait = super().acquire(priority)
        if wait is not None:
            self._wake_for_next_end()
        return wait

    def try_acquire(self) -> bool:
        """Take a bed if one is free now (True); never wait."""
        self.settle()
        if self.busy < self.capacity:
            self.busy += 1
            return True
        return False

    def occupy_for(self, stay_min: float) -> None:
        """The bed just taken comes free after `stay_min` minutes (a number >= 0: a NaN end
        would never come and would break the order of the heap)."""
        if not stay_min >= 0:
            raise ValueError(f"{self.name}: a stay of {stay_min!r} minutes")
        end = self.env._now + stay_min
        heapq.heappush(self._ends, end)
        if self.waiting and end < self._timer_at:
            self._arm(end)

    @property
    def occupied(self) -> int:
        self.settle()
        return self.busy

    def _wake_for_next_end(self) -> None:
        if self._ends and self._ends[0] < self._timer_at:
            self._arm(self._ends[0])

    def _arm(self, at: float) -> None:
        timer = self.env.timeout(at - self.env.now)
        timer.callbacks.append(self._on_timer)
        self._timer, self._timer_at = timer, at

    def _on_timer(self, event: Event) -> None:
        if event is self._timer:
            self._timer, self._timer_at = None, float("inf")
        self.settle()
        if self.waiting:
            self._wake_for_next_end()


class StaffedResource(ServerPool):
    """A server pool whose staffed size follows a 168-hour schedule (hour 0 = Monday 00:00);
    an `HourlyClock` applies the schedule."""

    __slots__ = ("schedule", "size")

    def __init__(self, env: simpy.Environment, name: str, schedule: np.ndarray) -> None:
        sched = np.asarray(schedule, dtype=int)
        if sched.shape != (168,) or (sched < 0).any():
            raise ValueError(f"{name}: a schedule needs 168 non-negative staff counts")
        super().__init__(env, name, int(sched[int(env.now // 60) % 168]))
        self.schedule = sched.tolist()
        self.size = max(int(sched.max()), 1)

    @property
    def varies(self) -> bool:
        return len(set(self.schedule)) > 1

    @property
    def staffed(self) -> int:
        return self.schedule[int(self.env.now // 60) % 168]

    def on_hour(self, hour_of_week: int) -> None:
        want = self.schedule[hour_of_week]
        if want != self.capacity:
            self.set_capacity(want)


class HandOffDesk(StaffedResource):
    """A staffed desk whose waiting callers go elsewhere when it closes: when its staff drops
    to none, each call still waiting is handed on (its event succeeds with False: no server
    was taken) instead of waiting for the next shift. A ZCC's ambulance dispatchers: in the
    hours the roster has none, the regional dispatch centre handles the call, the calls still
    queued at the ZCC when its last line ends included."""

    __slots__ = ()

    def set_capacity(self, capacity: int) -> None:
        super().set_capacity(capacity)
        if self.capacity == 0:
            while self.waiting:
                heapq.heappop(self.waiting)[2].succeed(False)


class HourlyClock:
    """One SimPy process that tells every listener the hour of week at each full hour."""

    def __init__(self, env: simpy.Environment, listeners: Iterable) -> None:
        self.env = env
        self.listeners = [x.on_hour for x in listeners]
        env.process(self._run())

    def _run(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        while True:
            yield env.timeout(60.0 - env.now % 60.0)
            hour = int(env.now // 60) % 168
            for on_hour in self.listeners:
                on_hour(hour)


@dataclass
class EmergencyDepartment:
    """An SEH: triage nurses, treatment bays, acute beds behind it, hours, and ambulance stops."""

    env: simpy.Environment
    site_id: str
    triage: ServerPool
    bays: ServerPool
    beds: BedPool
    hours: OpenHours
    stop_queue: int
    stopped_since: float | None = None
    stopped_minutes: float = 0.0
    arrivals: int = 0
    other_admitted: int = 0
    other_cancelled: int = 0

    def __post_init__(self) -> None:
        self.always_open = self.hours.around_the_clock

    def is_open(self, t: float) -> bool:
        return self.always_open or self.hours.is_open(t)

    def takes_ambulances(self, arrival: float) -> bool:
        """Not on stop now, and open when an ambulance sent now arrives (at minute `arrival`)."""
        return self.stopped_since is None and self.is_open(arrival)

    def update_stop(self) -> None:
        """Stop taking ambulances while every bay is occupied and `stop_queue` patients wait."""
        bays = self.bays
        full = bays.busy >= bays.capacity and len(bays.waiting) >= self.stop_queue
        if full:
            if self.stopped_since is None:
                self.stopped_since = self.env._now
        elif self.stopped_since is not None:
            self.stopped_minutes += self.env._now - self.stopped_since
            self.stopped_since = None

    def stopped_total(self, now: float) -> float:
        extra = now - self.stopped_since if self.stopped_since is not None else 0.0
        return self.stopped_minutes + extra


class AmbulanceFleet:
    """The staffed ambulances of one region. A call gets the nearest free vehicle on duty; when
    none is free it waits (A1 before A2 before B, then first come) for the next one back at its
    post or coming on duty. Vehicles respond from their post.

    The posts are looked at nearest first: each demand point's posts by drive minutes (first
    post on ties), sorted the first time a call comes from it, so a call stops at the first
    post with a free vehicle instead of looking at every post of the region."""

    def __init__(
        self,
        env: simpy.Environment,
        region: str,
        post_ids: np.ndarray,
        schedule: np.ndarray,
        minutes_to_point: np.ndarray,
    ) -> None:
        self.env, self.region, self.post_ids = env, region, post_ids
        self.schedule = np.asarray(schedule, dtype=int)
        if self.schedule.shape != (len(post_ids), 168):
            raise ValueError(f"{region}: the schedule needs one row of 168 counts per post")
        if minutes_to_point.shape[0] != len(post_ids):
            raise ValueError(f"{region}: the response minutes need one row per post")
        self.minutes_to_point = np.ascontiguousarray(np.asarray(minutes_to_point, float).T)
        if np.isnan(self.minutes_to_point).any():
            raise ValueError(f"{region}: response minutes with NaN (a post nobody can reach?)")
        self._nearest_first: list[list[tuple[int, float]] | None] = [None] * len(
            self.minutes_to_point
        )
        self.busy = [0] * len(post_ids)
        self.waiting: list = []
        self._seq = 0
        self._duty = self.on_duty(env.now).tolist()
        self._free = self._count_free()

    def on_duty(self, t: float) -> np.ndarray:
        """Vehicles staffed at each post in the hour of week of time t."""
        return self.schedule[:, int(t // 60) % 168]

    @property
    def staffed(self) -> int:
        return sum(self._duty)

    @property
    def vehicles_busy(self) -> int:
        return sum(self.busy)

    def _count_free(self) -> int:
        return sum(max(d - b, 0) for d, b in zip(self._duty, self.busy, strict=True))

    @property
    def queue(self) -> int:
        return len(self.waiting)

    def can_send_now(self) -> bool:
        """A vehicle is free and no call of this region waits for one."""
        return self._free > 0 and not self.waiting

    def posts_nearest_first(self, point: int) -> list[tuple[int, float]]:
        """(post index, drive minutes) to the point, nearest first, first post on ties."""
        posts = self._nearest_first[point]
        if posts is None:
            minutes = self.minutes_to_point[point]
            order = np.argsort(minutes, kind="stable").tolist()
            posts = self._nearest_first[point] = list(
                zip(order, minutes[order].tolist(), strict=True)
            )
        return posts

    def nearest_free(self, point: int) -> tuple[int, float] | None:
        """(post index, drive minutes) of the free vehicle `send` would send to the point now
        (None when none is free)."""
        busy, duty = self.busy, self._duty
        for k, m in self._nearest_first[point] or self.posts_nearest_first(point):
            if busy[k] < duty[k]:
                return k, m
        return None

    def send(self, point: int, priority: int) -> tuple[int, float] | Event:
        """(post index, response drive minutes) of the vehicle sent now, or, when none is free,
        an event whose value is that pair once one is sent."""
        if self._free > 0 and not self.waiting:
            return self._nearest(point)
        ev = Event(self.env)
        self._seq += 1
        heapq.heappush(self.waiting, (priority, self._seq, ev, point))
        return ev

    def release(self, post: int) -> None:
        """A vehicle is back at its post and ready (or goes off duty, if its shift is over)."""
        self.busy[post] -= 1
        if self.busy[post] < self._duty[post]:
            self._free += 1
            self._dispatch()

    def on_hour(self, hour_of_week: int) -> None:
        self._duty = self.schedule[:, hour_of_week].tolist()
        self._free = self._count_free()
        self._dispatch()

    def _nearest(self, point: int) -> tuple[int, float]:
        """Send the free vehicle with the shortest drive to the point (first post on ties);
        only called while one is free."""
        busy, duty = self.busy, self._duty
        for sent in self._nearest_first[point] or self.posts_nearest_first(point):
            post = sent[0]
            if busy[post] < duty[post]:
                busy[post] += 1
                self._free -= 1
                return sent
        raise AssertionError(f"{self.region}: a vehicle sent while none is free")

    def _dispatch(self) -> None:
        while self.waiting and self._free > 0:
            _, _, ev, point = heapq.heappop(self.waiting)
            ev.succeed(self._nearest(point))
