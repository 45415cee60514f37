"""Analytic queueing results and the replication machinery of the validation suite.

The simulations here drive the engine's own pieces the way the patients in agents.py do: Poisson
arrivals from `patientflow.demand.arrivals_for_hours` (one rate row per class of customer, flat
over the hours, so the process is homogeneous), exponential service times from the project's
`Distribution` sampler, and `patientflow.facilities.ServerPool` desks that a customer process
asks for a server (`acquire`, yielding the returned event when it must wait) and hands it back
(`release`). Only the customers are test code; the queueing is the engine's.

Analytic references:

- Erlang B and Erlang C (A. K. Erlang, 1917): blocking probability of M/M/c/c and the probability
  of waiting in M/M/c; mean wait in queue C(c, a) / (c mu - lambda) and, for first-come
  first-served, P(W > t) = C(c, a) exp(-(c mu - lambda) t).
- Cobham (1954), "Priority assignment in waiting line problems", Oper. Res. 2: mean wait of
  class k in a non-preemptive priority M/M/c with one service rate for all classes,
  W_k = C(c, a) / (c mu) / ((1 - sigma_{k-1}) (1 - sigma_k)), sigma_k = sum_{i<=k} lambda_i/(c mu).
- Jackson (1957), "Networks of waiting lines", Oper. Res. 5 (and Burke 1956 for the tandem):
  stations in series fed by a Poisson stream behave as independent M/M/c queues (product form),
  so the mean sojourn is the sum of the stations' M/M/c sojourns.
- Kiefer and Wolfowitz (1955), "On the theory of queues with many servers", Trans. AMS 78: the
  waits of first-come first-served customers at c servers follow from the arrival and service
  times by a recursion (`fcfs_waits`), customer by customer, without any model of the events.
- Little (1961), "A proof for the queuing formula L = lambda W", Oper. Res. 9 (used by
  test_littles_law.py, which works on a full model run instead).

Statistics: `replicate` runs R independent replications, each seeded by a child of one
`np.random.SeedSequence` (fixed seeds, so every test is deterministic); each replication returns
its per-customer means after a warm-up; `agreement` forms the t-based 95 % confidence interval of
the mean over the replications and accepts when |mean - analytic| <= min(CI half-width,
3 % of the analytic value): the stricter of "analytic value inside the CI" and "within 3 %".
Read the consequence: when the half-width is the binding criterion, a correct engine still fails
a single check with probability about 5 % for an arbitrary seed; the seeds are fixed so that the
suite is reproducible, not chosen after the fact.
"""

from __future__ import annotations

import functools
import heapq
import math
import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import simpy
from scipy import stats

from patientflow.acute.demand import arrivals_for_hours
from patientflow.acute.facilities import ServerPool
from patientflow.core.distributions import DistConfig, DistName, Distribution

REL_TOL = 0.03
LEVEL = 0.95


# ---------------------------------------------------------------------------------- analytic
def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load a = lambda / mu (Erlang B), by the
    numerically stable recursion B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c with load a = lambda / mu < c (Erlang C)."""
    if not 0 <= a < c:
        raise ValueError(f"M/M/{c} is unstable at load {a}")
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


def mmc_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c: C(c, a) / (c mu - lambda)."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_sojourn(lam: float, mu: float, c: int) -> float:
    """Mean time in an M/M/c station: wait in queue plus the mean service 1 / mu."""
    return mmc_wait(lam, mu, c) + 1.0 / mu


def mmc_wait_exceeds(lam: float, mu: float, c: int, t: float) -> float:
    """P(W > t) of first-come first-served M/M/c: C(c, a) exp(-(c mu - lambda) t)."""
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def cobham_waits(lams: Sequence[float], mu: float, c: int) -> list[float]:
    """Mean wait in queue per class (class 0 served first) of a non-preemptive priority M/M/c
    whose classes share the service rate mu (Cobham 1954)."""
    lam = float(sum(lams))
    w0 = erlang_c(c, lam / mu) / (c * mu)
    out, sigma_prev = [], 0.0
    for lam_k in lams:
        sigma = sigma_prev + lam_k / (c * mu)
        out.append(w0 / ((1.0 - sigma_prev) * (1.0 - sigma)))
        sigma_prev = sigma
    return out


def tandem_sojourn(lam: float, stations: Sequence[Station]) -> float:
    """Mean sojourn through M/M/c stations in series fed by Poisson(lam) (Jackson 1957)."""
    return sum(mmc_sojourn(lam, 1.0 / s.mean_service, s.servers) for s in stations)


def fcfs_waits(times: np.ndarray, services: np.ndarray, c: int) -> np.ndarray:
    """Waits of first-come first-served customers at c servers, given arrival times and service
    times, by the Kiefer-Wolfowitz (1955) recursion: each arrival takes the server that frees
    up first, and starts when it is free."""
    free = [0.0] * c  # a heap of the instants at which each server frees up
    out = np.empty(len(times))
    pairs = zip(np.asarray(times).tolist(), np.asarray(services).tolist(), strict=True)
    for i, (t, s) in enumerate(pairs):
        f = heapq.heappop(free)
        start = f if f > t else t
        out[i] = start - t
        heapq.heappush(free, start + s)
    return out


# ---------------------------------------------------------------------------------- simulation
@dataclass(frozen=True)
class Station:
    """c identical servers with exponential service of the given mean (minutes)."""

    servers: int
    mean_service: float


def poisson_arrivals(
    rates_per_min: Sequence[float] | np.ndarray, hours: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times (minutes, sorted) and class of independent Poisson streams over `hours`
    hours, from the project's exact generator (a class is one 'municipality' row). A rate per
    class (shape k) is constant; a row of rates per hour (shape k x hours) is piecewise
    constant, a non-homogeneous Poisson process."""
    rates = np.asarray(rates_per_min, dtype=float) * 60.0
    if rates.ndim == 1:
        rates = np.repeat(rates[:, None], hours, axis=1)
    if rates.shape[1] != hours:
        raise ValueError(f"{rates.shape[1]} hourly rates for {hours} hours")
    return arrivals_for_hours(rates, np.arange(hours), rng)


