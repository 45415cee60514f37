"""The networks' side of the impact analysis: each demand point's vascular network, the
referrals between hospitals, and each vascular network against its quality standard."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patientflow.care.impact_patients import PathwayFlows
from patientflow.care.study import CareProblem, network_of_points
from patientflow.config.schema import RunConfig

CRITERIA = (
    "network_volume",
    "repair_centres",
    "rota_surgeons_supported",
    "interventional_radiology_centres",
    "share_within_max_minutes",
)


def vascular_of_points(problems: dict[str, CareProblem], vascular: pd.DataFrame) -> np.ndarray:
    """A demand point's vascular network: that of its nearest hospital (by car) in a vascular
    network, as the vascular interventions' problems hold it."""
    for problem in problems.values():
        if problem.config.group == "vascular" and len(problem.point_network):
            return problem.point_network
    anchor = next(iter(problems.values()))
    nets = anchor.candidates["id"].map(vascular.set_index("site_id")["vascular_network"])
    return network_of_points(anchor.minutes, nets.fillna("").to_numpy())


def flow_rows(pf: PathwayFlows, problem: CareProblem) -> pd.DataFrame:
    """Referrals between hospitals: patients a year from today's provider to the new one."""
    ids = problem.candidates["id"].to_numpy()
    df = pd.DataFrame({"from_site": ids[pf.src], "to_site": ids[pf.dst], "patients": pf.patients})
    out = df.groupby(["from_site", "to_site"], as_index=False)["patients"].sum()
    out.insert(0, "intervention", pf.name)
    out["moved"] = out["from_site"] != out["to_site"]
    return out


def vascular_standard_rows(
    per_iv: pd.DataFrame,
    problems: dict[str, CareProblem],
    vascular: pd.DataFrame,
    vascular_of_point: np.ndarray,
    cfg: RunConfig,
) -> pd.DataFrame:
    """Each vascular network against the quality standard, today and in the network: its
    AAA and carotid volume, repair centres, the vascular surgeons its volume supports (for a
    24/7 rota), interventional radiology at a repair centre, and the share of its patients
    within the maximum ambulance minutes of a repair centre. A network without aneurysm
    patients in the study area is not assessed (no row)."""
    std = cfg.care.impact.vascular
    network_of = vascular.set_index("site_id")["vascular_network"]
    names = vascular.drop_duplicates("vascular_network").set_index("vascular_network")[
        "vascular_network_name"
    ]
    vasc = per_iv[per_iv["group"] == "vascular"].assign(
        vascular_network=lambda d: d["site_id"].map(network_of)
    )
    aaa = problems.get("aaa_repair")
    rows = []
    for net in sorted(names.index):
        sel = vascular_of_point == net
        if aaa is None or aaa.weight[sel].sum() <= 0:
            continue
        mine = vasc[vasc["vascular_network"] == net]
        for when in ("current", "new"):
            aaa_sites = mine[
                (mine["intervention"] == "aaa_repair") & (mine[f"operations_{when}"] > 1e-9)
            ]
            volume = float(mine[f"operations_{when}"].sum())
            supported = float(
                sum(
                    np.floor(
                        r[f"operations_{when}"] / problems[r["intervention"]].config.ops_per_surgeon
                    )
                    for _, r in mine.iterrows()
                )
            )
            centres = list(aaa_sites["site_id"])
            ir = [s for s in centres if not std.ir_sites or s in std.ir_sites]
            ids = list(aaa.candidates["id"])
            w = aaa.weight[sel]
            within = 0.0
            if centres:
                best = aaa.ambulance[np.ix_(sel, [ids.index(c) for c in centres])].min(axis=1)
                within = float(w[best <= std.max_minutes].sum() / w.sum())
            checks = {
                "network_volume": (
                    volume,
                    std.min_network_volume,
                    volume >= std.min_network_volume,
                ),
                "repair_centres": (
                    len(centres),
                    std.min_repair_centres,
                    len(centres) >= std.min_repair_centres,
                ),
                "rota_surgeons_supported": (
                    supported,
                    std.min_rota_surgeons,
                    supported >= std.min_rota_surgeons,
                ),
                "interventional_radiology_centres": (len(ir), 1, len(ir) >= 1),
                "share_within_max_minutes": (
                    within,
                    std.max_minutes_share,
                    within >= std.max_minutes_share,
                ),
            }
            row = {"vascular_network": net, "name": names[net], "network_config": when}
            for crit, (value, required, met) in checks.items():
                row[crit] = value
                row[f"{crit}_required"] = required
                row[f"{crit}_met"] = bool(met)
            row["meets_standard"] = all(bool(c[2]) for c in checks.values())
            row["failing"] = ", ".join(k for k, c in checks.items() if not c[2])
            rows.append(row)
    columns = ["vascular_network", "name", "network_config"]
    for crit in CRITERIA:
        columns += [crit, f"{crit}_required", f"{crit}_met"]
    return pd.DataFrame(rows, columns=[*columns, "meets_standard", "failing"])
