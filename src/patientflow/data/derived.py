"""Tables a user's data folder may leave out, derived from the others by the rules the data
README documents."""

from __future__ import annotations

import pandas as pd

from patientflow.data.schema import TABLES


def vascular_networks_by_rule(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The default vascular networks: each hospital's ROAZ region (the data README's rule),
    for a data folder that has no vascular_networks.csv."""
    sites, munis = tables.get("sites"), tables.get("municipalities")
    if sites is None or munis is None or sites.empty or "roaz_code" not in sites:
        return pd.DataFrame(
            columns=["site_id", "vascular_network", "vascular_network_name", "basis"]
        )
    names = munis.drop_duplicates("roaz_code").set_index("roaz_code")["roaz_name"]
    out = pd.DataFrame(
        {
            "site_id": sites["site_id"],
            "vascular_network": sites["roaz_code"],
            "vascular_network_name": sites["roaz_code"].map(names).fillna(sites["roaz_code"]),
            "basis": "roaz_rule",
        }
    )
    return out.sort_values("site_id").reset_index(drop=True)


def zcc_subregions_by_rule(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The default ZCC sub-regions: each safety region's part of a ROAZ region (the data
    README's rule; 28 sub-regions, ROAZ Midden-Nederland one of 1.4 M people)."""
    munis = tables.get("municipalities")
    cols = ["municipality_code", "subregion_code", "subregion_name", "basis"]
    if munis is None or munis.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(
        {
            "municipality_code": munis["municipality_code"],
            "subregion_code": munis["roaz_code"] + "-" + munis["vr_code"],
            "subregion_name": munis["roaz_name"] + " / " + munis["vr_name"],
            "basis": "roaz_x_vr_rule",
        }
    )
    return out.sort_values("municipality_code").reset_index(drop=True)[cols]


def no_water(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """No water barriers: every trip is the straight line times the detour factor."""
    schema = next(t for t in TABLES if t.name == name)
    return pd.DataFrame(columns=[c.name for c in schema.columns])


# Tables a user's data folder may leave out: derived from the others by a documented rule.
DERIVED_WHEN_ABSENT = {
    "vascular_networks": vascular_networks_by_rule,
    "zcc_subregions": zcc_subregions_by_rule,
    "water_zones": lambda tables: no_water(tables, "water_zones"),
    "water_crossings": lambda tables: no_water(tables, "water_crossings"),
}
