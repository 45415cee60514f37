"""Figures of the accessibility picture: a hexagon map of ambulance minutes to the nearest 24/7
SEH with the sites drawn, and cumulative distributions of travel time."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import (  # noqa: E402
    BoundaryNorm,
    LinearSegmentedColormap,
    ListedColormap,
    to_hex,
)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from scipy.spatial import cKDTree  # noqa: E402

from patientflow.core.files import written  # noqa: E402
from patientflow.core.network import SEH_CLOSED, SEH_LIMITED, SEH_OPEN_247  # noqa: E402
from patientflow.data import default_data_dir  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402

EMBEDDED_BOUNDARIES = default_data_dir() / "municipal_boundaries.geojson"
KM_PER_DEG_LAT = 110.57
REF_LAT = 52.2
# Colours of the minutes within the norm (green to orange), and the two beyond it: up to 15
# minutes over (red) and more (purple).
WITHIN_COLOURS = ("#1a9850", "#66bd63", "#a6d96a", "#d9ef8b", "#fee08b", "#fdae61", "#f46d43")
BEYOND_COLOURS = ("#a50026", "#4d004b")
STEPS_MIN = (15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 75, 90, 105, 120)


def upper_inclusive(minutes: np.ndarray) -> np.ndarray:
    """Minutes moved down by one unit in the last place, so that a class of the map holds its
    upper bound, as the tables count "within 45 minutes" (at most 45): a colour scale's class
    holds its lower bound, and exactly 45.0 was drawn beyond the norm. Never below 0."""
    return np.maximum(np.nextafter(np.asarray(minutes, dtype=float), -np.inf), 0.0)


def map_bins(norm_min: float) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Class bounds of the map (minutes) and their colours: up to seven classes within the
    norm, the norm itself as a bound, then norm + 15 minutes and beyond."""
    below = [b for b in STEPS_MIN if b < norm_min][-(len(WITHIN_COLOURS) - 1) :]
    bins = (0.0, *map(float, below), float(norm_min), norm_min + 15.0, max(240.0, norm_min + 60))
    k = len(bins) - 3
    within = (
        WITHIN_COLOURS
        if k == len(WITHIN_COLOURS)
        else tuple(
            to_hex(c)
            for c in LinearSegmentedColormap.from_list("within", WITHIN_COLOURS)(
                np.linspace(0, 1, k)
            )
        )
    )
    return bins, within + BEYOND_COLOURS


def save_figure(fig: Figure, out: Path, dpi: int) -> None:
    """Save a figure complete or not at all (written under a temporary name), and close it."""
    with written(out) as tmp:
        fig.savefig(tmp, dpi=dpi)
    plt.close(fig)


