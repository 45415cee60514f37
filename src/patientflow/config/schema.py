"""The typed configuration: Hydra/OmegaConf dataclasses mirroring conf/, one per config group.

Hydra rejects typo'd keys and wrong types through these schemas; `config.checks.check_config`
adds what struct mode lets through (`+new.key=...`) and what types cannot say. Checks that need
the data (unknown site ids, region codes) run when the network and the study area are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from patientflow.config.acute import ChannelsConfig, FacilitiesConfig, FluPeak
from patientflow.config.care import CareConfig, CareRule
from patientflow.config.debug import DebugConfig
from patientflow.config.impact import SpreadConfig
from patientflow.config.zcc import ZccConfig


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


class ReportLanguage(Enum):
    """The language of figure labels and report text: English or Dutch."""

    en = "en"
    nl = "nl"


class Job(Enum):
    accessibility = "accessibility"
    acute = "acute"
    care = "care"
    regiobeeld = "regiobeeld"


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
    vascular_networks: str | None = None
    zcc_subregions: str | None = None
    water_zones: str | None = None
    water_crossings: str | None = None


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
    """Which sites offer care: the 2025 baseline minus closures, plus night-closure schedules.
    Complex care: `care` holds the national rule per intervention; `care_per_network` lets a
    cancer network (by its code, e.g. ONCOMID) choose its own rule per intervention for the
    hospitals inside it, the national rule governing the rest (docs/complex-care.md).
    `shared_care`: a hospital that loses an operation keeps its patients' shared stages
    (work-up, follow-up); per cancer network of that hospital in `shared_care_per_network`.
    `spread`: less complex care moved between hospitals (config/impact.py).
    `vascular_networks`: network code -> the site ids it holds, moving those sites from the
    data's grouping (vascular_networks.csv); vascular interventions' rules per network
    (`care_per_network`) use these codes."""

    name: str = "baseline_2025"
    description: str = ""
    closed_sites: list[str] = field(default_factory=list)
    night_closures: list[NightClosure] = field(default_factory=list)
    care: dict[str, CareRule] = field(default_factory=dict)
    care_per_network: dict[str, dict[str, CareRule]] = field(default_factory=dict)
    vascular_networks: dict[str, list[str]] = field(default_factory=dict)
    shared_care: bool = True
    shared_care_per_network: dict[str, bool] = field(default_factory=dict)
    spread: list[SpreadConfig] = field(default_factory=list)


@dataclass
class DemandConfig:
    """Where demand comes from (PC4 or municipality points), its rates per channel, and the
    year whose population it rests on (default 2025): the dataset's own (2024) or a later one by
    the CBS national prognosis applied to each municipality's age structure, or by the user's
    `prognosis_file` (municipality_code, year, population, share_65plus)."""

    points: PointResolution = PointResolution.pc4
    channels: ChannelsConfig = field(default_factory=ChannelsConfig)
    year: int = 2025
    prognosis_file: str | None = None


@dataclass
class ScenarioConfig:
    """What a scenario changes: population, demand peaks, capacity, care coordination.
    `acute_beds_factor`: the share of the hospital beds behind each SEH (planned for its acute
    and other inpatients together) that are open (below 1 when beds close or are held longer,
    as in winter); `capacity_factor` scales staffed capacity and beds alike (staff shortage)."""

    name: str = "baseline_2025"
    description: str = ""
    population_factor: float = 1.0
    flu_peak: FluPeak = field(default_factory=FluPeak)
    heatwave_days: list[int] = field(default_factory=list)
    heatwave_factor: float = 1.15
    capacity_factor: float = 1.0
    acute_beds_factor: float = 1.0
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


@dataclass
class SpeedsConfig:
    """Speeds in km/h of one mode in each stretch of a trip (docs/travel-model.md): local and
    town streets or rural roads at each end by its urbanity, then regional road and motorway."""

    local_urban_kmh: float = 25.0
    local_rural_kmh: float = 30.0
    street_urban_kmh: float = 45.0
    street_rural_kmh: float = 60.0
    regional_kmh: float = 60.0
    motorway_kmh: float = 100.0


@dataclass
class TravelConfig:
    """Travel-time model parameters (docs/travel-model.md) or a user's OD matrix file. These
    defaults are the one home of the travel defaults: conf/travel/default.yaml sets nothing
    else, and the engine's TravelParams is built from this."""

    detour_factor: float = 1.2
    rural_detour_factor: float = 1.4
    access_km: float = 1.0
    street_km: float = 4.0
    regional_urban_km: float = 6.0
    regional_rural_km: float = 15.0
    car: SpeedsConfig = field(default_factory=SpeedsConfig)
    ambulance: SpeedsConfig = field(
        default_factory=lambda: SpeedsConfig(38.0, 49.0, 65.0, 76.0, 86.0, 119.0)
    )
    water: bool = True
    ferry_wait_min: float = 30.0
    air_transfer_min: float = 30.0
    air_speed_kmh: float = 220.0
    urban_max_urbanity: int = 2
    od_matrix: str | None = None


@dataclass
class ReportConfig:
    """What a run draws and writes: the accessibility picture's area and region levels, the
    norms, figures (`figures`, `dpi`, `map_cell_km`, municipal `boundary_file`) and `lang`, the
    language of figure labels and chapters (en or nl)."""

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
    lang: ReportLanguage = ReportLanguage.en


@dataclass
class RegiobeeldConfig:
    """The region's picture now (`demand.year`) and at `horizon_year`: demography, access,
    providers, acute pressure from a short simulation of each year, and the capacity the
    horizon needs at today's occupancy (docs/regiobeeld.md)."""

    horizon_year: int = 2035


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
    regiobeeld: RegiobeeldConfig = field(default_factory=RegiobeeldConfig)
    debug: DebugConfig = field(default_factory=DebugConfig)
