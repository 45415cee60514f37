"""Arrivals: non-homogeneous Poisson processes per municipality and channel.

Rates are piecewise constant per hour (annual rate x hour-of-week profile x age effect x scenario
multipliers), so generation is exact: a Poisson count per municipality-hour, then uniform times
within the hour. Each channel draws from its own named random streams (times, places, choices,
service times), a block of days at a time, so the same replication seed gives the same patients
in every scenario that keeps that channel's rates (common random numbers), and memory does not
grow with the horizon.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.acute.profiles import hour_of_week
from patientflow.config.demand import Channel, ChannelsConfig, FluPeak
from patientflow.core.area import municipality_weights
from patientflow.core.distributions import Distribution
from patientflow.core.streams import Streams

HOURS_PER_YEAR = 8760.0
CHANNELS = tuple(Channel)
# The named streams of each channel: arrival times, demand points, choice uniforms, and the
# uniforms that fix each patient's service times.
STREAM_PURPOSES = ("arrivals", "points", "choices", "services")
# days drawn at once per stream: fixed, so every run of a seed draws the same patients
BLOCK_DAYS = 7


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
        return self.baseline_rates(channel, hours) * self.scenario.factor(channel, hours)

    def baseline_rates(self, channel: Channel, hours: np.ndarray) -> np.ndarray:
        """Expected counts without the scenario's multipliers, (municipalities, len(hours))."""
        cfg = getattr(self.channels, channel.value)
        per_hour = self.population * cfg.rate_per_1000_per_year / 1000.0 / HOURS_PER_YEAR
        per_hour = per_hour * municipality_weights(
            self.share_65plus, cfg.age_beta, self.reference_share_65plus
        )
        return per_hour[:, None] * hour_of_week(cfg.profile)[hours % 168][None, :]

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
    fast path): arrival minute, channel name, demand point; and the patients' own draws (each
    one's choice uniforms, then its service times: `width` numbers a patient, patient k's at
    `own[k * width:(k + 1) * width]`), as one flat memoryview of floats, so that a patient's
    row is a slice made when it arrives, not `width` Python floats made for the whole day."""

    times: list[float]
    channels: list[str]
    points: list[int]
    own: memoryview
    width: int

    def __len__(self) -> int:
        return len(self.times)

    def rows(self) -> list[list[float]]:
        """Each patient's own draws as a list (for inspection and tests)."""
        return np.asarray(self.own).reshape(len(self), self.width).tolist()

    def frame(self) -> pd.DataFrame:
        """The day as a table (for inspection and tests)."""
        return pd.DataFrame(
            {"time_min": self.times, "channel": self.channels, "point": self.points}
        )


