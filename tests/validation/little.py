"""Little's law on a full model run: the facilities' counters (timeseries.parquet) against the
patients' own records (journeys.parquet).

Little (1961): over a window of length T, the time-average number in a queue (or a system) L
equals the arrival rate lambda = N / T times the mean time W that the N customers who join in the
window spend there, up to the customers caught at the window's edges. Two sources, two kinds of
error, both bounded from the data rather than guessed:

- the level is sampled every `sim.step_min` = h minutes, not integrated: a customer who spends w
  minutes there is seen at floor(w / h) or ceil(w / h) sampling instants, an error below h with
  mean zero and standard deviation at most h / 2 (its phase against the grid is uniform), so the
  grid sum deviates from the integral by about (h / 2) sqrt(n) for n such customers; 4 standard
  deviations of that go into the tolerance;
- customers whose stay straddles the window's start or end count in full in lambda W but only
  partly in L: their total time (the edge term) bounds the difference. Where the journeys do not
  record the instant a customer joins (a GP consultation starts after the phone call's
  unrecorded service time and the drive; an ambulance request after the dispatch delay), the
  instant is known within bounds [lo, hi] and every customer whose possible stay straddles an
  edge counts in the edge term.

`check` therefore asserts |L - lambda W| <= (edge + 4 sd_grid) / T, Little's law itself, and the
sharper sample-path form |L - J / T| <= (uncertain edge + 4 sd_grid) / T, where J is the total
time the journeys spend inside the window (exact wherever the joining instant is recorded).
Nothing here is a sampling error of the model's randomness: Little's law holds on every sample
path, so the tolerance only covers the measurement.

`full_run` makes the run (facilities staffed tighter than planned, STRESS, so that every kind of
queue is used), `facility_visits` reads each facility type's customers off the journeys and
`little_checks` compares them with the timeseries, per facility type and per facility.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

import patientflow
from patientflow.config.checks import check_config
from patientflow.core.distributions import DistName, Distribution

GRID_Z = 4.0
STRESS = (
    "facilities.ambulance.fleet=occupancy",
    "facilities.ambulance.target_occupancy=0.7",
    "facilities.staffing.target_occupancy=0.85",
    "scenario.capacity_factor=0.9",
)
LEVEL = {"queue": ("queue",), "system": ("busy", "queue")}


def support(dist: Distribution, tail: float = 1e-9) -> tuple[float, float]:
    """An interval holding a draw of `dist` with probability at least 1 - tail."""
    if dist.name is DistName.deterministic:
        return dist.mean, dist.mean
    if dist.name is DistName.lognormal:
        sigma = math.sqrt(math.log1p(dist.cv**2))
        mu = math.log(dist.mean) - sigma**2 / 2
        return 0.0, float(stats.lognorm(s=sigma, scale=math.exp(mu)).ppf(1 - tail))
    if dist.name is DistName.exponential:
        return 0.0, float(stats.expon(scale=dist.mean).ppf(1 - tail))
    if dist.name is DistName.empirical:
        return min(dist.values), max(dist.values)
    shape = 1.0 / dist.cv**2
    return 0.0, float(stats.gamma(shape, scale=dist.mean / shape).ppf(1 - tail))


@dataclass(frozen=True)
class Visits:
    """Customers of one facility type: facility id, when they joined (best estimate `at`, within
    [lo, hi] but for a chance below 1e-9 each) and the minutes they spent there (NaN: not
    finished)."""

    facility: np.ndarray
    at: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    minutes: np.ndarray

    @classmethod
    def exact(cls, facility, at, minutes) -> Visits:
        at = np.asarray(at, dtype=float)
        return cls(np.asarray(facility, dtype=object), at, at, at, np.asarray(minutes, float))

    def subset(self, mask: np.ndarray) -> Visits:
        return Visits(self.facility[mask], self.at[mask], self.lo[mask], self.hi[mask],
                      self.minutes[mask])  # fmt: skip


@dataclass(frozen=True)
class LittleCheck:
    """Little's law over (start, end] for one facility or one facility type."""

    label: str
    level: float  # L from the timeseries
    arrivals: int  # N joining in the window
    lam: float  # N / T, per minute
    wait: float  # W, mean minutes there
    inside: float  # J / T: the journeys' own time average over the window
    edge: float  # bound on |L - lambda W| from the edges, as a level (divided by T)
    uncertain: float  # bound on |L - J / T| from unrecorded joining instants, as a level
    grid_sd: float  # standard deviation of the grid sampling, as a level

    @property
    def lam_w(self) -> float:
        return self.lam * self.wait if self.arrivals else 0.0

    @property
    def tol_little(self) -> float:
        return self.edge + GRID_Z * self.grid_sd

    @property
    def tol_path(self) -> float:
        return self.uncertain + GRID_Z * self.grid_sd

    @property
    def ok(self) -> bool:
        return (
            abs(self.level - self.lam_w) <= self.tol_little + 1e-12
            and abs(self.level - self.inside) <= self.tol_path + 1e-12
        )

    def __str__(self) -> str:
        rel = self.level / self.lam_w - 1 if self.lam_w else float("nan")
        return (
            f"{self.label}: L={self.level:.4f}  lambda={self.lam * 60:.3f}/h x W={self.wait:.2f} "
            f"min = {self.lam_w:.4f} ({rel:+.2%}, allowed +-{self.tol_little:.4f}); "
            f"time inside {self.inside:.4f} (allowed +-{self.tol_path:.4f}); N={self.arrivals}"
        )