def exponential(mean: float, rng: np.random.Generator) -> Callable[[], float]:
    """Scalar exponential draws with the given mean, from the project's block sampler."""
    dist = Distribution.from_config(DistConfig(DistName.exponential, mean), "validation.service")
    return dist.sampler(rng)


def simulate(
    seed: np.random.SeedSequence,
    stations: Sequence[Station],
    rates_per_min: Sequence[float],
    hours: int,
    warmup_hours: float,
    *,
    loss: bool = False,
    tail_at: float | None = None,
    trace: bool = False,
) -> dict:
    """One replication of a line of ServerPool stations fed by Poisson classes.

    A customer of class k arrives at rate rates_per_min[k] and asks every station in turn for a
    server with priority k (0 first), as a patient process does: `acquire`, yield the event when
    it must wait, hold the server for an exponential service, `release`. With `loss` (one
    station only) a customer who finds every server busy leaves at once (Erlang's lost-calls
    system): the test balks, the pool keeps the count. Arrivals stop after `hours`; the run then
    drains, so every customer counted has been served. Customers arriving in the first
    `warmup_hours` are simulated but not counted.

    Returns means over the counted customers: `wait{i}` (station i, all classes) and
    `wait{i}_class{k}`, `p_wait` (share that waited at station 0), `p_tail` (share that waited
    longer than `tail_at` at station 0), `blocked` (share lost), `sojourn` (arrival to leaving
    the last station), `n` (customers counted); each replication also checks conservation:
    no pool ever holds more customers than servers, and every pool ends empty. With `trace`,
    also every customer's arrival, class, wait at station 0 and service time there (arrays).
    """
    if loss and len(stations) != 1:
        raise ValueError("a loss system has one station")
    arr_seed, *svc_seeds = seed.spawn(1 + len(stations))
    times, cls = poisson_arrivals(rates_per_min, hours, np.random.default_rng(arr_seed))
    env = simpy.Environment()
    pools = [ServerPool(env, f"station{i}", s.servers) for i, s in enumerate(stations)]
    draws = [
        exponential(s.mean_service, np.random.default_rng(ss))
        for s, ss in zip(stations, svc_seeds, strict=True)
    ]
    n = len(times)
    waits = np.full((len(stations), n), np.nan)
    queued = np.zeros(n, dtype=bool)
    lost = np.zeros(n, dtype=bool)
    done = np.full(n, np.nan)
    service0 = np.full(n, np.nan)
    legs = list(zip(pools, draws, strict=True))

    def customer(i: int, priority: int):
        for s, (pool, draw) in enumerate(legs):
            if loss and pool.busy >= pool.capacity:
                lost[i] = True
                return
            t0 = env.now
            wait = pool.acquire(priority)
            if wait is not None:
                if s == 0:
                    queued[i] = True
                yield wait
            if pool.busy > pool.capacity:
                raise AssertionError(f"{pool.name}: {pool.busy} busy > {pool.capacity} servers")
            waits[s, i] = env.now - t0
            x = draw()
            if s == 0:
                service0[i] = x
            yield env.timeout(x)
            pool.release()
        done[i] = env.now

    def source():
        for i, (t, k) in enumerate(zip(times.tolist(), cls.tolist(), strict=True)):
            yield env.timeout(t - env.now)
            env.process(customer(i, k))

    env.process(source())
    env.run()
    for pool in pools:
        if pool.busy or pool.queue:
            raise AssertionError(f"{pool.name} ends with {pool.busy} busy, {pool.queue} waiting")

    keep = times >= warmup_hours * 60.0
    served = keep & ~lost
    if np.isnan(done[served]).any():
        raise AssertionError("a customer was never served")
    out: dict[str, float] = {"n": float(keep.sum()), "blocked": float(lost[keep].mean())}
    out["p_wait"] = float(queued[served].mean())
    w0 = waits[0, served]
    out["p_tail"] = float((w0 > tail_at).mean()) if tail_at is not None else math.nan
    out["sojourn"] = float((done[served] - times[served]).mean())
    for s in range(len(stations)):
        out[f"wait{s}"] = float(waits[s, served].mean())
        for k in range(len(rates_per_min)):
            out[f"wait{s}_class{k}"] = float(waits[s, served & (cls == k)].mean())
    if trace:
        out["trace"] = {"times": times, "cls": cls, "wait0": waits[0], "service0": service0}
    return out


