"""`debug=fast`: a quick pass over any run, an experiment's included. The shrink is applied
after Hydra has composed the config, because an experiment (`+experiment=NAME`) is appended
after the debug group and would otherwise win with its own horizon and replications."""

from __future__ import annotations

from dataclasses import dataclass

from omegaconf import DictConfig, open_dict


@dataclass
class DebugConfig:
    """What `debug=fast` leaves of a run: at most `days` simulated days after at most
    `warmup_days` (a care job: `care_days` after `care_warmup_days`) and at most `replications`
    replications (two, so intervals still exist). The debug group itself picks one ROAZ region
    and municipality centroids; an experiment that sets its own study area (the country, for
    the stress study) keeps it, because per-region results are what it is for."""

    # Set by `debug=fast`: once composed, the run's sim.days, sim.warmup_days and
    # sim.replications are cut to the limits below (apply_fast).
    fast: bool = False
    days: float = 1.0
    warmup_days: float = 0.25
    care_days: float = 28.0
    care_warmup_days: float = 7.0
    replications: int = 2


def apply_fast(cfg: DictConfig) -> list[str]:
    """Shrink the composed config's horizon and replications in place when `debug.fast` is
    set; returns what changed, one line each, for the run to say."""
    dbg = cfg.get("debug")
    if dbg is None or not dbg.get("fast", False):
        return []
    changed: list[str] = []
    job = cfg.sim.job
    care = getattr(job, "value", job) == "care"
    days, warmup = (dbg.care_days, dbg.care_warmup_days) if care else (dbg.days, dbg.warmup_days)
    with open_dict(cfg):
        for key, limit in (
            ("days", days),
            ("warmup_days", warmup),
            ("replications", dbg.replications),
        ):
            if cfg.sim[key] > limit:
                changed.append(f"sim.{key} {cfg.sim[key]} -> {limit}")
                cfg.sim[key] = limit
    return changed
