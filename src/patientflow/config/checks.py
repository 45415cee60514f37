"""Checks of a composed configuration: keys the schema does not declare (struct mode lets
`+new.key=` through) and values no type can exclude; the result is the typed RunConfig."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from omegaconf import DictConfig, OmegaConf

from patientflow.config.acute import check_acute_config
from patientflow.config.care import check_care_config
from patientflow.config.clock import is_clock
from patientflow.config.schema import RunConfig, SpeedsConfig
from patientflow.errors import ConfigError


def unknown_keys(cfg: Any, schema: type = RunConfig, prefix: str = "") -> list[str]:
    """Dotted keys in `cfg` that the dataclass schema does not declare (e.g. from `+new.key=`)."""
    if not isinstance(cfg, DictConfig):
        return []
    hints = get_type_hints(schema)
    out: list[str] = []
    for key in cfg.keys():
        if key == "hydra" and not prefix:
            continue
        path = f"{prefix}{key}"
        if key not in hints:
            out.append(path)
            continue
        hint = hints[key]
        child = cfg._get_node(key)
        if is_dataclass(hint):
            out += unknown_keys(child, hint, path + ".")
        elif get_origin(hint) is list and is_dataclass(get_args(hint)[0]):
            for i, item in enumerate(child or []):
                out += unknown_keys(item, get_args(hint)[0], f"{path}[{i}].")
        elif get_origin(hint) is dict and is_dataclass(get_args(hint)[1]):
            for name in child or {}:
                out += unknown_keys(child._get_node(name), get_args(hint)[1], f"{path}.{name}.")
    return out


def _positive(key: str, value: float) -> None:
    if not value > 0:
        raise ConfigError(key, value, "must be greater than 0")


def check_config(cfg: DictConfig) -> RunConfig:
    """Reject unknown keys and meaningless values; return the typed RunConfig."""
    extra = unknown_keys(cfg)
    if extra:
        raise ConfigError(extra[0], OmegaConf.select(cfg, extra[0]), "unknown configuration key")
    run: RunConfig = OmegaConf.to_object(cfg)  # type: ignore[assignment]
    t = run.travel
    for key in ("detour_factor", "access_km", "regional_km", "air_speed_kmh"):
        _positive(f"travel.{key}", getattr(t, key))
    if t.detour_factor < 1:
        raise ConfigError("travel.detour_factor", t.detour_factor, "must be at least 1")
    for mode in ("car", "ambulance"):
        for f in fields(SpeedsConfig):
            _positive(f"travel.{mode}.{f.name}", getattr(getattr(t, mode), f.name))
    for key in ("ferry_wait_min", "air_transfer_min"):
        if getattr(t, key) < 0:
            raise ConfigError(f"travel.{key}", getattr(t, key), "must not be negative")
    r = run.report
    _positive("report.norm_min", r.norm_min)
    _positive("report.map_cell_km", r.map_cell_km)
    _positive("report.dpi", r.dpi)
    if r.response_allowance_min < 0:
        raise ConfigError(
            "report.response_allowance_min", r.response_allowance_min, "must not be negative"
        )
    if not run.scenario.population_factor > 0:
        raise ConfigError(
            "scenario.population_factor", run.scenario.population_factor, "must be greater than 0"
        )
    if run.region.codes and run.region.level is None:
        raise ConfigError("region.level", None, "must be set when region.codes is given")
    for i, nc in enumerate(run.network.night_closures):
        for attr in ("close", "open"):
            val = getattr(nc, attr)
            if not is_clock(val):
                raise ConfigError(
                    f"network.night_closures[{i}].{attr}", val, "must be a time HH:MM"
                )
        if not nc.site:
            raise ConfigError(f"network.night_closures[{i}].site", nc.site, "must name a site id")
    check_acute_config(run)
    check_care_config(run.care, run.network.care)
    return run
