"""Checks of a composed configuration: keys the schema does not declare (struct mode lets
`+new.key=` through) and values no type can exclude; the result is the typed RunConfig."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from omegaconf import DictConfig, OmegaConf, ValidationError

from patientflow.config.acute import check_acute_config
from patientflow.config.care import CareRule, CareRuleName, check_care_config
from patientflow.config.clock import is_clock
from patientflow.config.demand import check_demand
from patientflow.config.schema import Job, RunConfig, SpeedsConfig
from patientflow.config.validate import Problems


def unknown_keys(cfg: Any, schema: type = RunConfig, prefix: str = "") -> list[str]:
    """Dotted keys in `cfg` that the dataclass schema does not declare (e.g. from `+new.key=`)."""
    if not isinstance(cfg, DictConfig):
        return []
    hints = get_type_hints(schema)
    out: list[str] = []
    for key in cfg.keys():
        if key == "hydra" and not prefix:
            continue
        path = f"{prefix}{key!s}"
        if key not in hints:
            out.append(path)
            continue
        hint = hints[key]
        child: Any = cfg._get_node(key)  # a config node: a DictConfig, ListConfig or value
        if isinstance(hint, type) and is_dataclass(hint):
            out += unknown_keys(child, hint, path + ".")
        elif get_origin(hint) is list and is_dataclass(get_args(hint)[0]):
            for i, item in enumerate(child or []):
                out += unknown_keys(item, get_args(hint)[0], f"{path}[{i}].")
        elif get_origin(hint) is dict and is_dataclass(get_args(hint)[1]):
            for name in child or {}:
                out += unknown_keys(child._get_node(name), get_args(hint)[1], f"{path}.{name}.")
    return out


def _typed_network_rules(raw: dict, problems: Problems) -> dict[str, dict[str, CareRule]]:
    """Each cancer network's rules as CareRule objects. OmegaConf 2.3 types only the outer
    level of a dict of dicts, so the inner rules are merged into the schema here, every bad
    key or value named."""
    out: dict[str, dict[str, CareRule]] = {}
    for net, rules in (raw or {}).items():
        prefix = f"network.care_per_network.{net}"
        if not isinstance(rules, dict):
            problems.add(prefix, rules, "must map interventions to rules")
            continue
        out[net] = {}
        for name, rule in rules.items():
            key = f"{prefix}.{name}"
            if isinstance(rule, CareRule):
                out[net][name] = rule
                continue
            if not isinstance(rule, dict):
                problems.add(key, rule, "must be a rule such as {rule: volume_norm}")
                continue
            for bad in sorted(set(rule) - {f.name for f in fields(CareRule)}):
                problems.add(f"{key}.{bad}", rule[bad], "unknown configuration key")
            known = {k: v for k, v in rule.items() if k in {f.name for f in fields(CareRule)}}
            try:
                merged = OmegaConf.merge(OmegaConf.structured(CareRule), known)
                out[net][name] = OmegaConf.to_object(merged)  # type: ignore[assignment]
            except (ValidationError, ValueError) as err:
                problems.add(key, known, f"is not a valid rule ({str(err).splitlines()[0]})")
    return out


def check_config(cfg: DictConfig) -> RunConfig:
    """Reject unknown keys and meaningless values, all problems at once (ConfigErrors when
    there are several); return the typed RunConfig."""
    problems = Problems()
    for key in unknown_keys(cfg):
        problems.add(key, OmegaConf.select(cfg, key), "unknown configuration key")
    problems.raise_if_any()
    run: RunConfig = OmegaConf.to_object(cfg)  # type: ignore[assignment]
    run.network.care_per_network = _typed_network_rules(run.network.care_per_network, problems)
    problems.raise_if_any()
    problems.finite_everywhere(run)
    _check_travel(run, problems)
    _check_report(run, problems)
    _check_region(run, problems)
    _check_care_scope(run, problems)
    _check_sim(run, problems)
    _check_network(run, problems)
    check_demand(run, problems)
    check_acute_config(run, problems)
    check_care_config(run.care, run.network.care, problems, run.network.care_per_network)
    problems.raise_if_any()
    return run


def _check_travel(run: RunConfig, problems: Problems) -> None:
    t = run.travel
    problems.number("travel.detour_factor", t.detour_factor, low=1.0)
    problems.number("travel.rural_detour_factor", t.rural_detour_factor, low=1.0)
    for key in ("access_km", "street_km", "regional_urban_km", "regional_rural_km"):
        problems.positive(f"travel.{key}", getattr(t, key))
    # a helicopter's cruise, 220 by default
    problems.number("travel.air_speed_kmh", t.air_speed_kmh, low=0, high=400, low_open=True)
    if t.street_km < t.access_km:
        problems.add("travel.street_km", t.street_km, f"must be at least access_km ({t.access_km})")
    # Average speeds over a stretch of road: above 200 km/h (the motorway limit is 130) is a
    # typo: 1e6 made every ambulance drive to an SEH take a thousandth of a minute.
    for mode in ("car", "ambulance"):
        for f in fields(SpeedsConfig):
            speed = getattr(getattr(t, mode), f.name)
            problems.number(f"travel.{mode}.{f.name}", speed, low=0, high=200, low_open=True)
    for key in ("ferry_wait_min", "air_transfer_min"):
        problems.non_negative(f"travel.{key}", getattr(t, key))
    problems.number("travel.urban_max_urbanity", t.urban_max_urbanity, low=0, high=5)
    if t.od_matrix is not None and not t.od_matrix.strip():
        problems.add("travel.od_matrix", t.od_matrix, "must name a file (or be null)")


def _check_report(run: RunConfig, problems: Problems) -> None:
    r = run.report
    problems.positive("report.norm_min", r.norm_min)
    problems.positive("report.map_cell_km", r.map_cell_km)
    problems.number("report.dpi", r.dpi, low=20, high=1200)
    problems.non_negative("report.response_allowance_min", r.response_allowance_min)
    if not r.region_levels:
        problems.add("report.region_levels", [], "must list at least one region level")


def _check_region(run: RunConfig, problems: Problems) -> None:
    region = run.region
    if not region.name.strip():
        problems.add("region.name", region.name, "must name the study area")
    if region.codes and region.level is None:
        problems.add("region.level", None, "must be set when region.codes is given")
    if region.level is not None and not region.codes:
        problems.add(
            "region.codes",
            [],
            f"must list at least one {region.level.value} code when region.level is set "
            "(for the whole country use region=nl)",
        )
    for i, code in enumerate(region.codes):
        if not str(code).strip():
            problems.add(f"region.codes[{i}]", code, "must not be empty")


def _check_care_scope(run: RunConfig, problems: Problems) -> None:
    """A care run needs interventions. National network rules on one region's patients only
    mislead (a national norm meets a region's few patients): refuse unless asked for
    explicitly."""
    if run.sim.job is Job.care and not run.care.interventions:
        problems.add(
            "care.interventions",
            {},
            "must hold at least one intervention for sim=care (care=tranche1 holds the "
            "embedded ones)",
        )
    regional = run.region.level is not None and bool(run.region.codes)
    if run.sim.job is not Job.care or not regional or run.care.national_rules_on_region:
        return
    national = sorted(
        f"{rule.rule.value} for {name}"
        for name, rule in run.network.care.items()
        if rule.rule is not CareRuleName.current
    )
    if national:
        problems.add(
            "network.care",
            run.network.name,
            f"national rules ({', '.join(national[:3])}{', ...' if len(national) > 3 else ''}) "
            f"would be tested on the patients of region {run.region.name} alone, where a "
            "national norm concentrates a region's few patients in one hospital; use region=nl, "
            "per-network rules (network.care_per_network), or "
            "care.national_rules_on_region=true to do it anyway",
        )


def _check_sim(run: RunConfig, problems: Problems) -> None:
    sim = run.sim
    # One 32-bit word each in SeedSequence([seed, replication]): a larger seed is two words,
    # and seed 5 + 2**32 replication 0 drew the very patients of seed 5 replication 1.
    problems.number("sim.seed", sim.seed, low=0, high=2**32 - 1)
    # The last replication's number must fit the word too; against a count that is itself out
    # of range this read "must be in [0, -9.57e+10]".
    reps_ok = problems.number("sim.replications", sim.replications, low=1, high=10_000)
    last = 2**32 - (sim.replications if reps_ok else 1)
    problems.number("sim.replication", sim.replication, low=0, high=last)
    # The time series is sampled every step: the hour-of-week profiles, the hourly SEH peaks
    # and the utilisation need every hour sampled (1e6 left a run one sample at its end, and a
    # utilisation of 0.39 for 0.16); below a minute it grows by millions of rows a day.
    problems.number("sim.step_min", sim.step_min, low=1, high=60)
    problems.number("sim.batch_rows", sim.batch_rows, low=1)
    problems.number("sim.delta_rank", sim.delta_rank, low=1, high=10)
    low_open = sim.job in (Job.acute, Job.regiobeeld)
    days_ok = problems.number("sim.days", sim.days, low=0, high=3660, low_open=low_open)
    warm_ok = problems.non_negative("sim.warmup_days", sim.warmup_days)
    if days_ok and warm_ok and sim.days > 0 and not sim.warmup_days < sim.days:
        problems.add("sim.warmup_days", sim.warmup_days, "must be below sim.days")
    # The dataset's population is of 1 January 2024; the CBS prognosis runs to 2070, our
    # anchors to 2058 (20 M inhabitants).
    problems.number("demand.year", run.demand.year, low=2024, high=2058)
    if run.sim.job is Job.regiobeeld:
        horizon = run.regiobeeld.horizon_year
        if problems.number("regiobeeld.horizon_year", horizon, low=2024, high=2058):
            if horizon <= run.demand.year:
                problems.add(
                    "regiobeeld.horizon_year",
                    horizon,
                    f"must lie after demand.year ({run.demand.year})",
                )


def _check_network(run: RunConfig, problems: Problems) -> None:
    for i, nc in enumerate(run.network.night_closures):
        for attr in ("close", "open"):
            val = getattr(nc, attr)
            if not is_clock(val):
                problems.add(f"network.night_closures[{i}].{attr}", val, "must be a time HH:MM")
        if not nc.site:
            problems.add(f"network.night_closures[{i}].site", nc.site, "must name a site id")
    for i, site in enumerate(run.network.closed_sites):
        if not str(site).strip():
            problems.add(f"network.closed_sites[{i}]", site, "must name a site id")
    for i, sp in enumerate(run.network.spread):
        key = f"network.spread[{i}]"
        problems.non_negative(f"{key}.volume", sp.volume)
        problems.non_negative(f"{key}.tariff_eur", sp.tariff_eur)
        if sp.from_site == sp.to_site:
            problems.add(f"{key}.to_site", sp.to_site, "must differ from from_site")
