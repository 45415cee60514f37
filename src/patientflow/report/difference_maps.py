"""Difference maps of a sweep: per municipality, a scenario's ambulance minutes from the call to
the nearest 24/7 SEH minus the baseline's, on the shipped municipal boundaries."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data import default_data_dir
from patientflow.report.figures import (
    EMBEDDED_BOUNDARIES,
    credit_boundaries,
    draw_labels,
    plt,
    save_figure,
    scale_bar,
    to_km,
)
from patientflow.report.jobs import Job, read_table
from patientflow.report.labels import EN, Labels

COLUMNS = ["municipality_code", "name", "ambulance_min_to_seh"]
NAMED = 6  # the municipalities whose minutes grow most are named
SHOWN_MIN = 0.5  # changes smaller than this (minutes) are drawn as no change
ZOOM_MARGIN_KM = 30.0


def _polygons(path: Path) -> dict[str, list[np.ndarray]]:
    """Each municipality's rings in km (the map's projection)."""
    out: dict[str, list[np.ndarray]] = {}
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = []
        for poly in polys:
            arr = np.asarray(poly[0], float)
            x, y = to_km(arr[:, 1], arr[:, 0])
            rings.append(np.column_stack([x, y]))
        out[f["properties"]["municipality_code"]] = rings
    return out


def difference_maps(
    jobs: list[Job],
    base: Job,
    labels: dict[str, str],
    out: Path,
    dpi: int = 120,
    tr: Labels = EN,
) -> list[Path]:
    """One map per job whose picture differs from the baseline's (a closure, a concentration):
    municipalities coloured by the change in minutes, red where they grow."""
    ref_path = base.path / "accessibility.parquet"
    if not ref_path.is_file():
        return []
    ref = read_table(ref_path, COLUMNS).set_index("municipality_code")
    places = pd.read_csv(default_data_dir() / "municipalities.csv").set_index("municipality_code")
    ref = ref.join(places[["lat", "lon"]], how="left")
    shapes = _polygons(EMBEDDED_BOUNDARIES)
    paths = []
    for job in jobs:
        path = job.path / "accessibility.parquet"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        new = read_table(path, COLUMNS).set_index("municipality_code")
        change = (new["ambulance_min_to_seh"] - ref["ambulance_min_to_seh"]).dropna()
        if (change.abs() < SHOWN_MIN).all():
            continue
        name = labels.get(job.path.name, job.path.name)
        paths.append(
            _draw(
                change,
                ref,
                shapes,
                name,
                labels.get(base.path.name, tr("baseline")),
                out / f"difference_map_{job.path.name}.png",
                dpi,
                tr,
            )
        )
    return paths


def _draw(
    change: pd.Series,
    ref: pd.DataFrame,
    shapes: dict[str, list[np.ndarray]],
    name: str,
    base_name: str,
    path: Path,
    dpi: int,
    tr: Labels,
) -> Path:
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import TwoSlopeNorm

    codes = [c for c in change.index if c in shapes]
    rings, values = [], []
    for c in codes:
        for ring in shapes[c]:
            rings.append(ring)
            values.append(change[c] if abs(change[c]) >= SHOWN_MIN else 0.0)
    top = max(1.0, float(np.ceil(change.abs().max())))
    fig, ax = plt.subplots(figsize=(8, 9.2))
    coll = PolyCollection(
        rings,
        array=np.asarray(values),
        cmap="RdBu_r",
        norm=TwoSlopeNorm(vcenter=0.0, vmin=-top, vmax=top),
        edgecolors="#777777",
        linewidths=0.2,
    )
    ax.add_collection(coll)
    grown = change[change >= SHOWN_MIN].nlargest(NAMED)
    if len(grown):
        draw_labels(ax, ref.loc[grown.index, ["name", "lat", "lon"]].dropna())
    ax.autoscale_view()
    moved = [r for c in change.index[change.abs() >= SHOWN_MIN] if c in shapes for r in shapes[c]]
    if moved:  # zoom to where the picture changed, with its surroundings
        pts = np.vstack(moved)
        lo, hi = pts.min(axis=0) - ZOOM_MARGIN_KM, pts.max(axis=0) + ZOOM_MARGIN_KM
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.set_axis_off()
    cb = fig.colorbar(coll, ax=ax, shrink=0.55, pad=0.01)
    cb.set_label(tr("difference_map_scale"))
    scale_bar(ax, ax.get_xlim(), ax.get_ylim())
    credit_boundaries(ax)
    worst = change.max()
    ax.set_title(
        tr(
            "difference_map_title",
            name=textwrap.fill(name, 80),
            base=base_name,
            further=int((change >= SHOWN_MIN).sum()),
            worst=worst,
            shown=SHOWN_MIN,
        ),
        fontsize=10,
    )
    fig.tight_layout()
    save_figure(fig, path, dpi)
    return path
