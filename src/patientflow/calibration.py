"""Calibration report: the national baseline's annual volumes against the public figures in
shared/domain-facts.md, each within ±10 % or explained.

    patientflow-calibrate                       # runs a national year and a care year (~6 min)
    patientflow-calibrate --doc docs/validation.md   # and writes the table into that file
    patientflow-calibrate --acute RUN --care RUN     # from finished runs, without running
    patientflow-calibrate --acute RUN --care RUN --any-run   # runs of a region or scenario

The finished runs must be today's country (the configuration of the two runs above, bar how
long and how they ran and reported) for their volumes to mean anything against national
figures; another run is refused, naming each key that differs, unless `--any-run` (then the
table is headed with them).

The acute figures come from the journeys after the warm-up of `region=nl sim.days=365`,
annualised; the complex interventions from the referrals of `sim=care region=nl
network=current` after its warm-up, annualised.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from patientflow.acute.job import measured_window
from patientflow.config.schema import RunConfig
from patientflow.core.eventlog import read_compact
from patientflow.data.public_figures import CARE_FACTS, FACTS

TOLERANCE = 0.10
BEGIN, END = "<!-- calibration:begin -->", "<!-- calibration:end -->"


JOURNEY_COLUMNS = [
    "channel",
    "desk_id",
    "zcc_id",
    "outcome",
    "urgency",
    "amb_response_min",
    "seh_arrival_min",
    "seh_route",
    "seh_departure_min",
    "disposition",
]


def acute_volumes(run: Path) -> dict[str, float]:
    """Annual volumes and shares of a finished acute run (journeys after the warm-up); the
    volumes counted and weighted as the run's own summary counts them (acute.metrics)."""
    saved = OmegaConf.merge(OmegaConf.structured(RunConfig), OmegaConf.load(run / "config.yaml"))
    window = measured_window(OmegaConf.to_object(saved))  # type: ignore[arg-type]
    j = read_compact(run / "journeys.parquet", JOURNEY_COLUMNS, after_warmup=True)
    seh = j[j["seh_arrival_min"].notna()]
    routes = seh["seh_route"].astype(str).value_counts(normalize=True)
    desk = j[(j["channel"] == "gp_post_call") & (j["desk_id"].notna() | j["zcc_id"].notna())]
    outcome = desk["outcome"].dropna().astype(str).value_counts(normalize=True)
    calls = j[j["urgency"].isin(["A1", "A2", "B"])]
    amb = calls[calls["amb_response_min"].notna()]
    urgency = amb["urgency"].astype(str).value_counts()
    urgent = urgency.get("A1", 0) + urgency.get("A2", 0)
    return {
        "seh_visits": window.per_year(seh["channel"]),
        "route_referred": routes.get("referred", 0.0),
        "route_self": routes.get("self", 0.0),
        "route_ambulance": routes.get("ambulance", 0.0),
        "route_other": routes.get("other", 0.0),
        "admitted_share": float((seh["disposition"] == "admitted").mean()),
        "gp_post_contacts": window.per_year(desk["channel"]),
        "gp_advice": outcome.get("advice", 0.0),
        "gp_consult": outcome.get("consult", 0.0),
        "gp_home_visit": outcome.get("home_visit", 0.0),
        "gp_to_seh": float(desk["seh_arrival_min"].notna().mean()),
        "amb_deployments": window.per_year(calls["channel"]),
        "amb_urgent_share": urgent / len(amb) if len(amb) else float("nan"),
        "amb_a1_of_urgent": urgency.get("A1", 0) / urgent if urgent else float("nan"),
    }


def care_volumes(run: Path) -> dict[str, float]:
    """Referrals per intervention per year in today's network (after the warm-up)."""
    sim = OmegaConf.load(run / "config.yaml").sim
    days = float(sim["days"]) - float(sim["warmup_days"])
    p = pd.read_parquet(
        run / "care_patients.parquet", columns=["network", "intervention", "referral_min"]
    )
    p = p[(p["network"] == "current") & (p["referral_min"] >= float(sim["warmup_days"]) * 1440)]
    return (p.groupby("intervention").size() * 365.0 / days).to_dict()


def table(acute: dict[str, float], care: dict[str, float] | None) -> pd.DataFrame:
    """One row per figure: simulated, public, relative difference, within ±10 % or not."""
    rows = []
    for f in FACTS:
        row = _row(f.label, acute[f.key], f.low, f.high, f.source, f.share, f.explain)
        rows.append({**row, "kind": f.kind})
    for name, (ref, source, *apart) in CARE_FACTS.items():
        if care is not None and name in care:
            explain = (
                "an input: the incidence was set from this count" if "calibrated" in source else ""
            )
            row = _row(f"{name} patients", care[name], ref, ref, source, False, explain)
            if apart:  # a figure of another quantity: never read as a match
                row.update(within_10pct=False, note=apart[0])
            rows.append({**row, "kind": "input"})
    return pd.DataFrame(rows)


def _row(
    label: str, sim: float, low: float, high: float, source: str, share: bool, explain: str
) -> dict:
    """Difference from the figure, or from the nearer end of a range (0 inside it)."""
    diff = 0.0 if low <= sim <= high else (sim - low) / low if sim < low else (sim - high) / high
    within = abs(diff) <= TOLERANCE
    return {
        "quantity": label,
        "simulated": sim,
        "public": (low, high),
        "difference": diff,
        "within_10pct": within,
        "source": source,
        "share": share,
        "note": "" if within else explain or "not explained",
    }