def to_km(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular projection around 52.2 N, in km: fine for a country this size."""
    kx = KM_PER_DEG_LAT * np.cos(np.radians(REF_LAT)) * 1.0026
    return np.asarray(lon) * kx, np.asarray(lat) * KM_PER_DEG_LAT


def hex_cells(
    x: np.ndarray, y: np.ndarray, cell_km: float, reach_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres of a hexagonal grid over the points, keeping cells within reach of a point, and
    the index of each kept cell's nearest point."""
    dx = cell_km * np.sqrt(3)
    dy = cell_km * 1.5
    ys = np.arange(y.min() - cell_km, y.max() + cell_km, dy)
    xs = np.arange(x.min() - dx, x.max() + dx, dx)
    gx, gy = np.meshgrid(xs, ys)
    gx = gx + np.where((np.arange(len(ys)) % 2)[:, None] == 1, dx / 2, 0.0)
    cx, cy = gx.ravel(), gy.ravel()
    dist, idx = cKDTree(np.column_stack([x, y])).query(np.column_stack([cx, cy]))
    keep = dist <= reach_km
    return cx[keep], cy[keep], idx[keep]


def hexagon(cx: np.ndarray, cy: np.ndarray, size: float) -> np.ndarray:
    ang = np.radians(np.arange(6) * 60 + 30)
    return np.stack([cx[:, None] + size * np.cos(ang), cy[:, None] + size * np.sin(ang)], axis=-1)


def _draw_boundaries(ax: Axes, path: str | Path) -> None:
    """Outline the polygons of a GeoJSON file the user names (WGS84)."""
    geo = json.loads(Path(path).read_text(encoding="utf-8"))
    feats = geo["features"] if geo.get("type") == "FeatureCollection" else [geo]
    for f in feats:
        g = f.get("geometry", f)
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            for ring in poly:
                arr = np.asarray(ring, float)
                x, y = to_km(arr[:, 1], arr[:, 0])
                ax.plot(x, y, color="#555555", lw=0.3, zorder=2)


def accessibility_map(
    points: pd.DataFrame,
    sites: pd.DataFrame,
    out: Path,
    *,
    title: str,
    cell_km: float = 2.5,
    norm_min: float,
    boundary_file: str | Path | None = None,
    labels: pd.DataFrame | None = None,
    dpi: int = 150,
    tr: Labels = EN,
) -> Path:
    """Map of ambulance minutes to the nearest open 24/7 SEH (response allowance included);
    with the boundaries of a GeoJSON file and names at points (`labels`: name, lat, lon)."""
    x, y = to_km(points["lat"].to_numpy(), points["lon"].to_numpy())
    cx, cy, idx = hex_cells(x, y, cell_km, reach_km=max(2.0 * cell_km, 4.5))
    values = upper_inclusive(points["ambulance_min_to_seh"].to_numpy()[idx])
    bins, colours = map_bins(norm_min)
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(bins, cmap.N)
    fig, ax = plt.subplots(figsize=(8, 9.2))
    coll = PolyCollection(
        # an (N, 6, 2) array of vertices, which matplotlib documents and takes as is; its stub
        # asks for a Sequence
        hexagon(cx, cy, cell_km),  # type: ignore[arg-type]
        array=values,
        cmap=cmap,
        norm=norm,
        edgecolors="face",
        linewidths=0.2,
    )
    ax.add_collection(coll)
    if boundary_file:
        _draw_boundaries(ax, boundary_file)
        if Path(boundary_file) == EMBEDDED_BOUNDARIES:
            credit_boundaries(ax)
    xlim = (cx.min() - 5 * cell_km, cx.max() + 5 * cell_km)
    ylim = (cy.min() - 5 * cell_km, cy.max() + 5 * cell_km)
    sx, sy = to_km(sites["lat"].to_numpy(), sites["lon"].to_numpy())
    in_view = (sx >= xlim[0]) & (sx <= xlim[1]) & (sy >= ylim[0]) & (sy <= ylim[1])
    _draw_sites(ax, sites[in_view], norm_min, tr)
    if labels is not None:
        draw_labels(ax, labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    top = (bins[-2] + bins[-1]) / 2
    cb = fig.colorbar(coll, ax=ax, shrink=0.55, pad=0.01, ticks=bins[:-1] + (top,))
    cb.ax.set_yticklabels([f"{b:g}" for b in bins[:-1]] + [f">{bins[-2]:g}"])
    cb.ax.tick_params(length=0)
    cb.set_label(tr("map_scale", norm=norm_min))
    scale_bar(ax, xlim, ylim)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out


def credit_boundaries(ax: Axes) -> None:
    """The attribution the shipped CBS/Kadaster boundaries require, under the map."""
    ax.text(
        1.0,
        -0.01,
        "Bron: CBS, Kadaster",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=7,
        color="#555555",
    )


def draw_labels(ax: Axes, labels: pd.DataFrame) -> None:
    """Names at their points, small and haloed so they read over the colours."""
    lx, ly = to_km(labels["lat"].to_numpy(), labels["lon"].to_numpy())
    for x, y, name in zip(lx, ly, labels["name"], strict=True):
        ax.annotate(
            str(name),
            (x, y),
            fontsize=6.5,
            ha="center",
            va="center",
            zorder=6,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
        )


def _draw_sites(ax: Axes, sites: pd.DataFrame, norm_min: float, tr: Labels = EN) -> None:
    """The SEHs by their status in the network (core/network.py decides it, sites["seh_status"])."""
    status = sites["seh_status"]
    kinds = (
        (status == SEH_OPEN_247, "o", "white", "black", tr("seh_24_7")),
        (status == SEH_LIMITED, "o", "#ffb000", "black", tr("seh_limited")),
        (status == SEH_CLOSED, "X", "#d7191c", "black", tr("seh_closed")),
    )
    handles: list[Artist] = []
    for mask, marker, face, edge, label in kinds:
        sub = sites[mask.to_numpy()]
        if len(sub):
            sx, sy = to_km(sub["lat"].to_numpy(), sub["lon"].to_numpy())
            ax.scatter(
                sx,
                sy,
                s=60 if marker == "X" else 22,
                marker=marker,
                facecolor=face,
                edgecolor=edge,
                lw=0.8,
                zorder=5,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    ls="",
                    markerfacecolor=face,
                    markeredgecolor=edge,
                    label=f"{label} ({len(sub)})",
                )
            )
    handles.append(Patch(facecolor=BEYOND_COLOURS[0], label=tr("beyond_norm", norm=norm_min)))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        ncol=2,
        fontsize=8,
        frameon=False,
    )


