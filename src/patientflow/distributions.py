"""Service and delay times: a distribution named in the configuration, checked and sampled.

A `DistConfig` is what the user writes (a name, a mean in minutes, a coefficient of variation,
or a list of observed values); `Distribution.from_config` checks it once, naming the offending
key, and the result draws vectorised arrays (`sample`) or fast scalars for SimPy processes
(`sampler`). Lognormal and gamma are parametrised so that their mean and coefficient of
variation are exactly the configured ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain, repeat

import numpy as np

from patientflow.errors import ConfigError


class DistName(Enum):
    exponential = "exponential"
    lognormal = "lognormal"
    gamma = "gamma"
    deterministic = "deterministic"
    empirical = "empirical"


@dataclass
class DistConfig:
    """A time distribution as configured; all times in minutes.

    `mean` is used by every distribution except empirical; `cv` (standard deviation / mean) only
    by lognormal and gamma (exponential has cv 1, deterministic cv 0); `values` only by
    empirical, which draws uniformly from the listed values.
    """

    name: DistName = DistName.exponential
    mean: float = 1.0
    cv: float = 1.0
    values: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Distribution:
    """A checked time distribution in minutes (built by `from_config`); mean and cv are exact."""

    name: DistName
    mean: float
    cv: float
    values: tuple[float, ...] = ()

    @classmethod
    def from_config(cls, cfg: DistConfig, key: str) -> Distribution:
        """Check `cfg` (found at config key `key`) and build it; ConfigError names the sub-key."""
        name = cfg.name
        if not isinstance(name, DistName):
            try:
                name = DistName(name)
            except ValueError:
                allowed = ", ".join(n.value for n in DistName)
                raise ConfigError(f"{key}.name", name, f"must be one of {allowed}") from None
        if name is DistName.empirical:
            return cls._empirical(cfg.values, key)
        mean = float(cfg.mean)
        if name is DistName.deterministic:
            if not (math.isfinite(mean) and mean >= 0):
                raise ConfigError(f"{key}.mean", cfg.mean, "must be a finite number >= 0")
            return cls(name, mean, 0.0)
        if not (math.isfinite(mean) and mean > 0):
            raise ConfigError(f"{key}.mean", cfg.mean, "must be a finite number > 0")
        if name is DistName.exponential:
            return cls(name, mean, 1.0)
        cv = float(cfg.cv)
        if not (math.isfinite(cv) and cv > 0):
            raise ConfigError(f"{key}.cv", cfg.cv, f"must be a finite number > 0 for {name.value}")
        return cls(name, mean, cv)

    @classmethod
    def _empirical(cls, raw: list[float], key: str) -> Distribution:
        """Build the empirical distribution of `raw`, which must be non-empty and non-negative."""
        values = tuple(float(v) for v in raw)
        if not values:
            raise ConfigError(f"{key}.values", list(raw), "empirical needs at least one value")
        bad = [v for v in values if not (math.isfinite(v) and v >= 0)]
        if bad:
            reason = f"values must be finite and >= 0 (found {bad[0]!r})"
            raise ConfigError(f"{key}.values", list(raw), reason)
        arr = np.array(values)
        mean = float(arr.mean())
        cv = float(arr.std() / mean) if mean > 0 else 0.0
        return cls(DistName.empirical, mean, cv, values)

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
