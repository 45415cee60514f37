"""Lean SimPy processes for generators nobody waits on (a patient's journey, the arrivals feed,
a hospital's other inpatients), and the model's event loop.

`env.process(steps)` costs two events of its own (the start, `Initialize`, and the process's
end, which nobody here waits for) and SimPy's general `Process._resume` on every step. A
journey is about seven events, so those two are a quarter of the event loop. `start` (or an
agent slot's `Stepper`) runs the generator from now, resuming it from each yielded event's
callbacks, with the same rules as SimPy: the value of the event is sent in, a failed event is
thrown in (and counts as handled), an event already processed resumes at once. A timed wait
re-arms the process's `Wake` instead of making a `Timeout`, and `run_until` runs SimPy's queue
for one period; both keep SimPy's order of events exactly (they use its queue, clock and event
ids: `_queue`, `_now`, `_eid` of SimPy 4.1, which tests/acute/test_lean_process.py checks
against SimPy's own timeouts and `env.run`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from heapq import heappop, heappush
from typing import Any

from simpy import Environment
from simpy.events import NORMAL, Event


def start(steps: Generator[Event, Any, None]) -> None:
    """Run `steps` from now until its first wait; it goes on as the events it yields are
    processed. Not for a process others wait on, interrupt or ask for its value."""
    Stepper().start(steps)


class Stepper:
    """Runs a generator from the callbacks of the events it yields, and then the next one (an
    agent slot's journeys, one after another), calling `then()` as each ends. While a
    generator runs, the stepper holds its bound `resume` to hand to every event it waits on
    (one object for all the waits, where a bound method per wait would be made and dropped);
    that is a reference cycle, broken when the generator ends, so a finished journey is freed
    by reference counting alone."""

    __slots__ = ("steps", "_resume", "then")

    def __init__(self, then: Callable[[], None] | None = None) -> None:
        self.steps: Generator[Event, Any, None] | None = None
        self._resume: Callable[[Event], None] | None = None
        self.then = then

    def start(self, steps: Generator[Event, Any, None]) -> None:
        """Run `steps` from now until its first wait (one generator at a time)."""
        if self.steps is not None:
            raise RuntimeError("a stepper runs one generator at a time")
        self.steps, self._resume = steps, self.resume
        self.resume(None)

    def resume(self, event: Event | None) -> None:
        steps = self.steps
        assert steps is not None, "resumed with no generator running"
        while True:
            try:
                if event is None:
                    nxt = steps.send(None)
                elif event._ok:
                    nxt = steps.send(event._value)
                else:
                    event._defused = True
                    nxt = steps.throw(event._value)
            except StopIteration:
                self.steps = self._resume = None
                if self.then is not None:
                    self.then()
                return
            try:
                callbacks = nxt.callbacks
            except AttributeError:
                self.steps = self._resume = None
                name = getattr(steps, "__qualname__", steps)
                raise RuntimeError(f"{name} yielded {nxt!r}, not an event") from None
            if callbacks is not None:
                callbacks.append(self._resume)  # type: ignore[arg-type]  # set while running
                return
            event = nxt


class Wake(Event):
    """The timed event a lean process waits on, made once and armed again for each wait: a
    SimPy `Timeout` made and dropped per wait costs a patient more than the wait itself
    (benchmarks/engine_floor.py, cases `callbacks` and `wakes`). `after` puts it in SimPy's
    queue exactly as `env.timeout(delay)` puts a timeout (the same time, priority and next
    event id), so events come in the same order either way. One waiter at a time."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.callbacks = None  # type: ignore[assignment]  # not armed: SimPy's "processed"
        self._ok, self._value = True, None

    def after(self, delay: float) -> Wake:
        """This wake, due `delay` minutes from now."""
        if self.callbacks is not None:
            raise RuntimeError("a wake is armed again before it has fired")
        if not delay >= 0:
            raise ValueError(f"negative or NaN delay {delay}")
        env = self.env
        self.callbacks = []
        heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), self))
        return self


def run_until(env: Environment, until: float) -> None:
    """`env.run(until=until)` without SimPy's method call per event: the same events in the
    same order, those due before `until` (SimPy's stop event is urgent and comes first among
    those due at `until`, which wait for the next call here too), and the clock at `until`
    after. A failed event nobody handled is raised as SimPy raises it."""
    if not until > env._now:
        raise ValueError(f"until ({until}) must be after now ({env._now})")
    queue = env._queue
    while queue and queue[0][0] < until:
        env._now, _, _, event = heappop(queue)
        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
    env._now = until
