"""Sampling service and delay times: a checked distribution (config/distributions.py) drawn as
vectorised arrays (`sample`) or fast scalars for SimPy processes (`sampler`). Lognormal and
gamma are parametrised so that their mean and coefficient of variation are exactly the
configured ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
from scipy import special

from patientflow.config.distributions import DistConfig, DistName, DistSpec, check_distribution


@dataclass(frozen=True)
class Distribution(DistSpec):
    """A checked time distribution in minutes (built by `from_config`) that can be sampled."""

    @classmethod
    def from_config(cls, cfg: DistConfig, key: str) -> Distribution:
        """Check `cfg` (found at config key `key`) and build it; ConfigError names the sub-key."""
        spec = check_distribution(cfg, key)
        return cls(spec.name, spec.mean, spec.cv, spec.values)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` independent times (minutes) as a float array, consuming `rng` in order."""
        name = self.name
        if name is DistName.exponential:
            return rng.exponential(self.mean, size)
        if name is DistName.lognormal:
            sigma2 = math.log1p(self.cv**2)
            return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), size)
        if name is DistName.gamma:
            return rng.gamma(1.0 / self.cv**2, self.mean * self.cv**2, size)
        if name is DistName.deterministic:
            return np.full(size, self.mean)
        # Empirical: one uniform double per draw (not rng.integers, whose buffered 32-bit draws
        # would make a block-wise stream differ from one long draw).
        values = np.asarray(self.values)
        idx = (rng.random(size) * len(values)).astype(np.intp)
        return values[np.minimum(idx, len(values) - 1)]

    def residual_sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw `size` remaining times of services found under way at a random moment of a
        steady state (e.g. the inpatients in bed when a run starts): U x S*, with U uniform and
        S* the length-biased time (a long stay is more likely to be under way, in proportion
        to its length), so the remaining time has mean E[S^2] / (2 E[S]) = mean (1 + cv^2) / 2.
        U x S, the plain time, would give mean / 2 and the beds would empty at the start.
        S* per distribution: lognormal the same cv with mean x (1 + cv^2); gamma shape + 1 (the
        same scale); exponential gamma of shape 2 (U x S* is again exponential with the same
        mean: memoryless); deterministic the mean; empirical each value drawn in proportion to
        its size. Draws the uniforms first, then S*."""
        u = rng.random(size)
        name = self.name
        if name is DistName.exponential:
            biased = rng.gamma(2.0, self.mean, size)
        elif name is DistName.lognormal:
            sigma2 = math.log1p(self.cv**2)
            mean = self.mean * (1.0 + self.cv**2)
            biased = rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), size)
        elif name is DistName.gamma:
            biased = rng.gamma(1.0 / self.cv**2 + 1.0, self.mean * self.cv**2, size)
        elif name is DistName.deterministic:
            biased = np.full(size, self.mean)
        else:
            values = np.sort(np.asarray(self.values))
            total = values.sum()
            if total <= 0:  # every value 0: nothing remains
                return np.zeros(size)
            cum = np.cumsum(values) / total
            idx = np.searchsorted(cum, rng.random(size), side="right")
            biased = values[np.minimum(idx, len(values) - 1)]
        return u * biased

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        """The inverse distribution function at probabilities `u` (0 <= u < 1): a patient's own
        uniform fixes its time, with no random draw here."""
        u = np.asarray(u, dtype=float)
        name = self.name
        if name is DistName.exponential:
            return -self.mean * np.log1p(-u)
        if name is DistName.lognormal:
            sigma2 = math.log1p(self.cv**2)
            return np.exp(math.log(self.mean) - sigma2 / 2 + math.sqrt(sigma2) * special.ndtri(u))
        if name is DistName.gamma:
            shape = 1.0 / self.cv**2
            return special.gammaincinv(shape, u) * self.mean * self.cv**2
        if name is DistName.deterministic:
            return np.full(u.shape, self.mean)
        values = np.sort(np.asarray(self.values))
        return values[np.minimum((u * len(values)).astype(np.intp), len(values) - 1)]

    def sampler(self, rng: np.random.Generator, block: int = 4096) -> Callable[[], float]:
        """A scalar draw for SimPy processes: blocks of `sample` handed out one value at a time.

        The stream equals `sample(rng, n)` from an identically seeded generator, provided
        nothing else draws from `rng` meanwhile; nothing is drawn before the first call.
        """
        if block < 1:
            raise ValueError(f"block must be >= 1, got {block}")
        if self.name is DistName.deterministic:
            return repeat(self.mean).__next__
        # iter(f, None) calls f for ever (a list is never None); chain flattens lazily, so each
        # draw is one C-level next() and a new block is drawn only when the last one runs out.
        blocks = iter(lambda: self.sample(rng, block).tolist(), None)
        return chain.from_iterable(blocks).__next__