class ArrivalStream:
    """Arrivals day by day, sorted by time. Every channel has, in every municipality, its own
    four named streams (keyed by the municipality's CBS code): its arrival times, its demand
    points, its patients' choice uniforms and the uniforms that fix, through each of
    `services`' inverse distribution function, its patients' service times. Raising one
    channel's demand therefore changes nothing about any other channel's patients, a longer
    mean of one service lengthens that time of each patient and no other, and a regional run
    draws exactly the patients that a national run of the same seed and replication draws in
    that region's municipalities.

    A scenario's multipliers (flu peak, heatwave days) act on these patients, not by drawing
    anew: in an hour whose rate rises, extra patients come from the place's own `extra_`
    streams on top (Poisson superposition); in an hour whose rate falls, each patient stays
    with the multiplier's probability, by a uniform of the `thinning` stream (Poisson
    thinning). Both are exact, and every other hour's patients are the baseline's, so a flu
    peak's patients are the baseline's plus its extra ones (before 5 December, a multiplier
    in one week redrew that channel's patients on every later day)."""

    def __init__(
        self,
        demand: DemandModel,
        point_muni: np.ndarray,
        point_population: np.ndarray,
        streams: Streams,
        n_uniforms: int,
        places: Sequence[str],
        services: Sequence[Distribution] = (),
    ) -> None:
        if len(places) != len(demand.population):
            raise ValueError(
                f"{len(places)} place keys for {len(demand.population)} municipalities"
            )
        self.demand = demand
        self.n_uniforms = n_uniforms
        self.services = list(services)
        self.streams, self.places = streams, [str(place) for place in places]
        self.rngs = {c: [self._place_rngs(c, place) for place in self.places] for c in CHANNELS}
        self._extra: dict[tuple[Channel, int], tuple[np.random.Generator, ...]] = {}
        self._thinning: dict[tuple[Channel, int], np.random.Generator] = {}
        self._points_of = _points_by_municipality(
            point_muni, point_population, len(demand.population)
        )
        self._block: tuple | None = None

    def day(self, d: int) -> DayArrivals:
        """Day `d`'s patients. They are drawn a block of BLOCK_DAYS days at a time (the block's
        draws per stream in one go, a seventh of the calls), then cut into days."""
        block = d // BLOCK_DAYS
        if self._block is None or self._block[0] != block:
            self._block = (block, self._draw_block(block))
        times, channels, points, own, edges = self._block[1]
        lo, hi = edges[d - block * BLOCK_DAYS], edges[d - block * BLOCK_DAYS + 1]
        return DayArrivals(
            times=times[lo:hi].tolist(),
            channels=channels[lo:hi].tolist(),
            points=points[lo:hi].tolist(),
            own=memoryview(own[lo:hi].reshape(-1)),
            width=own.shape[1],
        )

    def _place_rngs(
        self, channel: Channel, place: str, prefix: str = ""
    ) -> tuple[np.random.Generator, ...]:
        """One place's named streams of a channel, one per purpose (`extra_` ones for the
        patients a scenario adds)."""
        return tuple(
            self.streams.rng("acute", prefix + purpose, channel.value, place)
            for purpose in STREAM_PURPOSES
        )

    def _extra_rngs(self, channel: Channel, m: int) -> tuple[np.random.Generator, ...]:
        key = (channel, m)
        if key not in self._extra:
            self._extra[key] = self._place_rngs(channel, self.places[m], "extra_")
        return self._extra[key]

    def _thinning_rng(self, channel: Channel, m: int) -> np.random.Generator:
        key = (channel, m)
        if key not in self._thinning:
            self._thinning[key] = self.streams.rng(
                "acute", "thinning", channel.value, self.places[m]
            )
        return self._thinning[key]

    def _draw_place(
        self, rngs: tuple[np.random.Generator, ...], rates: np.ndarray, hours: np.ndarray, m: int
    ) -> tuple[np.ndarray, ...]:
        """One place's patients of one channel in `hours` at `rates`: arrival minutes, the
        count of each hour, demand points, choice and service uniforms."""
        arrivals, places, choices, services = rngs
        counts = arrivals.poisson(rates)
        n = int(counts.sum())
        times = (np.repeat(hours, counts) + arrivals.random(n)) * 60.0
        idx, cum = self._points_of[m]
        at = np.searchsorted(cum, places.random(n), side="right").clip(max=len(idx) - 1)
        return (
            times,
            counts,
            idx[at],
            choices.random((n, self.n_uniforms)),
            services.random((n, len(self.services))),
        )

    def _draw_block(self, block: int) -> tuple:
        hours = np.arange(24 * BLOCK_DAYS * block, 24 * BLOCK_DAYS * (block + 1))
        times, channels, points, uniforms, service_uniforms = [], [], [], [], []
        n_services = len(self.services)
        for c in CHANNELS:
            rates = self.demand.baseline_rates(c, hours)
            factor = self.demand.scenario.factor(c, hours)
            kept = np.minimum(factor, 1.0) if (factor < 1).any() else None
            more = np.maximum(factor - 1.0, 0.0) if (factor > 1).any() else None
            for m, rngs in enumerate(self.rngs[c]):
                drawn = [self._draw_place(rngs, rates[m], hours, m)]
                if kept is not None and len(drawn[0][0]):
                    t, counts, *rest = drawn[0]
                    keep = self._thinning_rng(c, m).random(len(t)) < np.repeat(kept, counts)
                    drawn[0] = (t[keep], counts, *(part[keep] for part in rest))
                if more is not None:
                    drawn.append(
                        self._draw_place(self._extra_rngs(c, m), rates[m] * more, hours, m)
                    )
                for t, _, p, u_choice, u_service in drawn:
                    if not len(t):
                        continue
                    times.append(t)
                    channels.append(np.full(len(t), c.value, dtype=object))
                    points.append(p)
                    uniforms.append(u_choice)
                    service_uniforms.append(u_service)
        width = self.n_uniforms + n_services
        if not times:
            empty = np.empty(0)
            return empty, empty, empty, np.empty((0, width)), [0] * (BLOCK_DAYS + 1)
        t = np.concatenate(times)
        order = np.argsort(t, kind="stable")
        t = t[order]
        first_day = BLOCK_DAYS * block
        edges = np.searchsorted(t, (first_day + np.arange(BLOCK_DAYS + 1)) * 1440.0, side="left")
        u = np.concatenate(service_uniforms)[order]
        own = np.empty((len(t), width))
        own[:, : self.n_uniforms] = np.concatenate(uniforms)[order]
        for k, dist in enumerate(self.services):
            own[:, self.n_uniforms + k] = dist.quantiles(u[:, k])
        return (
            t,
            np.concatenate(channels)[order],
            np.concatenate(points)[order],
            own,
            edges.tolist(),
        )

    def days(self, n_days: int) -> Iterator[DayArrivals]:
        for d in range(n_days):
            yield self.day(d)


def _points_by_municipality(point_muni: np.ndarray, pop: np.ndarray, n_muni: int) -> dict:
    """Per municipality: its demand points and their cumulative population shares."""
    out = {}
    for m in range(n_muni):
        idx = np.flatnonzero(point_muni == m)
        w = pop[idx].astype(float)
        cum = np.cumsum(w) / w.sum() if w.sum() > 0 else np.linspace(1 / len(idx), 1, len(idx))
        out[m] = (idx, cum)
    return out
