"""Which journeys does closing one SEH actually change? Full national runs, the baseline and
each closure on the same seed, compared journey by journey: since every patient's arrival,
choices and service times are its own draws (place-keyed streams), a journey that the closure
does not reach is identical in both runs, field for field.

Against the area `sim.delta` simulates (delta.py: what a closure *can* reach), this says how
much of that area a closure really changes: the most an exact method could save by finding the
changed journeys as it runs instead of fixing its area beforehand.

    python benchmarks/changed_journeys.py                    # 6 closures spread over the reach
    python benchmarks/changed_journeys.py --sites H100201 H108201 --days 14

Not part of the test suite (about 15 s a closure for 28 national days, plus the areas).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import delta_study as ds  # noqa: E402

KEY = "journey_id"


def changed(base: pd.DataFrame, run: pd.DataFrame) -> np.ndarray:
    """True for each journey (in journey-id order) with any field that differs between the two
    runs (missing equals missing). Both runs must hold the same journeys."""
    base = base.sort_values(KEY, ignore_index=True)
    run = run.sort_values(KEY, ignore_index=True)
    if len(base) != len(run) or not (base[KEY].to_numpy() == run[KEY].to_numpy()).all():
        raise SystemExit("the runs hold different journeys: not the same seed and horizon?")
    diff = np.zeros(len(base), dtype=bool)
    for col in base.columns.drop(KEY):
        a, b = base[col], run[col]
        same = (a == b).fillna(False).to_numpy(bool) | (a.isna() & b.isna()).to_numpy(bool)
        diff |= ~same
    return diff


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sites", nargs="*", default=None, help="closures (default: 6 spread)")
    p.add_argument("--days", type=float, default=28.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--core", type=int, default=0)
    p.add_argument("--out", type=Path, default=ds.ROOT / "benchmarks/results/changed_journeys.md")
    args = p.parse_args()
    args.rank = 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})
    sites = args.sites or ds.closures()
    area = ds.areas(args, sites, sets=True).sort_values("share").reset_index(drop=True)
    if not args.sites:
        at = np.unique(np.linspace(0, len(area) - 1, 6).round().astype(int))
        area = area.loc[at].reset_index(drop=True)
    import patientflow
    from patientflow.runner import as_run_config, load_run_data

    run_cfg, _ = as_run_config(patientflow.compose(["region=nl"]))
    munis = load_run_data(run_cfg).municipalities.set_index("municipality_code")
    pop = munis["population"].astype(float)
    rows = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        ds.job(args, tmp, None, False, 1)
        base = pd.read_parquet(tmp / "full_baseline_1" / "journeys.parquet")
        order = base.sort_values(KEY, ignore_index=True)
        for rec in area.to_dict("records"):
            site = rec["site"]
            ds.job(args, tmp, site, False, 1)
            diff = changed(base, pd.read_parquet(tmp / f"full_{site}_1" / "journeys.parquet"))
            per_muni = pd.Series(diff).groupby(order["municipality_code"].to_numpy()).mean()
            touched = per_muni[per_muni > 0].index
            core, simulated = rec.pop("core_set"), rec.pop("simulated_set")
            rows.append(
                {
                    **rec,
                    "journeys_changed": float(diff.mean()),
                    "municipalities_changed": int(len(touched)),
                    # Must be none: the core holds every journey a closure can change.
                    "changed_outside_core": sorted(set(touched) - core),
                    "changed_outside_simulated": sorted(set(touched) - simulated),
                    "changed_share": float(pop[touched].sum() / pop.sum()),
                    "over_1pct_share": float(pop[per_muni[per_muni > 0.01].index].sum())
                    / float(pop.sum()),
                }
            )
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    lines = [
        "# Which journeys a closure changes: full runs against the baseline, journey by journey",
        "",
        f"`python benchmarks/changed_journeys.py --days {args.days:g}` at commit "
        f"{ds._commit()}; national, PC4 points, the default seed (sim.seed 20250101), "
        "replication 0, one replication each.",
        "",
        "share: inhabitants `sim.delta` simulates; core: inhabitants of the municipalities whose "
        "journeys it measures (what the closure can change); changed: inhabitants of the "
        "municipalities with at least one journey that differs from the baseline; over 1 %: "
        "those where more than 1 % of the journeys differ.",
        "",
        "| closure | ROAZ | share | core | changed | over 1 % | journeys changed | "
        "municipalities changed / core / simulated |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['site']} | {r['roaz']} | {r['share']:.1%} | {r['measured_share']:.1%} | "
            f"{r['changed_share']:.1%} | {r['over_1pct_share']:.1%} | "
            f"{r['journeys_changed']:.2%} | {r['municipalities_changed']} / {r['measured']} / "
            f"{r['simulated']} |"
        )
    outside = {r["site"]: r["changed_outside_core"] for r in rows if r["changed_outside_core"]}
    lines += [
        "",
        "Municipalities with a changed journey outside the core (must be none): "
        + (", ".join(f"{k}: {' '.join(v)}" for k, v in outside.items()) or "none")
        + ".",
    ]
    lines += [
        "",
        f"Mean over the closures: share {table['share'].mean():.1%}, core "
        f"{table['measured_share'].mean():.1%}, changed {table['changed_share'].mean():.1%}, "
        f"journeys changed {table['journeys_changed'].mean():.2%}.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
