"""Arrivals: non-homogeneous Poisson processes per municipality and channel.

Rates are piecewise constant per hour (annual rate x hour-of-week profile x age effect x scenario
multipliers), so generation is exact: a Poisson count per municipality-hour, then uniform times
within the hour. Each channel draws from its own named random stream, one day at a time, so the
same replication seed gives the same arrivals in every scenario that keeps the rates (common
random numbers), and memory does not grow with the horizon.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.acute_config import Channel, ChannelsConfig, FluPeak
from patientflow.profiles import hour_of_week

HOURS_PER_YEAR = 8760.0
CHANNELS = tuple(Channel)


@dataclass(frozen=True)
class ScenarioRates:
    """Multipliers on the baseline rates: a flu peak, heatwave days. (Population growth acts
    through the population itself.)"""

    flu: FluPeak | None = None
    heatwave_days: tuple[int, ...] = ()
    heatwave_factor: float = 1.0

    def factor(self, channel: Channel, hours: np.ndarray) -> np.ndarray:
        """Multiplier per absolute simulation hour for one channel."""
        f = np.ones(len(hours), dtype=float)
        day = hours // 24
        if self.flu is not None and self.flu.weeks > 0:
            start, end = self.flu.start_day, self.flu.start_day + 7 * self.flu.weeks
            f[(day >= start) & (day < end)] *= getattr(self.flu, channel.value)
        if self.heatwave_days and channel in (
            Channel.call_112,
            Channel.self_referral,
            Channel.other_referral,
        ):
            f[np.isin(day, self.heatwave_days)] *= self.heatwave_factor
        return f


def municipality_weights(
    share_65plus: np.ndarray, population: np.ndarray, beta: float
) -> np.ndarray:
    """Relative rate per inhabitant: 1 + beta x (65+ share - mean share), renormalised so the
    population-weighted mean is 1 and the national total keeps the configured rate."""
    mean65 = np.average(share_65plus, weights=population)
    w = np.clip(1.0 + beta * (share_65plus - mean65), 0.05, None)
    return w / np.average(w, weights=population)


@dataclass
class DemandModel:
    """Expected arrivals per municipality and hour for each channel."""

    population: np.ndarray
    share_65plus: np.ndarray
    channels: ChannelsConfig
    scenario: ScenarioRates

    def hourly_rates(self, channel: Channel, hours: np.ndarray) -> np.ndarray:
        """Expected counts, shape (municipalities, len(hours))."""
        cfg = getattr(self.channels, channel.value)
        per_hour = self.population * cfg.rate_per_1000_per_year / 1000.0 / HOURS_PER_YEAR
        per_hour = per_hour * municipality_weights(self.share_65plus, self.population, cfg.age_beta)
        shape = hour_of_week(cfg.profile)[hours % 168] * self.scenario.factor(channel, hours)
        return per_hour[:, None] * shape[None, :]

    def expected_per_year(self, channel: Channel) -> float:
        cfg = getattr(self.channels, channel.value)
        return float(self.population.sum() * cfg.rate_per_1000_per_year / 1000.0)


def arrivals_for_hours(
    rates: np.ndarray, hours: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Exact arrivals of a piecewise-constant Poisson process: (times in minutes, municipality)."""
    counts = rng.poisson(rates)
    muni, h = np.nonzero(counts)
    n = counts[muni, h]
    muni, h = np.repeat(muni, n), np.repeat(hours[h], n)
    times = (h + rng.random(len(h))) * 60.0
    order = np.argsort(times, kind="stable")
    return times[order], muni[order]


class ArrivalStream:
    """Arrivals day by day: a frame per day with time_min, channel, municipality index and the
    demand point index, sorted by time. One random stream per channel and one for the points."""

    def __init__(
        self,
        demand: DemandModel,
        point_muni: np.ndarray,
        point_population: np.ndarray,
        seed: np.random.SeedSequence,
    ) -> None:
        self.demand = demand
        streams = seed.spawn(len(CHANNELS) + 1)
        self.rngs = {c: np.random.default_rng(s) for c, s in zip(CHANNELS, streams, strict=False)}
        self.point_rng = np.random.default_rng(streams[-1])
        self._points_of = _points_by_municipality(
            point_muni, point_population, len(demand.population)
        )

    def day(self, d: int) -> pd.DataFrame:
        hours = np.arange(24 * d, 24 * (d + 1))
        parts = []
        for c in CHANNELS:
            rates = self.demand.hourly_rates(c, hours)
            times, muni = arrivals_for_hours(rates, hours, self.rngs[c])
            parts.append(pd.DataFrame({"time_min": times, "channel": c.value, "muni": muni}))
        day = pd.concat(parts, ignore_index=True).sort_values("time_min", kind="stable")
        day["point"] = self._draw_points(day["muni"].to_numpy())
        return day.reset_index(drop=True)

    def days(self, n_days: int) -> Iterator[pd.DataFrame]:
        for d in range(n_days):
            yield self.day(d)

    def _draw_points(self, muni: np.ndarray) -> np.ndarray:
        u = self.point_rng.random(len(muni))
        out = np.empty(len(muni), dtype=np.int64)
        for m in np.unique(muni):
            idx, cum = self._points_of[m]
            sel = muni == m
            out[sel] = idx[np.searchsorted(cum, u[sel], side="right").clip(max=len(idx) - 1)]
        return out


def _points_by_municipality(point_muni: np.ndarray, pop: np.ndarray, n_muni: int) -> dict:
    """Per municipality: its demand points and their cumulative population shares."""
    out = {}
    for m in range(n_muni):
        idx = np.flatnonzero(point_muni == m)
        w = pop[idx].astype(float)
        cum = np.cumsum(w) / w.sum() if w.sum() > 0 else np.linspace(1 / len(idx), 1, len(idx))
        out[m] = (idx, cum)
    return out
