"""One figure per stakeholder group of the complex-care impact analysis: patients (extra
minutes per pathway per cancer network), professionals (surgeons needed per hospital),
providers (production value per hospital) and networks (the vascular quality standard)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from patientflow.report.figures import save_figure  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402

# criterion of the vascular standard (also its label key, prefixed "crit_")
CRITERIA = (
    "network_volume",
    "repair_centres",
    "rota_surgeons_supported",
    "interventional_radiology_centres",
    "share_within_max_minutes",
)


NAME_CHARS = 40  # a bar's hospital name: the longest embedded one; a longer one is cut


def short_names(names: pd.Series, width: int = NAME_CHARS) -> list[str]:
    """Hospital names cut to `width` characters for the bars' labels, whole where the cut would
    give two hospitals one label (two OLVG sites cut at 32 both read "...Gasthuis locat")."""
    full = [str(n) for n in names]
    cut = [n if len(n) <= width else n[: width - 1] + "…" for n in full]
    owners: dict[str, set[str]] = {}
    for f, c in zip(full, cut, strict=True):
        owners.setdefault(c, set()).add(f)
    return [f if len(owners[c]) > 1 else c for f, c in zip(full, cut, strict=True)]


def _note_figure(text: str, out: Path, dpi: int) -> Path:
    """A figure that says why there is nothing to draw, so every promised PNG exists."""
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.text(0.5, 0.5, text, ha="center", va="center")
    ax.set_axis_off()
    save_figure(fig, out, dpi)
    return out


def patients_figure(
    patients: pd.DataFrame,
    out: Path,
    network: str,
    dpi: int = 150,
    tr: Labels = EN,
    total: str = "NL",
) -> Path:
    """Mean extra one-way car minutes per pathway (all visits) per cancer network and
    intervention: the patients' burden where it falls; the last row all the run's patients,
    named `total` (the study area's name in a regional run, whose "NL" rows hold only it)."""
    p = patients[patients["level"] == "cancer_network"]
    wide = p.pivot_table(
        index="region", columns="intervention", values="extra_min_per_pathway_mean"
    )
    nl = patients[patients["level"] == "NL"].set_index("intervention")["extra_min_per_pathway_mean"]
    if wide.empty or not np.isfinite(wide.to_numpy(dtype=float)).any():
        return _note_figure("no complex-care patients in the study area", out, dpi)
    wide.loc[total] = nl.reindex(wide.columns)
    fig, ax = plt.subplots(figsize=(1.2 * len(wide.columns) + 3, max(0.45 * len(wide) + 2, 4.0)))
    limit = max(float(np.nanmax(np.abs(wide.to_numpy()))), 1.0)
    im = ax.imshow(wide.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        if np.isfinite(v):
            colour = "white" if abs(v) > 0.6 * limit else "black"
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(wide.columns)), [c.replace("_", " ") for c in wide.columns])
    ax.set_yticks(range(len(wide)), wide.index)
    ax.tick_params(axis="x", rotation=30, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    fig.colorbar(im, ax=ax, label=tr("patients_fig_scale"))
    ax.set_title(tr("patients_fig_title", network=network), fontsize=10)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out


def _change_bars(
    labels: list[str],
    change: np.ndarray,
    colours: np.ndarray,
    legend: list[tuple[str, str]],
    xlabel: str,
    title: str,
    out: Path,
    dpi: int,
) -> Path:
    """One horizontal bar per hospital (sorted by change), coloured by a class named in the
    legend (colour, label)."""
    # laid out at the dpi it is saved at: small labels measured at another came out cut off
    fig, ax = plt.subplots(figsize=(8, 0.22 * max(len(labels), 8) + 1.5), dpi=dpi)
    y = np.arange(len(labels))
    ax.barh(y, change, color=colours)
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", labelsize=6)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.legend(
        handles=[Patch(color=c, label=lab) for c, lab in legend], fontsize=8, loc="lower right"
    )
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out


