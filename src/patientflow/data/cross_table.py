"""What the model needs across the dataset's tables, beyond each table's own columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.errors import Problem


def cross_table_problems(
    tables: dict[str, pd.DataFrame], paths: dict[str, Path], lines: dict[str, np.ndarray]
) -> list[Problem]:
    """What the model needs across tables, beyond each table's own columns: hours for every
    limited-hours SEH, demand points for every inhabited municipality, an ambulance post in
    every safety region and a ZCC option in every ROAZ region with inhabitants, islands whose
    box is a box. Each problem names the file and row (`lines`: each table row's line in its
    file) that must change."""
    problems: list[Problem] = []
    posts_df, posts_file = tables["ambulance_posts"], str(paths["ambulance_posts"])
    post_line = lines["ambulance_posts"]
    part_time = posts_df["availability"].isin(("day_evening", "night"))
    for i in np.flatnonzero(part_time.to_numpy()):
        for col in ("open", "close"):
            if not str(posts_df[col].iat[i] or "").strip():
                problems.append(
                    Problem(
                        posts_file,
                        int(post_line[i]),
                        col,
                        f"a {posts_df['availability'].iat[i]} post needs its hours (HH:MM); "
                        "without them it would get no vehicle",
                    )
                )
    sites, file, site_line = tables["sites"], str(paths["sites"]), lines["sites"]
    for i in np.flatnonzero((sites["seh_hours"] == "limited").to_numpy()):
        row = sites.iloc[i]
        for col in ("seh_open", "seh_close"):
            if not row[col]:
                problems.append(
                    Problem(
                        file,
                        int(site_line[i]),
                        col,
                        "an SEH with limited hours needs its clock times",
                    )
                )
        if row["seh_open"] and row["seh_open"] == row["seh_close"]:
            problems.append(Problem(file, int(site_line[i]), "seh_close", "equals seh_open"))
    for i in np.flatnonzero(((sites["seh"] == 1) & (sites["seh_hours"] == "none")).to_numpy()):
        problems.append(
            Problem(file, int(site_line[i]), "seh_hours", "'none' for a site with an SEH")
        )
    for i in np.flatnonzero(((sites["seh"] == 0) & (sites["seh_hours"] != "none")).to_numpy()):
        problems.append(
            Problem(file, int(site_line[i]), "seh_hours", "hours for a site without an SEH")
        )
    munis, mfile = tables["municipalities"], str(paths["municipalities"])
    muni_line = lines["municipalities"]
    inhabited = munis["population"] > 0
    points = tables["demand_points"]
    with_points = set(points.loc[points["population"] > 0, "municipality_code"])
    for i in np.flatnonzero((inhabited & ~munis["municipality_code"].isin(with_points)).to_numpy()):
        problems.append(
            Problem(
                mfile,
                int(muni_line[i]),
                "municipality_code",
                f"'{munis['municipality_code'].iat[i]}' has inhabitants but no demand point "
                f"with inhabitants in {paths['demand_points']}",
            )
        )
    problems += _points_sum_to_municipalities(munis, points, mfile, muni_line, paths)
    posts = set(tables["ambulance_posts"]["vr_code"])
    zcc = tables["zcc_options"]
    zcc_roaz = set(zcc.loc[zcc["level"] == "roaz", "region_code"])
    for col, known, what, where in (
        ("vr_code", posts, "no ambulance post", paths["ambulance_posts"]),
        ("roaz_code", zcc_roaz, "no ZCC option at level roaz", paths["zcc_options"]),
    ):
        seen: set[str] = set()
        for i in np.flatnonzero(inhabited.to_numpy()):
            code = munis[col].iat[i]
            if code not in known and code not in seen:
                seen.add(code)
                problems.append(
                    Problem(
                        mfile,
                        int(muni_line[i]),
                        col,
                        f"region '{code}' has inhabitants but {what} in {where}",
                    )
                )
    if tables["gp_posts"].empty:
        problems.append(Problem(str(paths["gp_posts"]), None, None, "no GP post"))
    islands, ifile, island_line = tables["islands"], str(paths["islands"]), lines["islands"]
    for lo, hi in (("lat_min", "lat_max"), ("lon_min", "lon_max")):
        for i in np.flatnonzero((islands[lo] >= islands[hi]).to_numpy()):
            problems.append(Problem(ifile, int(island_line[i]), hi, f"must be greater than {lo}"))
    return problems


# How far a municipality's demand points may sum from its population: the embedded ones agree
# exactly (data README); a user's PC4 figures of another date may differ a little.
POINTS_TOLERANCE = 0.01


def _points_sum_to_municipalities(
    munis: pd.DataFrame,
    points: pd.DataFrame,
    file: str,
    muni_line: np.ndarray,
    paths: dict[str, Path],
) -> list[Problem]:
    """A problem per municipality whose demand points hold another population than its own:
    demand=pc4 reads the points, demand=municipality the municipality, and the accessibility
    summary both, so a population edited in one table alone ran with two."""
    held = points.groupby("municipality_code")["population"].sum()
    held = munis["municipality_code"].map(held).fillna(0).to_numpy(dtype=float)
    own = munis["population"].to_numpy(dtype=float)
    off = np.abs(held - own) > np.maximum(POINTS_TOLERANCE * own, 1.0)
    return [
        Problem(
            file,
            int(muni_line[i]),
            "population",
            f"{int(own[i]):,} inhabitants in '{munis['municipality_code'].iat[i]}', but its demand "
            f"points in {paths['demand_points']} hold {int(held[i]):,}: the two must agree "
            f"within {POINTS_TOLERANCE:.0%} (demand=pc4 reads the points, demand=municipality "
            "the municipality): give demand points of the same date as the municipalities "
            "(data.tables.demand_points), or scale this municipality's points to its population",
        )
        for i in np.flatnonzero(off)
    ]