def markdown(t: pd.DataFrame) -> str:
    def fmt(v: float, share: bool) -> str:
        return f"{v * 100:.1f} %" if share else f"{v:,.0f}"

    lines = [
        "| quantity | kind | patientflow | public figure | difference | within ±10 % | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in t.itertuples():
        low, high = r.public
        pub = fmt(low, r.share) if low == high else f"{fmt(low, r.share)}–{fmt(high, r.share)}"
        within = "yes" if r.within_10pct else f"no: {r.note}"
        lines.append(
            f"| {r.quantity} | {r.kind} | {fmt(r.simulated, r.share)} | {pub} "
            f"| {r.difference * 100:+.1f} % "
            f"| {within} | {r.source} |"
        )
    return "\n".join(lines)


def write_into(doc: Path, block: str) -> None:
    """Replace the text between the calibration markers of `doc` with `block`."""
    text = doc.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{doc}: no {BEGIN} ... {END} markers to write between")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def run_jobs(out: Path, days: float) -> tuple[Path, Path]:
    """The two runs the table needs, exactly as the CLI would run them."""
    from patientflow.config.hydra import compose
    from patientflow.runner import run

    acute, care = out / "acute", out / "care"
    overrides = ["region=nl", f"sim.days={days}", "report.figures=false"]
    run(compose(overrides), acute)
    run(compose(["sim=care", "region=nl", "network=current", "report.figures=false"]), care)
    return acute, care


# The runs the table needs, as `run_jobs` makes them: a finished run must have their
# configuration, bar how long and how it ran and reported (`IGNORED`), for its volumes to
# compare with today's national figures. (A care run's new network does not matter: the table
# reads its referrals in today's.)
REFERENCE = {"acute": ["region=nl"], "care": ["sim=care", "region=nl", "network=current"]}
IGNORED = {"acute": ("sim", "report", "debug"), "care": ("sim", "report", "debug", "network")}


def not_today(run: Path, job: str, limit: int = 6) -> list[str]:
    """How a finished run's configuration (its config.yaml) differs from the run of today's
    country the table needs, key by key: its job, region, network, scenario, demand, data,
    facilities, travel or care; empty when it does not. Names alone would not do: an override
    such as `network.closed_sites=[H108201]` keeps the network's name."""
    from patientflow.config.hydra import compose

    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    out = [] if summary.get("job") == job else [f"job={summary.get('job')} (wants {job})"]
    saved = OmegaConf.to_container(OmegaConf.load(run / "config.yaml"), resolve=True)
    wanted = OmegaConf.to_container(compose(REFERENCE[job]), resolve=True, enum_to_str=True)
    assert isinstance(saved, dict) and isinstance(wanted, dict)
    for top in sorted(set(saved) | set(wanted)):
        if top not in IGNORED[job]:
            out += _differences(saved.get(top), wanted.get(top), top)
    # a group's name first (scenario.name=flu_peak says more than its six multipliers)
    out.sort(key=lambda d: d.split("=", 1)[0].count(".") > 1 or ".name=" not in d)
    return out if len(out) <= limit else [*out[:limit], f"and {len(out) - limit} more"]


def _differences(have: object, want: object, key: str) -> list[str]:
    """The dotted keys at which two configuration values differ, with both values (free-text
    descriptions aside)."""
    if isinstance(have, dict) and isinstance(want, dict):
        return [
            d
            for k in sorted(set(have) | set(want), key=str)
            for d in _differences(have.get(k), want.get(k), f"{key}.{k}")
        ]
    if have == want or key.endswith(".description"):
        return []
    return [f"{key}={have} (wants {want})"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="patientflow-calibrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", type=Path, default=Path("outputs/calibration"))
    p.add_argument("--days", type=float, default=365.0, help="simulated days of the acute run")
    p.add_argument("--acute", type=Path, help="a finished national acute run folder")
    p.add_argument("--care", type=Path, help="a finished national care run folder")
    p.add_argument("--doc", type=Path, help="write the table between the markers of this file")
    p.add_argument(
        "--any-run",
        action="store_true",
        help="compare runs of a region, scenario or network too (headed so; volumes will miss)",
    )
    a = p.parse_args(argv)
    if (a.acute is None) != (a.care is None):
        p.error("give both --acute and --care, or neither")
    if a.acute is None:
        a.acute, a.care = run_jobs(a.out, a.days)
    for run in (a.acute, a.care):
        if not (run / "summary.json").is_file():
            p.error(f"{run}: not a finished run (no summary.json)")
    differs = {job: not_today(run, job) for job, run in (("acute", a.acute), ("care", a.care))}
    if not a.any_run:
        for job, what in differs.items():
            if what:
                p.error(
                    f"--{job} {getattr(a, job)}: not a run of today's country: {', '.join(what)} "
                    "(--any-run compares it all the same)"
                )
    t = table(acute_volumes(a.acute), care_volumes(a.care))
    block = markdown(t)
    heads = [f"{job} run: {', '.join(what)}" for job, what in differs.items() if what]
    if heads:
        block = f"Not today's country ({'; '.join(heads)}): volumes are not national.\n\n{block}"
    a.out.mkdir(parents=True, exist_ok=True)
    t.to_csv(a.out / "calibration.csv", index=False, lineterminator="\n")
    (a.out / "calibration.md").write_text(block + "\n", encoding="utf-8")
    print(block)
    if a.doc:
        write_into(a.doc, block)
    missed = t[~t["within_10pct"] & (t["note"] == "not explained")]
    return 1 if len(missed) else 0


if __name__ == "__main__":
    sys.exit(main())