def check(
    label: str, level: pd.Series, visits: Visits, start: float, end: float, step: float
) -> LittleCheck:
    """Little's law for the level sampled at the grid instants in (start, end] (a Series indexed
    by time_min) against the visits; raises if a customer who may have joined before `end` has
    not finished by the end of the run (the window must end well before the horizon)."""
    t = end - start
    grid = level[(level.index > start) & (level.index <= end)]
    expected = round(t / step)
    if len(grid) != expected:
        raise AssertionError(f"{label}: {len(grid)} samples in the window, expected {expected}")
    w, at, lo, hi = visits.minutes, visits.at, visits.lo, visits.hi
    unfinished = np.isnan(w) & (lo < end)
    if unfinished.any():
        raise AssertionError(f"{label}: {int(unfinished.sum())} customers unfinished in window")
    joined = (at >= start) & (at < end)
    n = int(joined.sum())
    wq = np.nan_to_num(w)
    straddles = ((lo < start) & (start < hi + wq)) | ((lo < end) & (end < hi + wq))
    overlap = np.clip(np.minimum(at + wq, end) - np.maximum(at, start), 0.0, None)
    seen = int(((overlap > 0) | (straddles & (wq > 0))).sum())
    return LittleCheck(
        label=label,
        level=float(grid.mean()),
        arrivals=n,
        lam=n / t,
        wait=float(wq[joined].mean()) if n else 0.0,
        inside=float(overlap.sum() / t),
        edge=float(wq[straddles].sum() / t),
        uncertain=float(wq[straddles & (hi > lo)].sum() / t),
        grid_sd=step / 2 * math.sqrt(seen) / t,
    )


def full_run(
    out,
    scenario: str,
    days: int,
    step: float,
    region: str = "midden",
    warmup_days: float = 1,
    stress=STRESS,
):
    """One acute run of `region` with the facilities staffed tighter than planned (STRESS), so
    every kind of queue is used; returns (typed config, journeys, timeseries)."""
    cfg = patientflow.compose(
        [
            "demand=municipality",
            "report.figures=false",
            "sim.progress=false",
            f"region={region}",
            f"scenario={scenario}",
            f"sim.days={days}",
            f"sim.warmup_days={warmup_days}",
            f"sim.step_min={step}",
            *stress,
        ]
    )
    result = patientflow.run(cfg, out)
    journeys = pd.read_parquet(result.paths["journeys"])
    timeseries = pd.read_parquet(result.paths["timeseries"])
    return check_config(cfg), journeys, timeseries


