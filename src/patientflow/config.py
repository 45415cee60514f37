"""Structured configuration (Hydra/OmegaConf dataclasses) and its domain checks.

Hydra rejects typo'd keys and wrong types through these schemas; `check_config` adds what struct
mode lets through (`+new.key=...`) and what types cannot say (negative minutes, bad clock times).
Checks that need the data (unknown site ids) live in `check_against_data`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any, get_args, get_origin, get_type_hints

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from patientflow.acute_config import (
    ChannelsConfig,
    FacilitiesConfig,
    FluPeak,
    ZccConfig,
    check_acute_config,
)
from patientflow.care_config import CareConfig, CareRule, check_care_config
from patientflow.errors import ConfigError
from patientflow.geo import TravelParams


class PointResolution(Enum):
    pc4 = "pc4"
    municipality = "municipality"


class RegionLevel(Enum):
    roaz = "roaz"
    oncology = "oncology"
    zorgkantoor = "zorgkantoor"
    vr = "vr"
    ggd = "ggd"
    province = "province"


class AccessibilityArea(Enum):
    """Where the static accessibility picture is drawn: the whole country or the study area."""

    nl = "nl"
    study_area = "study_area"


class Job(Enum):
    accessibility = "accessibility"
    acute = "acute"
    care = "care"


REGION_COLUMNS = {
    RegionLevel.roaz: ("roaz_code", "roaz_name"),
    RegionLevel.oncology: ("oncology_code", "oncology_name"),
    RegionLevel.zorgkantoor: ("zorgkantoor_code", "zorgkantoor_name"),
    RegionLevel.vr: ("vr_code", "vr_name"),
    RegionLevel.ggd: ("ggd_name", "ggd_name"),
    RegionLevel.province: ("province_code", "province_name"),
}


@dataclass
class TablesConfig:
    """Per-table replacement files; empty means the table comes from `data.dir`."""

    municipalities: str | None = None
    demand_points: str | None = None
    sites: str | None = None
    gp_posts: str | None = None
    ambulance_posts: str | None = None
    zcc_options: str | None = None
    interventions: str | None = None
    site_interventions: str | None = None
    islands: str | None = None


@dataclass
class DataConfig:
    dir: str | None = None
    tables: TablesConfig = field(default_factory=TablesConfig)


@dataclass
class RegionConfig:
    """The study area: all of the Netherlands, or the municipalities of some regions."""

    name: str = "nl"
    level: RegionLevel | None = None
    codes: list[str] = field(default_factory=list)


@dataclass
class NightClosure:
    site: str = ""
    close: str = "23:00"
    open: str = "08:00"


@dataclass
class NetworkConfig:
    """Which sites offer care: the 2025 baseline minus closures, plus night-closure schedules."""

    name: str = "baseline_2025"
    description: str = ""
    closed_sites: list[str] = field(default_factory=list)
    night_closures: list[NightClosure] = field(default_factory=list)
    care: dict[str, CareRule] = field(default_factory=dict)


@dataclass
class DemandConfig:
    points: PointResolution = PointResolution.pc4
    channels: ChannelsConfig = field(default_factory=ChannelsConfig)


@dataclass
class ScenarioConfig:
    """What a scenario changes: population, demand peaks, capacity, care coordination."""

    name: str = "baseline_2025"
    description: str = ""
    population_factor: float = 1.0
    flu_peak: FluPeak = field(default_factory=FluPeak)
    heatwave_days: list[int] = field(default_factory=list)
    heatwave_factor: float = 1.15
    capacity_factor: float = 1.0
    zcc: ZccConfig = field(default_factory=ZccConfig)


@dataclass
class SimConfig:
    """The job and, for the acute simulation, its horizon, warm-up, seed and output batching."""

    job: Job = Job.acute
    seed: int = 20250101
    replication: int = 0
    replications: int = 1
    days: float = 7.0
    warmup_days: float = 1.0
    step_min: float = 60.0
    batch_rows: int = 100_000
    progress: bool = True
    skip_complete: bool = True


_TRAVEL = TravelParams()


@dataclass
class SpeedsConfig:
    local_urban_kmh: float = _TRAVEL.car.local_urban_kmh
    local_rural_kmh: float = _TRAVEL.car.local_rural_kmh
    regional_kmh: float = _TRAVEL.car.regional_kmh
    motorway_kmh: float = _TRAVEL.car.motorway_kmh


@dataclass
class TravelConfig:
    """Travel-time model parameters (docs/travel-model.md) or a user's OD matrix file."""

    detour_factor: float = _TRAVEL.detour_factor
    access_km: float = _TRAVEL.access_km
    regional_km: float = _TRAVEL.regional_km
    car: SpeedsConfig = field(default_factory=SpeedsConfig)
    ambulance: SpeedsConfig = field(
        default_factory=lambda: SpeedsConfig(**asdict(_TRAVEL.ambulance))
    )
    ferry_wait_min: float = _TRAVEL.ferry_wait_min
    air_transfer_min: float = _TRAVEL.air_transfer_min
    air_speed_kmh: float = _TRAVEL.air_speed_kmh
    urban_max_urbanity: int = 2
    od_matrix: str | None = None


@dataclass
class ReportConfig:
    accessibility_area: AccessibilityArea = AccessibilityArea.nl
    region_levels: list[RegionLevel] = field(
        default_factory=lambda: [RegionLevel.roaz, RegionLevel.oncology, RegionLevel.zorgkantoor]
    )
    norm_min: float = 45.0
    response_allowance_min: float = 15.0
    figures: bool = True
    dpi: int = 150
    map_cell_km: float = 1.5
    boundary_file: str | None = None


@dataclass
class RunConfig:
    data: DataConfig = field(default_factory=DataConfig)
    region: RegionConfig = field(default_factory=RegionConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    demand: DemandConfig = field(default_factory=DemandConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    sim: SimConfig = field(default_factory=SimConfig)
    travel: TravelConfig = field(default_factory=TravelConfig)
    facilities: FacilitiesConfig = field(default_factory=FacilitiesConfig)
    care: CareConfig = field(default_factory=CareConfig)
    report: ReportConfig = field(default_factory=ReportConfig)


def register_configs() -> None:
    """Put the schema in Hydra's ConfigStore (idempotent; config.yaml lists it first), and the
    studies of experiments/ as the `experiment` group (`+experiment=NAME`)."""
    from patientflow.app import experiments_dir

    cs = ConfigStore.instance()
    cs.store(name="run_schema", node=RunConfig)
    folder = experiments_dir()
    for path in sorted(folder.glob("*.yaml")) if folder else ():
        cs.store(group="experiment", name=path.stem, node=OmegaConf.load(path), package="_global_")


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


_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


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
            if not _CLOCK.match(val):
                raise ConfigError(
                    f"network.night_closures[{i}].{attr}", val, "must be a time HH:MM"
                )
        if not nc.site:
            raise ConfigError(f"network.night_closures[{i}].site", nc.site, "must name a site id")
    check_acute_config(run)
    check_care_config(run.care, run.network.care)
    return run
