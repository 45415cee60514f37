"""Figures of a sweep's report: each headline indicator against the swept values, and a forest
plot of the paired differences against the baseline."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from patientflow.report.aggregate import HEADLINE, headline_columns  # noqa: E402
from patientflow.report.figures import save_figure  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402

SITE_ID = re.compile(r"H\d{6}")


def readable_value(
    value: str, tr: Labels = EN, with_ids: bool = False, towns: dict[str, str] | None = None
) -> str:
    """A swept value as people read it: site ids by their hospital's town (`towns`, the sites
    the jobs ran with, `site_towns`; without it the embedded sites table), with `with_ids` the
    id after it, as towns with two hospitals repeat; an id of no known site stays an id; an
    empty list reads "none"."""
    ids = SITE_ID.findall(str(value))
    if not ids:
        return tr("none") if str(value).strip() in ("[]", "") else str(value)
    names = _site_names() if towns is None else towns
    return ", ".join(
        f"{names[i]} ({i})" if with_ids and i in names else names.get(i, i) for i in ids
    )


_LABEL_PARTS = re.compile(r", (?![^\[]*\])")  # the ", " between overrides, not inside a list


def readable_label(label: str, tr: Labels = EN, towns: dict[str, str] | None = None) -> str:
    """A job's label (`closed_sites=[H100201]`) with its sites named
    (`closed_sites=Maastricht (H100201)`), for the maps and captions that name a scenario."""
    parts = []
    for part in _LABEL_PARTS.split(label):
        key, eq, value = part.partition("=")
        parts.append(f"{key}={readable_value(value, tr, True, towns)}" if eq else part)
    return ", ".join(parts)


@functools.lru_cache(maxsize=1)
def _site_names() -> dict[str, str]:
    from patientflow.data import default_data_dir

    sites = pd.read_csv(default_data_dir() / "sites.csv", usecols=["site_id", "town"])
    return dict(zip(sites["site_id"], sites["town"], strict=True))


def _short(override_col: str) -> str:
    """A swept key in a legend: its last two parts (lung_resection.norm_proposed)."""
    return ".".join(override_col.removeprefix("override.").split(".")[-2:])


# a travel-minutes column of summary.json: its label key (the travel-time figure's words)
TRAVEL_LABELS = {
    "ambulance_min_to_seh": "cdf_ambulance_seh",
    "car_min_seh_247": "cdf_car_seh",
    "car_min_hospital": "cdf_car_hospital",
    "car_min_gp_post": "cdf_car_gp",
}


def _label(col: str, tr: Labels = EN) -> str:
    """A panel title: the indicator in the report's language, with the intervention for the
    care study's columns."""
    parts = col.split(".")
    if parts[:2] == ["indicators", "travel_minutes"]:
        key = TRAVEL_LABELS.get(parts[2])
        name = tr(key) if key else parts[2].replace("_", " ")
        return f"{name} ({tr('stat_mean') if parts[-1] == 'mean' else parts[-1]})"
    if parts[0] == "care" and len(parts) >= 3:
        return f"{parts[1].replace('_', ' ')}: {tr.name(parts[-1])}"
    return tr.name(parts[-1])