def facility_visits(run_cfg, j: pd.DataFrame) -> dict[str, Visits]:
    """Per facility type in the timeseries, its customers as the journeys record them."""
    tri, amb = run_cfg.facilities.triage, run_cfg.facilities.ambulance
    _, call_max = support(Distribution.from_config(tri.call, "facilities.triage.call"))
    d_lo, d_hi = support(Distribution.from_config(amb.dispatch, "facilities.ambulance.dispatch"))
    arrival = j["arrival_min"].to_numpy()
    out: dict[str, Visits] = {}

    # SEH bays: joined at bay_queue_min (recorded), left the queue after bay_wait_min and the
    # bay at seh_departure_min.
    seh = j[j["bay_queue_min"].notna()]
    q = seh["bay_queue_min"].to_numpy()
    out["seh/queue"] = Visits.exact(seh["seh_site_id"], q, seh["bay_wait_min"])
    out["seh/system"] = Visits.exact(seh["seh_site_id"], q, seh["seh_departure_min"] - q)

    # Phone desks (GP post or ZCC): the call joins the desk on arrival. A caller still waiting
    # at the horizon has a U urgency but no desk yet (a ZCC call that ends in an ambulance has
    # its urgency overwritten by A2, but a recorded wait).
    waiting = j["urgency"].isin(["U1", "U2", "U3", "U4", "U5"]) & j["call_wait_min"].isna()
    called = (j["call_wait_min"].notna() | waiting).to_numpy()
    for kind, col in (("gp_desk", "desk_id"), ("zcc_desk", "zcc_id")):
        rows = called & (j[col].notna() | j["call_wait_min"].isna()).to_numpy()
        sub = j[rows]
        out[kind] = Visits.exact(sub[col], sub["arrival_min"], sub["call_wait_min"])

    # GP doctors and visit cars: joined after the call's wait, its unrecorded service time and,
    # for a consultation, the drive (travel_min; it also holds a later drive to an SEH, so it is
    # an upper bound of this one).
    after_call = arrival + j["call_wait_min"].to_numpy()
    travel = j["travel_min"].fillna(0.0).to_numpy()
    mean_call = Distribution.from_config(tri.call, "call").mean
    for kind, outcome, drive in (("gp_doctor", "consult", 1.0), ("gp_visit", "home_visit", 0.0)):
        rows = (j["outcome"] == outcome).to_numpy()
        lo = after_call[rows]
        out[kind] = Visits(
            facility=j.loc[rows, "gp_post_id"].to_numpy(dtype=object),
            at=lo + mean_call + drive * travel[rows],
            lo=lo,
            hi=lo + call_max + drive * travel[rows],
            minutes=j.loc[rows, "gp_wait_min"].to_numpy(dtype=float),
        )

    # Ambulance fleets: a 112 call asks for a vehicle after the dispatch delay; a ZCC call that
    # ends in an ambulance (A2) after its own call as well.
    rows = j["urgency"].isin(["A1", "A2", "B"]).to_numpy()
    via_zcc = j["zcc_id"].notna().to_numpy()[rows]
    base = np.where(via_zcc, after_call[rows], arrival[rows])
    extra = np.where(via_zcc, call_max, 0.0)
    out["ambulance"] = Visits(
        facility=j.loc[rows, "amb_region"].to_numpy(dtype=object),
        at=base + (d_lo + d_hi) / 2 + np.where(via_zcc, mean_call, 0.0),
        lo=base + d_lo,
        hi=base + d_hi + extra,
        minutes=j.loc[rows, "amb_wait_min"].to_numpy(dtype=float),
    )
    return out


def little_checks(run_cfg, j: pd.DataFrame, ts: pd.DataFrame, kinds, start, end, step):
    """Little's law over (start, end] per facility type (all its facilities together) and per
    facility; `kinds` are timeseries facility types, "seh/queue" or "seh/system" for the bays'
    queue or bays plus queue."""
    visits = facility_visits(run_cfg, j)
    checks: list[LittleCheck] = []
    for kind in kinds:
        ftype, _, what = kind.partition("/")
        rows = ts[ts["facility_type"] == ftype]
        assert len(rows), f"no {ftype} in the timeseries"
        level = rows[list(LEVEL[what or "queue"])].sum(axis=1)
        v = visits[kind]
        known = np.isin(v.facility, rows["facility_id"].unique())
        # A customer still waiting at the horizon may have no facility id yet; `check` makes
        # sure none of them joined inside the window.
        assert (known | pd.isna(v.facility)).all(), f"{kind}: a facility missing from the series"
        by_time = level.groupby(rows["time_min"]).sum()
        checks.append(check(f"{kind} (all)", by_time, v, start, end, step))
        for fid, idx in rows.groupby("facility_id").groups.items():
            one = level.loc[idx].groupby(rows.loc[idx, "time_min"]).sum()
            checks.append(
                check(f"{kind} {fid}", one, v.subset(v.facility == fid), start, end, step)
            )
    return checks


def assert_all(checks: list[LittleCheck]) -> None:
    for c in checks:
        print(c)
    bad = [str(c) for c in checks if not c.ok]
    assert not bad, "Little's law fails:\n" + "\n".join(bad)
