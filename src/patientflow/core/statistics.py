"""Statistics every job reports with: population-weighted means and quantiles, and means over
replications with their t interval."""

from __future__ import annotations

import numpy as np
import pandas as pd


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Mean of finite values weighted by population; NaN when no weight."""
    v, w = np.asarray(values, float), np.asarray(weights, float)
    ok = np.isfinite(v) & (w > 0)
    return float(np.average(v[ok], weights=w[ok])) if ok.any() else float("nan")


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value below or at which a share q of the population lies. Tied values may
    come in any order (the answer is a value, the same for all of them), so the fast sort."""
    v, w = np.asarray(values, float), np.asarray(weights, float)
    ok = ~np.isnan(v) & (w > 0)
    if not ok.any():
        return float("nan")
    order = np.argsort(v[ok])
    sv, cw = v[ok][order], np.cumsum(w[ok][order])
    return float(sv[np.searchsorted(cw, q * cw[-1], side="left")])


def groups_of(labels: np.ndarray, point: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(name, indices into `point`) per named group, names sorted: `labels` gives each demand
    point's group (not a string: in none), `point` each row's demand point. One stable sort
    instead of a comparison per group, so a table of a million rows costs one sort; within a
    group the rows keep their order."""
    known = np.array([isinstance(x, str) for x in labels], dtype=bool)
    names = sorted({x for x, ok in zip(labels, known, strict=True) if ok})
    code_of = {name: k for k, name in enumerate(names)}
    point_code = np.array(
        [code_of[x] if ok else -1 for x, ok in zip(labels, known, strict=True)], dtype=int
    )
    codes = point_code[np.asarray(point, dtype=int)]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    return [(name, order[bounds[k] : bounds[k + 1]]) for k, name in enumerate(names)]


def mean_ci(
    values: pd.Series, level: float = 0.95, within: tuple[float | None, float | None] = (None, None)
) -> dict:
    """Mean and a t-based confidence interval over replications (no interval for one). `within`
    is the range the quantity can take (a count is never below 0, a share never above 1): the
    interval is cut to it, which keeps its coverage, as the true mean lies there too."""
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "n": 0}
    mean = float(v.mean())
    if len(v) < 2:
        return {"mean": mean, "ci_low": None, "ci_high": None, "n": 1}
    from scipy import stats  # imported here: it costs half a second at start-up

    half = float(stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    low, high = mean - half, mean + half
    if within[0] is not None:
        low = max(low, within[0])
    if within[1] is not None:
        high = min(high, within[1])
    return {"mean": mean, "ci_low": low, "ci_high": high, "n": int(len(v))}


def level_range(name: str) -> tuple[float, float | None]:
    """The range of a level indicator by its name: a share or a utilisation lies in [0, 1],
    any other level (a count, minutes, a volume) at or above 0. Not for differences."""
    return (0.0, 1.0) if "share" in name or "utilisation" in name else (0.0, None)


def flatten(d: dict, prefix: str) -> dict[str, float]:
    """Nested indicator dicts as flat 'prefix.key.sub' columns (numbers only)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}.{k}"))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out[f"{prefix}.{k}"] = float(v)
    return out