def indicator_figures(
    table: pd.DataFrame,
    swept: list[str],
    out: Path,
    dpi: int = 120,
    tr: Labels = EN,
    towns: dict[str, str] | None = None,
) -> list[Path]:
    """For each swept parameter, the headline indicators that vary against its values (shares in
    %): dots for categories, a line only along a numeric parameter, one series per combination
    of the other swept parameters; 95 % intervals where the jobs ran replications."""
    done = table[table["status"] == "complete"]
    cols = [c for c in headline_columns(done) if done[c].nunique(dropna=True) > 1]
    paths = []
    for param in swept:
        if not cols:
            break
        others = [p for p in swept if p != param]
        ncols = min(4, len(cols))
        nrows = -(-len(cols) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, 2.8 * nrows), squeeze=False)
        groups = done.groupby(others, sort=True) if others else [((), done)]
        values = done[param].astype(str)
        numeric = pd.to_numeric(done[param], errors="coerce").notna().all()
        order = sorted(values.unique(), key=lambda v: pd.to_numeric(v, errors="coerce"))
        if not numeric:
            order = sorted(values.unique())
        position = {v: i for i, v in enumerate(order)}
        style = "o-" if numeric else "o"
        for ax, col in zip(axes.ravel(), cols, strict=False):
            rep = col.replace("acute.national.", "acute.replications.national.")
            n_groups = len(groups) if others else 1
            for gi, (key, g) in enumerate(groups):
                g = g.assign(_x=g[param].astype(str).map(position)).sort_values("_x")
                # side by side, a numeric parameter's lines too: equal series hid one another
                x = g["_x"].to_numpy() + 0.08 * (gi - (n_groups - 1) / 2)
                label = (
                    ", ".join(
                        f"{_short(o)}={k}"
                        for o, k in zip(
                            others, key if isinstance(key, tuple) else (key,), strict=False
                        )
                    )
                    or None
                )
                scale = 100.0 if "share" in col else 1.0
                if f"{rep}.ci_low" in g and g[f"{rep}.ci_low"].notna().any():
                    mean = scale * g[f"{rep}.mean"]
                    low, high = scale * g[f"{rep}.ci_low"], scale * g[f"{rep}.ci_high"]
                    if scale == 100.0:  # a share's interval stays within 0-100 %
                        low, high = low.clip(lower=0.0), high.clip(upper=100.0)
                    err = [mean - low, high - mean]
                    ax.errorbar(x, mean, yerr=err, fmt=style, capsize=3, label=label)
                else:
                    ax.plot(x, scale * g[col], style, label=label)
            ax.set_xticks(range(len(order)), [readable_value(v, tr, towns=towns) for v in order])
            unit = "%" if "share" in col else tr("minutes") if "_min" in col else ""
            ax.set_ylabel(unit, fontsize=7)
            # no truncated axis (a small difference looks small): from zero, or from below
            # it where a value is negative (a patient's extra travel can be)
            low, top = ax.get_ylim()
            if "share" in col:
                ax.set_ylim(0.0, min(100.0, 1.15 * top))
            else:
                ax.set_ylim(min(0.0, low), max(0.0, 1.15 * top))
            ax.set_title(_label(col, tr), fontsize=8)
            ax.tick_params(labelsize=7, axis="x", rotation=30)
            ax.grid(alpha=0.3)
        for ax in axes.ravel()[len(cols) :]:
            ax.set_axis_off()
        handles, labels = axes.ravel()[0].get_legend_handles_labels()
        rows_legend = -(-len(labels) // 3) if others and handles else 0
        if rows_legend:
            fig.legend(
                handles,
                labels,
                loc="lower center",
                ncol=min(3, len(labels)),
                fontsize=7,
                frameon=False,
            )
        fig.suptitle(tr("indicators_against", param=param.removeprefix("override.")), fontsize=10)
        fig.tight_layout(rect=(0, 0.02 + 0.03 * rows_legend, 1, 0.97))
        path = out / f"sweep_{param.removeprefix('override.').replace('.', '_')}.png"
        save_figure(fig, path, dpi)
        paths.append(path)
    return paths


def _unit(indicator: str, tr: Labels = EN) -> tuple[float, str]:
    """How a difference of the indicator reads: shares in percentage points, minutes as they
    are, counts as they are."""
    if "share" in indicator:
        return 100.0, tr("diff_pp")
    if "_min" in indicator:
        return 1.0, tr("diff_min")
    return 1.0, tr("diff")


def forest_title(diff: pd.DataFrame, tr: Labels = EN) -> str:
    """The forest plot's title: it promises intervals only where there are (one replication
    gives a difference without one)."""
    base = diff["baseline_label"].iat[0] if "baseline_label" in diff else diff["baseline"].iat[0]
    single = diff["ci_low"].isna() | diff["ci_high"].isna()
    if single.all():
        return tr("forest_title_single", base=base)
    return tr("forest_title", base=base) + (tr("forest_title_some_single") if single.any() else "")


def forest_plot(diff: pd.DataFrame, out: Path, dpi: int = 120, tr: Labels = EN) -> Path | None:
    """Paired differences against the baseline with 95 % intervals: one panel per headline
    indicator (each on its own scale), one row per job."""
    if diff.empty:
        return None
    heads = {h.split(".")[-1] for h in HEADLINE}
    names = [i for i in dict.fromkeys(diff["indicator"]) if i in heads] or list(
        dict.fromkeys(diff["indicator"])
    )[:6]
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(4.2 * ncols + 1.5, (0.45 * diff["job"].nunique() + 1.4) * nrows + 0.6),
        squeeze=False,
    )
    names_of = diff["label"] if "label" in diff else diff["job"].astype(str)
    for ax, name in zip(axes.ravel(), names, strict=False):
        d = diff[diff["indicator"] == name].reset_index(drop=True)
        y = list(range(len(d)))
        scale, unit = _unit(name, tr)
        ax.errorbar(
            scale * d["difference"],
            y,
            xerr=[
                scale * (d["difference"] - d["ci_low"]).fillna(0),
                scale * (d["ci_high"] - d["difference"]).fillna(0),
            ],
            fmt="o",
            color="#2c7bb6",
            ecolor="#555555",
            capsize=2,
        )
        ax.axvline(0, color="#d7191c", lw=1)
        ax.set_yticks(y)
        ax.set_yticklabels(names_of[diff["indicator"] == name].tolist(), fontsize=9)
        ax.invert_yaxis()
        ax.set_title(tr.name(name), fontsize=9)
        ax.set_xlabel(unit, fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, axis="x")
    for ax in axes.ravel()[len(names) :]:
        ax.set_axis_off()
    fig.suptitle(forest_title(diff, tr), fontsize=10)
    fig.tight_layout()
    path = out / "paired_differences.png"
    save_figure(fig, path, dpi)
    return path