def professionals_figure(
    prof: pd.DataFrame, out: Path, network: str, dpi: int = 150, tr: Labels = EN
) -> Path:
    """Surgeons needed per hospital and specialty group, today and in the network (the
    hospitals whose need changes)."""
    changed = prof[prof["surgeons_needed_new"] != prof["surgeons_needed_current"]].copy()
    changed["change"] = changed["surgeons_needed_new"] - changed["surgeons_needed_current"]
    changed = changed.sort_values("change").reset_index(drop=True)
    return _change_bars(
        [
            f"{n} ({tr.name(g)})"
            for n, g in zip(short_names(changed["name"]), changed["group"], strict=True)
        ],
        changed["change"].to_numpy(),
        np.where(changed["group"] == "vascular", "#d95f02", "#1b9e77"),
        [("#1b9e77", tr("oncology")), ("#d95f02", tr("vascular"))],
        tr("surgeons_change"),
        tr("professionals_title", network=network),
        out,
        dpi,
    )


def providers_figure(
    hosp: pd.DataFrame, out: Path, network: str, dpi: int = 150, tr: Labels = EN
) -> Path:
    """Change in complex-care production value per hospital (assumed tariffs): the hospitals
    that lose their regional function for complex care in red, those that keep it in grey,
    those without one today (no 24/7 SEH or no complex operation) in light grey."""
    h = hosp.assign(change=hosp["value_eur_new"] - hosp["value_eur_current"])
    h = h[h["change"].abs() > 1e-6].sort_values("change").reset_index(drop=True)
    return _change_bars(
        short_names(h["name"]),
        h["change"].to_numpy() / 1e6,
        np.select(
            [h["loses_regional_function"], h["regional_function_current"]],
            ["#d7191c", "#7f7f7f"],
            default="#c8c8c8",
        ),
        [
            ("#d7191c", tr("loses_function")),
            ("#7f7f7f", tr("keeps_function")),
            ("#c8c8c8", tr("no_function_today")),
        ],
        tr("production_change"),
        tr("providers_value_title", network=network),
        out,
        dpi,
    )


def cell_text(criterion: str, value: float) -> str:
    """A criterion's value as its cell shows it, rounded down (a share of 94.96 % read "95%" on
    a red cell beside the standard's 95 %): a share to 0.1 %, a count whole or to 0.1."""
    if criterion.startswith("share"):
        return f"{math.floor(value * 1000 + 1e-9) / 10:.1f}%"
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{math.floor(value * 10 + 1e-9) / 10:.1f}"


def networks_figure(
    vasc: pd.DataFrame, out: Path, network: str, dpi: int = 150, tr: Labels = EN
) -> Path:
    """Each vascular network against each criterion of the quality standard, today and in the
    network: green met, red not met."""
    nets = sorted(vasc["vascular_network"].unique())
    if not nets:
        return _note_figure(tr("no_vascular_network"), out, dpi)
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.4 * len(nets) + 2), sharey=True)
    for ax, when in zip(axes, ("current", "new"), strict=True):
        v = vasc[vasc["network_config"] == when].set_index("vascular_network").reindex(nets)
        met = np.array([[bool(v.at[n, f"{c}_met"]) for c in CRITERIA] for n in nets])
        ax.imshow(
            met,
            cmap=matplotlib.colors.ListedColormap(["#d7191c", "#1a9641"]),
            vmin=0,
            vmax=1,
            aspect="auto",
        )
        for (i, j), _ in np.ndenumerate(met):
            value = v.at[nets[i], CRITERIA[j]]
            text = cell_text(CRITERIA[j], value)
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white")
        ax.set_xticks(
            range(len(CRITERIA)),
            [tr(f"crit_{c}") for c in CRITERIA],
            rotation=30,
            ha="right",
            fontsize=8,
        )
        ax.set_yticks(range(len(nets)), nets, fontsize=8)
        ax.set_title(tr("today") if when == "current" else network, fontsize=9)
    fig.suptitle(tr("networks_title"), fontsize=10)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out
