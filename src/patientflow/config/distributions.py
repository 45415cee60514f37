"""Service and delay times as the user writes them: a distribution's name, mean (minutes),
coefficient of variation, or a list of observed values, and the one check of those values.

`check_distribution` turns a `DistConfig` into a checked `DistSpec` or raises a ConfigError
naming the offending sub-key; `patientflow.core.distributions.Distribution` samples it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from patientflow.errors import ConfigError

# The coefficients of variation lognormal and gamma accept. Below, the spread underflows (a NaN
# time at a uniform of 0; gamma divides by zero); far above (1e200), the times are NaN too.
# Inside, every patient's time, the inverse distribution function at its own uniform (0
# included), is a finite number >= 0 (tests/core/test_distributions.py).
CV_RANGE = (1e-6, 100.0)


class DistName(Enum):
    exponential = "exponential"
    lognormal = "lognormal"
    gamma = "gamma"
    deterministic = "deterministic"
    empirical = "empirical"


@dataclass
class DistConfig:
    """A time distribution as configured, in minutes (in days where the key says so, e.g.
    `stay_days`).

    `mean` is used by every distribution except empirical; `cv` (standard deviation / mean,
    from 1e-6 to 100) only by lognormal and gamma (exponential has cv 1, deterministic cv 0);
    `values` only by empirical, which draws uniformly from the listed values.
    """

    # The distribution: exponential, lognormal, gamma, deterministic (always `mean`) or
    # empirical (drawn from `values`).
    name: DistName = DistName.exponential
    mean: float = 1.0
    cv: float = 1.0
    values: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class DistSpec:
    """A checked time distribution in minutes; mean and cv are exact."""

    name: DistName
    mean: float
    cv: float
    values: tuple[float, ...] = ()


def lognormal(mean: float, cv: float) -> DistConfig:
    """A lognormal distribution as the configs write their defaults."""
    return DistConfig(name=DistName.lognormal, mean=mean, cv=cv)


def check_distribution(cfg: DistConfig, key: str) -> DistSpec:
    """Check `cfg` (found at config key `key`); ConfigError names the sub-key."""
    name = cfg.name
    if not isinstance(name, DistName):
        try:
            name = DistName(name)
        except ValueError:
            allowed = ", ".join(n.value for n in DistName)
            raise ConfigError(f"{key}.name", name, f"must be one of {allowed}") from None
    if name is DistName.empirical:
        return _empirical(cfg.values, key)
    mean = float(cfg.mean)
    if name is DistName.deterministic:
        if not (math.isfinite(mean) and mean >= 0):
            raise ConfigError(f"{key}.mean", cfg.mean, "must be a finite number >= 0")
        return DistSpec(name, mean, 0.0)
    if not (math.isfinite(mean) and mean > 0):
        raise ConfigError(f"{key}.mean", cfg.mean, "must be a finite number > 0")
    if name is DistName.exponential:
        return DistSpec(name, mean, 1.0)
    cv = float(cfg.cv)
    if not (math.isfinite(cv) and cv > 0):
        raise ConfigError(f"{key}.cv", cfg.cv, f"must be a finite number > 0 for {name.value}")
    if not CV_RANGE[0] <= cv <= CV_RANGE[1]:
        raise ConfigError(
            f"{key}.cv",
            cfg.cv,
            f"must lie in [{CV_RANGE[0]:g}, {CV_RANGE[1]:g}] for {name.value} (below, use "
            "deterministic; no service time varies more)",
        )
    return DistSpec(name, mean, cv)


def _empirical(raw: list[float], key: str) -> DistSpec:
    """The empirical distribution of `raw`, which must be non-empty, finite and non-negative."""
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
    return DistSpec(DistName.empirical, mean, cv, values)
