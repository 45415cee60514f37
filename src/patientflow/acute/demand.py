"""Arrivals: non-homogeneous Poisson processes per municipality and channel.

Rates are piecewise constant per hour (annual rate x hour-of-week profile x age effect x scenario
multipliers), so generation is exact: a Poisson count per municipality-hour, then uniform times
within the hour. Each channel draws from its own named random streams (times, places, choices),
one day at a time, so the same replication seed gives the same patients in every scenario that
keeps that channel's rates (common random numbers), and memory does not grow with the horizon.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.acute.profiles import hour_of_week
from patientflow.config.acute import Channel, ChannelsConfig, FluPeak
from patientflow.core.area import municipality_weights
from patientflow.core.streams import Streams

HOURS_PER_YEAR = 8760.0
CHANNELS = tuple(Channel)
# The named streams of each channel: arrival times, demand points, choice uniforms.
STREAM_PURPOSES = ("arrivals", "points", "choices")


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


@dataclass
class DemandModel:
    """Expected arrivals per municipality and hour for each channel."""

    population: np.ndarray
    share_65plus: np.ndarray
    channels: ChannelsConfig
    scenario: ScenarioRates
    reference_share_65plus: float

    def hourly_rates(self, channel: Channel, hours: np.ndarray) -> np.ndarray:
        """Expected counts, shape (municipalities, len(hours))."""
        cfg = getattr(self.channels, channel.value)
        per_hour = self.population * cfg.rate_per_1000_per_year / 1000.0 / HOURS_PER_YEAR
        per_hour = per_hour * municipality_weights(
            self.share_65plus, cfg.age_beta, self.reference_share_65plus
        )
        shape = hour_of_week(cfg.profile)[hours % 168] * self.scenario.factor(channel, hours)
        return per_hour[:, None] * shape[None, :]

    def expected_per_year(self, channel: Channel) -> float:
        """Expected arrivals a year, the age effect included (no scenario multipliers)."""
        cfg = getattr(self.channels, channel.value)
        w = municipality_weights(self.share_65plus, cfg.age_beta, self.reference_share_65plus)
        return float((self.population * w).sum() * cfg.rate_per_1000_per_year / 1000.0)


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


@dataclass(frozen=True)
class DayArrivals:
    """One simulated day's patients in order of arrival, as Python lists (the event loop's
    fast path): arrival minute, channel name, demand point and each patient's row of choice
    uniforms."""

    times: list[float]
    channels: list[str]
    points: list[int]
    uniforms: list[list[float]]

    def __len__(self) -> int:
        return len(self.times)

    def frame(self) -> pd.DataFrame:
        """The day as a table (for inspection and tests)."""
        return pd.DataFrame(
            {"time_min": self.times, "channel": self.channels, "point": self.points}
        )


class ArrivalStream:
    """Arrivals day by day, sorted by time. Every channel has its own three named streams: its
    arrival times, its demand points and its patients' choice uniforms. Raising one channel's
    demand therefore changes nothing about any other channel's patients."""

    def __init__(
        self,
        demand: DemandModel,
        point_muni: np.ndarray,
        point_population: np.ndarray,
        streams: Streams,
        n_uniforms: int,
    ) -> None:
        self.demand = demand
        self.n_uniforms = n_uniforms
        self.rngs = {
            c: tuple(streams.rng("acute", purpose, c.value) for purpose in STREAM_PURPOSES)
            for c in CHANNELS
        }
        self._points_of = _points_by_municipality(
            point_muni, point_population, len(demand.population)
        )

    def day(self, d: int) -> DayArrivals:
        hours = np.arange(24 * d, 24 * (d + 1))
        times, channels, points, uniforms = [], [], [], []
        for c in CHANNELS:
            arrivals, places, choices = self.rngs[c]
            t, muni = arrivals_for_hours(self.demand.hourly_rates(c, hours), hours, arrivals)
            times.append(t)
            channels.append(np.full(len(t), c.value, dtype=object))
            points.append(self._draw_points(muni, places))
            uniforms.append(choices.random((len(t), self.n_uniforms)))
        t = np.concatenate(times)
        order = np.argsort(t, kind="stable")
        return DayArrivals(
            times=t[order].tolist(),
            channels=np.concatenate(channels)[order].tolist(),
            points=np.concatenate(points)[order].tolist(),
            uniforms=np.concatenate(uniforms)[order].tolist(),
        )

    def days(self, n_days: int) -> Iterator[DayArrivals]:
        for d in range(n_days):
            yield self.day(d)

    def _draw_points(self, muni: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        u = rng.random(len(muni))
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
