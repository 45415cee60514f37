"""What the region holds today and what the horizon needs at today's occupancy: each resource
grows with the demand that fills it, counted by the simulation of each year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patientflow.core.area import StudyArea
from patientflow.core.network import SEH_LIMITED, SEH_OPEN_247, ServiceNetwork
from patientflow.core.statistics import mean_ci
from patientflow.data import Dataset

SEH_OPEN = (SEH_OPEN_247, SEH_LIMITED)
# resource, where today's amount comes from, and the simulated yearly volume that fills it
RESOURCES = (
    (
        "ambulances, weekday daytime (share of the national fleet)",
        "ambulances",
        "ambulance_deployments",
    ),
    ("SEH treatment bays", "seh_bays", "seh_visits"),
    ("hospital beds of the open SEH sites (grown with acute admissions)", "beds", "admissions"),
)


def providers(data: Dataset, network: ServiceNetwork, area: StudyArea) -> pd.DataFrame:
    """The open hospital sites in the region: SEH status in the network, beds, bays, operating
    rooms and their complex-care volume a year per intervention."""
    codes = set(area.municipalities["municipality_code"])
    sites = network.sites
    sites = sites[sites["municipality_code"].isin(codes) & sites["open"]]
    cols = ["site_id", "name", "town", "seh_status", "seh_bays", "beds", "icu_beds"]
    out = sites[[*cols, "operating_rooms"]].copy()
    volumes = data.site_interventions.pivot_table(
        index="site_id", columns="intervention", values="annual_volume", aggfunc="sum"
    )
    out = out.merge(volumes, left_on="site_id", right_index=True, how="left")
    return out.fillna({c: 0 for c in volumes.columns}).reset_index(drop=True)


def today_capacity(sites: pd.DataFrame, ambulances: float) -> dict[str, float]:
    """What the region holds today: its share of the national fleet, and the treatment bays and
    beds of the sites whose SEH the network keeps open, where acute patients are seen and taken
    in. A hospital without an SEH (or with its SEH closed) takes no acute admissions, so its
    beds do not grow with them; the data does not split a site's beds, so the SEH sites' elective
    and complex-care beds are in the count (docs/regiobeeld.md)."""
    open_seh = sites["seh_status"].isin(SEH_OPEN)
    return {
        "ambulances": float(ambulances),
        "seh_bays": float(sites.loc[open_seh, "seh_bays"].sum()),
        "beds": float(sites.loc[open_seh, "beds"].sum()),
    }


def capacity_table(today: dict[str, float], now: dict, horizon: dict) -> pd.DataFrame:
    """One row per resource: today's amount, the volume that fills it now and at the horizon
    (means over each year's replications), the amount needed then at today's occupancy with its
    95 % interval, and the gap in the resource's own units and relative to today (beds, bays
    and ambulances compare only so). The need is the mean over replications of today's amount
    times that replication's growth, the years paired by replication (the same seeds)."""
    rows = []
    for label, key, driver in RESOURCES:
        have = float(today[key])
        v_now = _volumes(now, driver)
        v_then = _volumes(horizon, driver)
        # A replication without the volume today has no growth to read: no need from it
        # (NaN, left out of the mean), not today's amount as if nothing grew.
        grown = [
            have * b / a if a > 0 else float("nan") for a, b in zip(v_now, v_then, strict=True)
        ]
        needed = mean_ci(pd.Series(grown, dtype=float), within=(0.0, None))
        rows.append(
            {
                "resource": label,
                "today": have,
                "driver": driver,
                f"volume_{now['year']}": float(np.mean(v_now)),
                f"volume_{horizon['year']}": float(np.mean(v_then)),
                f"needed_{horizon['year']}": needed["mean"],
                f"needed_{horizon['year']}_ci_low": needed["ci_low"],
                f"needed_{horizon['year']}_ci_high": needed["ci_high"],
                "gap": needed["mean"] - have,
                "relative_gap": needed["mean"] / have - 1 if have > 0 else float("nan"),
                "replications": needed["n"],
            }
        )
    table = pd.DataFrame(rows)
    bounds = [f"needed_{horizon['year']}_ci_{b}" for b in ("low", "high")]
    table[bounds] = table[bounds].astype(float)
    return table


def _volumes(profile: dict, driver: str) -> list[float]:
    """A year's simulated volume a year of `driver`, one per replication."""
    return [float(v) for v in profile["volumes_by_replication"][driver]]