# ---------------------------------------------------------------------------------- statistics
def _threads() -> int:
    """OS threads of this process (pyarrow and BLAS start their own), 1 where unknown."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def workers() -> int:
    """Processes for the replications: PATIENTFLOW_VALIDATION_WORKERS, else one per core this
    process may use (at most 4). Replications are forked from the test process, so they see
    exactly the engine the test sees (a monkeypatched one included); without fork, or once the
    process runs other threads (forking then may deadlock the child), they run in the test
    process."""
    env = os.environ.get("PATIENTFLOW_VALIDATION_WORKERS")
    if env:
        return max(1, int(env))
    if "fork" not in mp.get_all_start_methods() or _threads() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


def replicate(
    fn: Callable[..., dict[str, float]], replications: int, seed: int, **kwargs
) -> dict[str, np.ndarray]:
    """Run `fn(child_seed, **kwargs)` for R independent children of SeedSequence(seed); returns
    each metric as an array over the replications, in replication order (so the result does not
    depend on how many processes ran them)."""
    children = np.random.SeedSequence(seed).spawn(replications)
    job = functools.partial(fn, **kwargs)
    n = min(workers(), replications)
    if n > 1:
        with ProcessPoolExecutor(n, mp_context=mp.get_context("fork")) as ex:
            runs = list(ex.map(job, children))
    else:
        runs = [job(child) for child in children]
    return {key: np.array([r[key] for r in runs]) for key in runs[0]}


@dataclass(frozen=True)
class Agreement:
    """Replication mean against an analytic value: the t-based CI and the acceptance band."""

    label: str
    analytic: float
    mean: float
    half_width: float
    replications: int
    rel_tol: float = REL_TOL
    level: float = LEVEL

    @property
    def z(self) -> float:
        """(mean - analytic) in standard errors of the mean."""
        se = self.half_width / stats.t.ppf(0.5 + self.level / 2, self.replications - 1)
        return (self.mean - self.analytic) / se if se > 0 else math.inf

    @property
    def tolerance(self) -> float:
        """The stricter criterion: the CI half-width or rel_tol of the analytic value."""
        return min(self.half_width, self.rel_tol * abs(self.analytic))

    @property
    def ok(self) -> bool:
        return abs(self.mean - self.analytic) <= self.tolerance

    @property
    def rel_error(self) -> float:
        return self.mean / self.analytic - 1.0

    def __str__(self) -> str:
        binding = "CI" if self.half_width < self.rel_tol * abs(self.analytic) else "3%"
        return (
            f"{self.label}: simulated {self.mean:.5g} +- {self.half_width:.3g} "
            f"({self.level:.2%} CI, R={self.replications}), analytic {self.analytic:.5g}, "
            f"error {self.rel_error:+.2%} (z={self.z:+.2f}), allowed +-{self.tolerance:.3g} "
            f"({binding} binding)"
        )


def agreement(
    values: np.ndarray,
    analytic: float,
    label: str = "",
    rel_tol: float = REL_TOL,
    level: float = LEVEL,
) -> Agreement:
    """Mean over replications and its t-based CI half-width (95 % by default), against
    `analytic`."""
    values = np.asarray(values, dtype=float)
    r = len(values)
    if r < 2:
        raise ValueError("a confidence interval needs at least two replications")
    half = stats.t.ppf(0.5 + level / 2, r - 1) * values.std(ddof=1) / math.sqrt(r)
    return Agreement(label, float(analytic), float(values.mean()), float(half), r, rel_tol, level)


def assert_agrees(
    values: np.ndarray,
    analytic: float,
    label: str = "",
    rel_tol: float = REL_TOL,
    level: float = LEVEL,
) -> Agreement:
    """Fail unless |mean - analytic| <= min(CI half-width, rel_tol x analytic)."""
    return assert_all_agree([(values, analytic, label)], level, rel_tol)[0]


def assert_all_agree(
    checks: Sequence[tuple[np.ndarray, float, str]],
    level: float = LEVEL,
    rel_tol: float = REL_TOL,
) -> list[Agreement]:
    """`assert_agrees` for several (values, analytic, label) at once; reports every failure."""
    results = [
        agreement(values, analytic, label, rel_tol, level) for values, analytic, label in checks
    ]
    for a in results:
        print(a)
    bad = [str(a) for a in results if not a.ok]
    assert not bad, "\n".join(bad)
    return results
