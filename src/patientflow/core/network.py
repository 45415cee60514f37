"""Service network: which site or post provides which service under a network configuration.

The 2025 baseline comes from the data; a network config closes sites for good
(`closed_sites`) or at night (`night_closures`). This module is the one place where a site's
status is decided: `sites["open"]`, `sites["seh_status"]` and each SEH's `OpenHours`; every
job asks the network, none derives it again. A site with any closed hour no longer counts as
a 24/7 emergency department, which is what the 45-minute norm is about.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.config.clock import is_clock
from patientflow.config.schema import NetworkConfig, RunConfig
from patientflow.config.validate import Problems
from patientflow.core.hours import OpenHours, open_at
from patientflow.data import Dataset

SEH_247 = "seh_247"
SEH_ANY = "seh"
HOSPITAL = "hospital"
GP_POST = "gp_post"
AMBULANCE_POST = "ambulance_post"
BASE_SERVICES = (SEH_247, SEH_ANY, HOSPITAL, GP_POST, AMBULANCE_POST)

# sites["seh_status"]: what the network makes of a site's emergency department.
SEH_OPEN_247 = "open_247"
SEH_LIMITED = "limited_hours"
SEH_CLOSED = "closed_in_network"
SEH_NONE = "none"


@dataclass(frozen=True)
class Provider:
    """The providers of one service: a frame with id, name, lat, lon, municipality_code."""

    service: str
    frame: pd.DataFrame


@dataclass
class ServiceNetwork:
    """Sites with their status under the configuration, and the providers of each service."""

    name: str
    sites: pd.DataFrame
    providers: dict[str, Provider]
    closed_sites: tuple[str, ...]
    night_closed_sites: tuple[str, ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.providers)

    def emergency_departments(self) -> pd.DataFrame:
        """The SEHs that take patients in this network (24/7 or limited hours), in site order,
        with their `hours` (OpenHours); closed ones are not there."""
        seh = self.sites[self.sites["seh_any"]].reset_index(drop=True)
        return seh.assign(hours=[_hours(row) for _, row in seh.iterrows()])

    def seh_open_at(self, minute_of_day: float) -> np.ndarray:
        """Per site (rows of `sites`): an SEH open at this clock time (minutes after midnight)."""
        return open_at([_hours(row) for _, row in self.sites.iterrows()], minute_of_day)


def _hours(row: pd.Series) -> OpenHours:
    return OpenHours.of_site(
        bool(row["seh_any"]), row["seh_hours"], row["seh_open"], row["seh_close"]
    )


def check_network(cfg: NetworkConfig, sites: pd.DataFrame, problems: Problems) -> None:
    """Every site a network config names must exist (and, to be night-closed, have an open
    SEH); it must leave at least one SEH open around the clock."""
    known = set(sites["site_id"])
    seh_open = set(sites.loc[(sites["seh"] == 1) & (sites["status_2025"] == "open"), "site_id"])
    for i, site in enumerate(cfg.closed_sites):
        if site not in known:
            problems.add(f"network.closed_sites[{i}]", site, "is not a site id in the sites table")
    closed = {site: i for i, site in reversed(list(enumerate(cfg.closed_sites)))}
    night: dict[str, int] = {}
    for i, nc in enumerate(cfg.night_closures):
        key = f"network.night_closures[{i}].site"
        if nc.site not in known:
            problems.add(key, nc.site, "is not a site id in the sites table")
        elif nc.site not in seh_open:
            problems.add(key, nc.site, "has no open emergency department to close at night")
        elif nc.site in closed:
            problems.add(
                key,
                nc.site,
                f"is closed for good (network.closed_sites[{closed[nc.site]}]): a site is "
                "either closed or closed at night",
            )
        elif nc.site in night:
            problems.add(
                key,
                nc.site,
                f"is night-closed already (network.night_closures[{night[nc.site]}]): give "
                "one closure per site",
            )
        night.setdefault(nc.site, i)
        if is_clock(nc.close) and is_clock(nc.open) and nc.close == nc.open:
            problems.add(f"network.night_closures[{i}].close", nc.close, "equals the opening time")
    shut = set(cfg.closed_sites) | {nc.site for nc in cfg.night_closures}
    open_247 = (
        (sites["seh"] == 1) & (sites["status_2025"] == "open") & (sites["seh_hours"] == "24/7")
    )
    if not (open_247 & ~sites["site_id"].isin(shut)).any():
        problems.add(
            "network",
            cfg.name,
            "closes (or night-closes) every emergency department that is open around the "
            "clock: acute patients would have nowhere to go at night",
        )


def build_network(data: Dataset, cfg: NetworkConfig) -> ServiceNetwork:
    """Apply closures to the 2025 sites and list the providers of every service."""
    problems = Problems()
    check_network(cfg, data.sites, problems)
    problems.raise_if_any()
    sites = data.sites.copy()
    closed = set(cfg.closed_sites)
    night = {nc.site for nc in cfg.night_closures}
    sites["open"] = (sites["status_2025"] == "open") & ~sites["site_id"].isin(closed)
    has_seh = sites["open"] & (sites["seh"] == 1)
    sites["seh_open_247"] = has_seh & (sites["seh_hours"] == "24/7") & ~sites["site_id"].isin(night)
    sites["seh_any"] = has_seh
    for nc in cfg.night_closures:
        row = sites["site_id"] == nc.site
        sites.loc[row, "seh_open"] = nc.open
        sites.loc[row, "seh_close"] = nc.close
        sites.loc[row, "seh_hours"] = "limited"
    had_seh = (sites["seh"] == 1) & (sites["status_2025"] == "open")
    sites["seh_status"] = np.select(
        [sites["seh_open_247"], has_seh, had_seh],
        [SEH_OPEN_247, SEH_LIMITED, SEH_CLOSED],
        default=SEH_NONE,
    )

    def frame(mask: pd.Series) -> pd.DataFrame:
        cols = ["site_id", "name", "lat", "lon", "municipality_code"]
        return sites.loc[mask, cols].rename(columns={"site_id": "id"}).reset_index(drop=True)

    providers = {
        SEH_247: Provider(SEH_247, frame(sites["seh_open_247"])),
        SEH_ANY: Provider(SEH_ANY, frame(sites["seh_any"])),
        HOSPITAL: Provider(HOSPITAL, frame(sites["open"])),
        GP_POST: Provider(GP_POST, _posts(data.gp_posts)),
        AMBULANCE_POST: Provider(AMBULANCE_POST, _posts(data.ambulance_posts)),
    }
    open_ids = set(sites.loc[sites["open"], "site_id"])
    si = data.site_interventions
    for intervention in data.interventions["intervention"]:
        ids = set(
            si.loc[(si["intervention"] == intervention) & (si["annual_volume"] > 0), "site_id"]
        )
        providers[intervention] = Provider(
            intervention, frame(sites["site_id"].isin(ids & open_ids))
        )
    return ServiceNetwork(
        name=cfg.name,
        sites=sites,
        providers=providers,
        closed_sites=tuple(sorted(closed)),
        night_closed_sites=tuple(sorted(night)),
    )


def _posts(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["post_id", "name", "lat", "lon", "municipality_code"]
    return df[cols].rename(columns={"post_id": "id"}).reset_index(drop=True)


def vascular_grouping(data: Dataset, cfg: RunConfig) -> pd.DataFrame:
    """Each hospital's vascular network: the data's table (by default the ROAZ rule), with
    the network configuration's `vascular_networks` (network code -> site ids) moving the
    sites it lists."""
    table = data.vascular_networks[["site_id", "vascular_network", "vascular_network_name"]]
    moves = {site: code for code, sites in cfg.network.vascular_networks.items() for site in sites}
    if not moves:
        return table.reset_index(drop=True)
    kept = table[~table["site_id"].isin(moves)]
    added = pd.DataFrame(
        {
            "site_id": list(moves),
            "vascular_network": list(moves.values()),
            "vascular_network_name": list(moves.values()),
        }
    )
    names = table.drop_duplicates("vascular_network").set_index("vascular_network")[
        "vascular_network_name"
    ]
    added["vascular_network_name"] = (
        added["vascular_network"].map(names).fillna(added["vascular_network"])
    )
    return pd.concat([kept, added], ignore_index=True).sort_values("site_id")
