"""The lean journey process runs a generator exactly as SimPy's own Process would."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from patientflow.acute.lean_process import Stepper, Wake, run_until, start


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


def test_a_stepper_runs_one_journey_after_another_and_frees_each_without_the_collector():
    env = simpy.Environment()
    stepper, ends, started = Stepper(), [], []

    def steps(k: int):
        yield env.timeout(1)
        yield env.timeout(2)
        ends.append((k, env.now))
        if k < 3:  # the next journey starts when this one has ended, as the feed starts it
            env.timeout(0).callbacks.append(lambda _e: stepper.start(journey(k + 1)))

    def journey(k: int):
        gen = steps(k)
        started.append(weakref.ref(gen))
        return gen

    gc.collect()
    gc.disable()
    try:
        stepper.start(journey(0))
        with pytest.raises(RuntimeError, match="one generator at a time"):
            stepper.start(steps(9))
        env.run()
        assert [ref() for ref in started] == [None] * 4  # each freed as it ended
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert ends == [(0, 3), (1, 6), (2, 9), (3, 12)]


def test_a_stepper_calls_then_once_as_each_journey_ends_free_to_start_the_next():
    env = simpy.Environment()
    log: list = []

    def steps(k: int):
        yield env.timeout(1)
        log.append(("last step", k, env.now))

    def then():
        log.append(("then", stepper.steps))
        if len(log) < 6:
            stepper.start(steps(len(log) // 2))

    stepper = Stepper(then=then)
    stepper.start(steps(0))
    env.run()
    assert log == [
        ("last step", 0, 1),
        ("then", None),
        ("last step", 1, 2),
        ("then", None),
        ("last step", 2, 3),
        ("then", None),
    ]


def _resumptions(plans: list[list[tuple[float, bool]]], wakes: bool) -> list[tuple[int, float]]:
    """Every resumption of the feed and of its lean processes, in the order SimPy made them:
    each process waits the delays of its plan, on its one re-armed wake where the plan says so
    (and `wakes`), otherwise on a new timeout."""
    env = simpy.Environment()
    seen: list[tuple[int, float]] = []

    def steps(k: int, plan: list[tuple[float, bool]]):
        wake = Wake(env)
        for delay, on_wake in plan:
            yield wake.after(delay) if wakes and on_wake else env.timeout(delay)
            seen.append((k, env.now))

    def feed():
        for k, plan in enumerate(plans):
            start(steps(k, plan))
            yield env.timeout(0.5)
            seen.append((-1, env.now))

    env.process(feed())
    env.run()
    return seen


def _plans(wait: st.SearchStrategy) -> st.SearchStrategy:
    """Up to a dozen processes, each with one to six waits drawn from `wait`; the few delays
    on offer make many fall due at the same time."""
    return st.lists(st.lists(wait, min_size=1, max_size=6), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(_plans(st.tuples(st.sampled_from([0.0, 0.5, 1.0, 1.5, 3.0]), st.booleans())))
def test_waits_on_a_wake_come_in_the_order_of_waits_on_timeouts_ties_included(plans):
    assert _resumptions(plans, wakes=True) == _resumptions(plans, wakes=False)


def test_a_wake_refuses_a_second_wait_before_it_fires_and_a_negative_or_nan_delay():
    env = simpy.Environment()
    wake = Wake(env)
    wake.after(2.0)
    with pytest.raises(RuntimeError, match="armed again"):
        wake.after(1.0)
    env.run()
    assert env.now == 2.0 and wake.callbacks is None
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="delay"):
            Wake(env).after(bad)


def _stepped(plans: list[list[float]], lean_loop: bool) -> list[tuple]:
    """SimPy processes and lean processes sharing a desk, started as they go, run one period
    of 1.0 at a time, by SimPy's `env.run(until=...)` or by `run_until`: what happened when,
    and the clock after each period."""
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=2)
    seen: list[tuple] = []

    def patient(k: int, plan: list[float]):
        for j, delay in enumerate(plan):
            if j % 2:
                with desk.request() as req:
                    yield req
                    seen.append(("desk", k, env.now))
                    yield env.timeout(delay)
            else:
                yield env.timeout(delay)
            seen.append((k, j, env.now))
        if k % 3 == 0:
            env.process(patient(-k - 1, [0.0, 1.0]))  # started mid-run: an urgent Initialize

    def feed():
        for k, plan in enumerate(plans):
            (start if k % 2 else env.process)(patient(k, plan))
            yield env.timeout(0.5)

    env.process(feed())
    for _ in range(int(sum(map(sum, plans))) + len(plans) + 4):
        until = env.now + 1.0
        run_until(env, until) if lean_loop else env.run(until=until)
        seen.append(("clock", env.now))
    return seen


@settings(max_examples=60, deadline=None)
@given(_plans(st.sampled_from([0.0, 0.5, 1.0, 2.0])))
def test_run_until_processes_the_events_of_env_run_in_its_order_ties_at_the_stop_included(plans):
    assert _stepped(plans, lean_loop=True) == _stepped(plans, lean_loop=False)


def test_run_until_raises_a_failure_nobody_handled_and_refuses_a_stop_not_ahead():
    env = simpy.Environment()
    env.timeout(0.5).callbacks.append(lambda _e: env.event().fail(KeyError("bed")))
    with pytest.raises(KeyError, match="bed"):
        run_until(env, 2.0)
    with pytest.raises(ValueError, match="must be after now"):
        run_until(env, env.now)
