"""The lean journey process runs a generator exactly as SimPy's own Process would."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import simpy

from patientflow.acute.lean_process import start


def _mmc_waits(lean: bool, n: int = 2000) -> list[float]:
    rng = np.random.default_rng(7)
    inter, service = rng.exponential(1.0, n).tolist(), rng.exponential(2.5, n).tolist()
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=3)
    waits: list[float] = []

    def customer(k: int):
        arrived = env.now
        with desk.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service[k])

    def source():
        for k in range(n):
            yield env.timeout(inter[k])
            if lean:
                start(customer(k))
            else:
                env.process(customer(k))

    env.process(source())
    env.run()
    return waits


def test_a_queue_of_lean_processes_waits_exactly_as_simpys_processes():
    assert _mmc_waits(lean=True) == _mmc_waits(lean=False)


def test_a_failed_event_is_raised_inside_the_steps_and_counts_as_handled():
    env = simpy.Environment()
    seen: list[str] = []

    def steps():
        try:
            yield env.event().fail(ValueError("no bed"))
        except ValueError as err:
            seen.append(str(err))
        yield env.timeout(1)
        seen.append(f"on at {env.now}")

    start(steps())
    env.run()
    assert seen == ["no bed", "on at 1"]


def test_an_event_already_processed_resumes_at_once():
    env = simpy.Environment()
    done = env.timeout(0, value="ready")
    env.run()
    got: list[object] = []

    def steps():
        got.append((yield done))
        got.append(env.now)

    start(steps())
    assert got == ["ready", 0]


def test_yielding_something_that_is_not_an_event_names_the_generator():
    def steps():
        yield 5

    with pytest.raises(RuntimeError, match="steps.*yielded 5, not an event"):
        start(steps())


def test_a_finished_journey_leaves_nothing_for_the_cyclic_collector():
    """A self-referencing callback would keep every finished generator alive until a
    collection; the journey must be freed by reference counting alone."""
    env = simpy.Environment()

    def steps():
        yield env.timeout(1)

    gc.collect()
    gc.disable()
    try:
        for _ in range(100):
            start(steps())
        env.run()
        assert gc.collect() == 0
    finally:
        gc.enable()