def scale_bar(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """A bar of a round length, about a fifth of the map's width, in its lower right corner."""
    width = xlim[1] - xlim[0]
    km = next(k for k in (100, 50, 20, 10, 5, 2, 1) if k <= width / 5)
    x1, y0 = xlim[1] - 0.03 * width, ylim[0] + 0.02 * (ylim[1] - ylim[0])
    ax.plot([x1 - km, x1], [y0, y0], color="black", lw=2, solid_capstyle="butt")
    ax.text(x1 - km / 2, y0 + 0.01 * width, f"{km:g} km", ha="center", va="bottom", fontsize=8)


def travel_cdf(
    points: pd.DataFrame,
    out: Path,
    *,
    title: str,
    norm_min: float,
    dpi: int = 150,
    tr: Labels = EN,
) -> Path:
    """Share of the population reached by travel minutes per service (left), and the number of
    inhabitants beyond each minute on a log scale, where the norm's tail shows (right)."""
    series = {
        tr("cdf_ambulance_seh"): "ambulance_min_to_seh",
        tr("cdf_car_seh"): "car_min_seh_247",
        tr("cdf_car_hospital"): "car_min_hospital",
        tr("cdf_car_gp"): "car_min_gp_post",
    }
    # where two services coincide (the islands: the nearest hospital is the 24/7 SEH) the
    # wider solid line shows under the dashed one instead of vanishing beneath it
    styles = [("-", 1.6), ("-", 2.6), ("--", 1.6), (":", 1.8)]
    w = points["population"].to_numpy(dtype=float)
    fig, (ax, tail) = plt.subplots(1, 2, figsize=(11, 4.5))
    for (label, col), (ls, lw) in zip(series.items(), styles, strict=True):
        v = points[col].to_numpy(dtype=float)
        ok = np.isfinite(v)
        order = np.argsort(v[ok], kind="stable")
        sv, sw = v[ok][order], w[ok][order]
        cum = np.cumsum(sw)
        ax.step(sv, 100 * cum / w.sum(), where="post", label=label, lw=lw, ls=ls)
        beyond = np.maximum(w.sum() - cum, 0.5)
        tail.step(sv, beyond, where="post", label=label, lw=lw, ls=ls)
    xmax = max(90.0, norm_min + 15)
    for a in (ax, tail):
        a.axvline(norm_min, color="#a50026", ls="--", lw=1)
        a.set_xlim(0, xmax)
        a.set_xlabel(tr("minutes"))
        a.grid(alpha=0.3)
    ax.text(norm_min + 0.8, 50, tr("norm_line", norm=norm_min), color="#a50026", fontsize=8)
    ax.set_ylim(0, 100.5)
    ax.set_ylabel(tr("cdf_reached"))
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(tr("cdf_reached_title"), fontsize=10)
    tail.set_yscale("log")
    tail.set_ylim(1, w.sum() * 1.5)
    tail.set_ylabel(tr("cdf_tail"))
    tail.set_title(tr("cdf_tail_title"), fontsize=10)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out
