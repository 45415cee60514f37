"""Figures of a complex-care network: providers before and after with the moved volume, volume
per provider against the norm, and the distribution of extra travel time."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from patientflow.report.chapter_words import intervention_name  # noqa: E402
from patientflow.report.figures import save_figure, to_km  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402

MIN_FLOW_SHARE = 0.1  # a stopping provider's patients a flow must carry to be drawn


def _grid(n: int) -> tuple[int, int]:
    cols = min(4, n)
    return math.ceil(n / cols), cols


def provider_map(
    prov: pd.DataFrame,
    out: Path,
    network: str,
    backdrop: pd.DataFrame,
    dpi: int = 150,
    tr: Labels = EN,
    flows: pd.DataFrame | None = None,
) -> Path:
    """Per intervention: today's providers (open circles) and the new ones (filled), sized by
    volume, with a line from each provider that stops to each provider that receives at least
    a tenth of its patients, as wide as their number (`flows`, the impact analysis' from_site,
    to_site, patients; without it, to the nearest remaining provider); the demand points drawn
    faintly behind give the country's shape."""
    bx, by = to_km(backdrop["lat"].to_numpy(), backdrop["lon"].to_numpy())
    names = list(dict.fromkeys(prov["intervention"]))
    rows, cols = _grid(len(names))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 4.2 * rows), squeeze=False)
    for ax, name in zip(axes.ravel(), names, strict=False):
        p = prov[prov["intervention"] == name]
        ax.scatter(bx, by, s=0.3, color="#dddddd", zorder=0, rasterized=True)
        x, y = to_km(p["lat"].to_numpy(), p["lon"].to_numpy())
        cur, new = p["provider_current"].to_numpy(), p["provider_new"].to_numpy()
        stopped = cur & ~new
        for i, j, patients in _moves(p, x, y, stopped, new, flows):
            ax.plot(
                [x[i], x[j]],
                [y[i], y[j]],
                color="#d7191c",
                lw=0.4 + patients / 60,
                alpha=0.6,
                zorder=1,
            )
        ax.scatter(
            x[cur],
            y[cur],
            s=8 + p["volume_current"].to_numpy()[cur] / 3,
            facecolor="none",
            edgecolor="#555555",
            lw=0.8,
            zorder=2,
        )
        ax.scatter(
            x[new],
            y[new],
            s=8 + p["volume_new"].to_numpy()[new] / 3,
            color="#2c7bb6",
            alpha=0.8,
            zorder=3,
        )
        ax.set_title(
            tr("providers_panel", name=intervention_name(name, tr), today=cur.sum(), new=new.sum()),
            fontsize=9,
        )
        ax.set_aspect("equal")
        ax.set_axis_off()
    for ax in axes.ravel()[len(names) :]:
        ax.set_axis_off()
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="none",
            markeredgecolor="#555555",
            label=tr("provider_today"),
        ),
        Line2D(
            [], [], marker="o", ls="", color="#2c7bb6", label=tr("provider_in", network=network)
        ),
        Line2D(
            [], [], color="#d7191c", label=tr("volume_moved" if flows is not None else "to_nearest")
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(tr("providers_title", network=network), fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    save_figure(fig, out, dpi)
    return out


def _moves(
    p: pd.DataFrame,
    x: np.ndarray,
    y: np.ndarray,
    stopped: np.ndarray,
    new: np.ndarray,
    flows: pd.DataFrame | None,
) -> list[tuple[int, int, float]]:
    """(row of a provider that stops, row of a provider, patients a year) of one intervention's
    providers `p`: where its patients go by `flows` (each flow of at least MIN_FLOW_SHARE of
    them: choices spread a few patients over every provider), else its whole volume to the
    nearest provider that remains."""
    if flows is None:
        targets = np.flatnonzero(new)
        moves = []
        for i in np.flatnonzero(stopped) if len(targets) else []:
            j = targets[np.argmin((x[targets] - x[i]) ** 2 + (y[targets] - y[i]) ** 2)]
            moves.append((int(i), int(j), float(p["volume_current"].iat[i])))
        return moves
    row = {site: i for i, site in enumerate(p["site_id"])}
    stops = set(p["site_id"].to_numpy()[stopped])
    f = flows[
        (flows["intervention"] == p["intervention"].iat[0])
        & flows["from_site"].isin(stops)
        & (flows["from_site"] != flows["to_site"])
        & flows["to_site"].isin(row)
    ]
    share = f["patients"] / f.groupby("from_site")["patients"].transform("sum")
    f = f[share >= MIN_FLOW_SHARE]
    return [
        (row[a], row[b], float(n))
        for a, b, n in zip(f["from_site"], f["to_site"], f["patients"], strict=True)
    ]


def volume_figure(
    prov: pd.DataFrame, out: Path, network: str, dpi: int = 150, tr: Labels = EN
) -> Path:
    """Per intervention: annual volume per provider today and in the network, against the norm."""
    names = list(dict.fromkeys(prov["intervention"]))
    rows, cols = _grid(len(names))
    fig, axes = plt.subplots(rows, cols, figsize=(3.8 * cols, 3.0 * rows), squeeze=False)
    has_own = False
    for ax, name in zip(axes.ravel(), names, strict=False):
        p = prov[prov["intervention"] == name]
        today = np.sort(p.loc[p["provider_current"], "volume_current"].to_numpy())[::-1]
        kept = p[p["provider_new"]].sort_values("volume_new", ascending=False)
        own = (
            kept["own_network_rule"].fillna("").astype(str).to_numpy() != ""
            if "own_network_rule" in kept
            else np.zeros(len(kept), bool)
        )
        x = np.arange(len(kept))
        ax.bar(np.arange(len(today)), today, color="#bbbbbb", label=tr("today"), width=0.9)
        ax.bar(
            x[~own],
            kept["volume_new"].to_numpy()[~own],
            color="#2c7bb6",
            alpha=0.7,
            label=tr("national_rule", network=network),
            width=0.6,
        )
        if own.any():
            ax.bar(
                x[own],
                kept["volume_new"].to_numpy()[own],
                color="#fdae61",
                alpha=0.9,
                label=tr("network_rule", network=network),
                width=0.6,
            )
            has_own = True
        norm = float(p["norm"].mode().iat[0])
        if norm > 0:
            ax.axhline(norm, color="#d7191c", ls="--", lw=1)
            ax.text(
                len(today) - 0.5,
                norm,
                _norm_label(p, norm, tr),
                color="#d7191c",
                fontsize=7,
                va="bottom",
                ha="right",
            )
        ax.set_title(intervention_name(name, tr), fontsize=9)
        ax.set_xlabel(tr("providers_largest_first"), fontsize=8)
        ax.set_ylabel(tr("operations_per_year"), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.ravel()[len(names) :]:
        ax.set_axis_off()
    handles: dict[str, Artist] = {}
    for ax in axes.ravel():
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    labels = list(handles)
    fig.legend(
        [handles[k] for k in labels],
        labels,
        loc="lower center",
        ncol=len(labels),
        frameon=False,
        fontsize=8,
    )
    note = tr("norm_line_note") if has_own else ""
    fig.suptitle(tr("volume_title", network=network, note=note), fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    save_figure(fig, out, dpi)
    return out


def _norm_label(p: pd.DataFrame, norm: float, tr: Labels) -> str:
    """The norm line's label; a norm group's (its volumes summed) names the group."""
    group = str(p["norm_group"].iat[0]) if "norm_group" in p and len(p) else ""
    if group in ("", "nan"):
        return tr("norm_value", norm=norm)
    return tr("norm_value_group", norm=norm, group=group.replace("_", " + "))


def extra_travel_figure(
    extra: dict[str, tuple[np.ndarray, np.ndarray]],
    out: Path,
    network: str,
    dpi: int = 150,
    tr: Labels = EN,
) -> Path:
    """Share of patients with more than t extra minutes of travel, per intervention."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, (minutes, w) in extra.items():
        if w.sum() == 0:
            continue
        grid = np.arange(0, 121)
        share = [(w[minutes > t].sum() / w.sum()) * 100 for t in grid]
        if max(share, default=0) == 0:
            continue
        ax.step(grid, share, where="post", label=intervention_name(name, tr), lw=1.5)
    for t in (30, 60):
        ax.axvline(t, color="#888888", ls=":", lw=1)
    ax.set_xlabel(tr("extra_travel_x"))
    ax.set_ylabel(tr("extra_travel_y"))
    ax.set_xlim(0, 120)
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    else:
        ax.text(60, 0.5, tr("nobody_further"), ha="center")
    ax.set_title(tr("extra_travel_title", network=network), fontsize=11)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out
