"""The typed configuration: Hydra/OmegaConf dataclasses mirroring conf/, one per config group.

Hydra rejects typo'd keys and wrong types through these schemas; `config.checks.check_config`
adds what struct mode lets through (`+new.key=...`) and what types cannot say. Checks that need
the data (unknown site ids, region codes) run when the network and the study area are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from patientflow.config.acute import FacilitiesConfig
from patientflow.config.care import CareConfig, CareRule
from patientflow.config.debug import DebugConfig
from patientflow.config.demand import ChannelsConfig, FluPeak
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

    # Your municipalities.csv: every municipality with its inhabitants, 65+ share, CBS urbanity,
    # centroid and the code of each region level (ROAZ, cancer network, zorgkantoor, VR, ...).
    municipalities: str | None = None
    # Your demand_points.csv: the PC4 points where demand sits, each with its inhabitants.
    demand_points: str | None = None
    # Your sites.csv: the hospital sites with SEH status and hours, SEH bays, beds, ICU beds and
    # operating rooms.
    sites: str | None = None
    # Your gp_posts.csv: the GP out-of-hours posts (huisartsenposten) and where they are.
    gp_posts: str | None = None
    # Your ambulance_posts.csv: ambulance posts with their ambulance region (VR) and hours.
    ambulance_posts: str | None = None
    # Your zcc_options.csv: the possible ZCCs, one per ROAZ region and one per safety region,
    # each at a host hospital.
    zcc_options: str | None = None
    # Your interventions.csv: the catalogue of complex interventions (id, group, national
    # volume); care.interventions may only name interventions listed here.
    interventions: str | None = None
    # Your site_interventions.csv: today's annual volume per hospital site and intervention,
    # which decides today's providers and the referral model's fit.
    site_interventions: str | None = None
    # Your islands.csv: islands without a road link (a box, its ports, the ferry minutes).
    islands: str | None = None
    # Your vascular_networks.csv: each hospital's vascular network (by default its ROAZ region).
    vascular_networks: str | None = None
    # Your zcc_subregions.csv: each municipality's ZCC sub-region (scenario.zcc.level=subregion).
    zcc_subregions: str | None = None
    # Your water_zones.csv: the land zones that water separates (a run-length encoded raster).
    water_zones: str | None = None
    # Your water_crossings.csv: the bridges, tunnels and dams that join the land zones.
    water_crossings: str | None = None


@dataclass
class DataConfig:
    dir: str | None = None
    tables: TablesConfig = field(default_factory=TablesConfig)


@dataclass
class RegionConfig:
    """The study area: all of the Netherlands, or the municipalities of some regions."""

    # The study area's name: summary.json's `region`, and its title in reports when no `codes`
    # are set (with codes the title names the regions).
    name: str = "nl"
    # The kind of region `codes` lists: roaz (acute-care region), oncology (cancer network),
    # zorgkantoor, vr (safety region), ggd or province; null (with no codes): the whole country.
    level: RegionLevel | None = None
    # The regions at `level` that make up the study area, by their code in the municipalities
    # table (e.g. MIDDEN, ONCOMID, ZK27, VR09, PV26; a GGD by its name); empty: the whole country.
    codes: list[str] = field(default_factory=list)


@dataclass
class NightClosure:
    """An SEH closed part of every day: outside its hours it takes no patients and it no
    longer counts as a 24/7 SEH."""

    # The site id (sites.csv) of a site with an open SEH.
    site: str = ""
    # Clock time (HH:MM) at which the SEH closes each day.
    close: str = "23:00"
    # Clock time (HH:MM) at which it opens again: open from `open` to `close`, a window that may
    # wrap midnight; equal to `close` is refused.
    open: str = "08:00"


@dataclass
class NetworkConfig:
    """Which sites offer care: the 2025 baseline minus closures, plus night-closure schedules.
    Complex care: `care` holds the national rule per intervention; `care_per_network` lets a
    cancer network (by its code, e.g. ONCOMID) choose its own rule per intervention for the
    hospitals inside it, the national rule governing the rest (docs/complex-care.md).
    `shared_care`: a hospital that loses an operation keeps its patients' shared stages
    (work-up, follow-up); per network of that hospital in `shared_care_per_network` (its cancer
    network for an oncological intervention, its vascular network for AAA and carotid).
    `spread`: less complex care moved between hospitals (config/impact.py).
    `vascular_networks`: network code -> the site ids it holds, moving those sites from the
    data's grouping (vascular_networks.csv); vascular interventions' rules per network
    (`care_per_network`) use these codes."""

    # The network configuration's name: in summary.json, figure labels and the care chapter.
    name: str = "baseline_2025"
    # Free text on what the configuration changes; kept in the run folder's config.yaml, not read
    # by the model.
    description: str = ""
    # Site ids (sites.csv) closed for good: no SEH, hospital or complex care there.
    closed_sites: list[str] = field(default_factory=list)
    # SEHs closed part of every day; such a site no longer counts as a 24/7 SEH in the 45-minute
    # picture, and acute patients go to another SEH while it is closed.
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

    # Where demand sits: pc4 (the dataset's postcode-4 points, a municipality's inhabitants split
    # over them) or municipality (one point per municipality, at its centroid).
    points: PointResolution = PointResolution.pc4
    channels: ChannelsConfig = field(default_factory=ChannelsConfig)
    # The year whose population demand rests on (2024-2058): 2024 is the dataset's own (1 January
    # 2024); a later year grows each municipality's under-65 and 65+ by the CBS Kernprognose
    # 2024-2070 or takes `prognosis_file`'s rows (data/prognosis.py).
    year: int = 2025
    prognosis_file: str | None = None


@dataclass
class ScenarioConfig:
    """What a scenario changes: population, demand peaks, capacity, care coordination.
    `acute_beds_factor`: the share of the hospital beds behind each SEH (planned for its acute
    and other inpatients together) that are open (below 1 when beds close or are held longer,
    as in winter); `capacity_factor` scales staffed capacity and beds alike (staff shortage), in
    whole staff and never below `facilities.staffing.min_staff`: the hours planned above it
    share the factor over the week, so a post planned at one desk keeps it."""

    # The scenario's name: in summary.json and the figures' labels.
    name: str = "baseline_2025"
    # Free text on what the scenario changes; kept in the run folder's config.yaml, not read by
    # the model.
    description: str = ""
    # Multiplies the inhabitants of every municipality and demand point (population growth), and
    # with them the demand drawn from them.
    population_factor: float = 1.0
    # A period of higher acute demand (e.g. flu): per channel a multiplier on the arrival rate;
    # no peak by default (0 weeks).
    flu_peak: FluPeak = field(default_factory=FluPeak)
    # Days of the run (0: the first simulated day, warm-up included) that are heatwave days: 112
    # calls, self-referrals and other referrals arrive `heatwave_factor` times as often.
    heatwave_days: list[int] = field(default_factory=list)
    # The multiplier on those three channels' rates on heatwave days (1.15; no source is cited).
    heatwave_factor: float = 1.15
    capacity_factor: float = 1.0
    acute_beds_factor: float = 1.0
    zcc: ZccConfig = field(default_factory=ZccConfig)


@dataclass
class SimConfig:
    """The job and, for the acute simulation, its horizon, warm-up, seed and output batching."""

    # What the run does besides the static accessibility picture every job writes: acute
    # simulates acute care, care complex care under the network's rules, regiobeeld the region now
    # and at its horizon, accessibility nothing more; set it with the sim group (sim=care).
    job: Job = Job.acute
    # Root seed: every random stream is drawn from SeedSequence([seed, replication]) by its name,
    # so one seed gives the same patients in every scenario that keeps their rates; paired
    # comparisons need the same seed.
    seed: int = 20250101
    replication: int = 0
    replications: int = 1
    days: float = 7.0
    warmup_days: float = 1.0
    # Minutes per model step: each step advances the acute simulation's clock this far and
    # records every facility's state in timeseries.parquet (60: hourly; 1 to 60).
    step_min: float = 60.0
    # Rows the event logs (journeys.parquet, timeseries.parquet) buffer before writing them out:
    # bounds memory, does not change results.
    batch_rows: int = 100_000
    # Show the acute simulation's progress bar (simulated days); off under a parallel launcher.
    progress: bool = True
    # When the run folder already holds a complete run: skip it if it ran with the same
    # overrides, code and data files, else refuse to overwrite it; false reruns it.
    skip_complete: bool = True
    # Network-change sweeps (acute job): simulate only the municipalities a closure or night
    # closure can reach and take the rest of the study area from the shared baseline run (the
    # same config without the network's closures), stitching both event logs before the
    # indicators are computed (docs/performance.md, "Simulate only what changes"). Off: every
    # job simulates its whole study area.
    delta: bool = False
    # Which SEHs count as shared queues: those among a patient's `delta_rank` nearest by car and
    # by ambulance, never fewer than the model's own choice set (two by car, four by ambulance).
    delta_rank: int = 2
    # Where the baseline runs are kept and shared between a sweep's jobs ('' = the folder
    # delta_baseline beside the run folder: the sweep's own folder in a multirun).
    delta_dir: str = ""


@dataclass
class SpeedsConfig:
    """Speeds in km/h of one mode in each stretch of a trip (docs/travel-model.md): local and
    town streets or rural roads at each end by its urbanity, then regional road and motorway."""

    # Km/h on local streets: the first `access_km` from an urban end (CBS urbanity at most
    # travel.urban_max_urbanity).
    local_urban_kmh: float = 25.0
    # Km/h on local streets: the first `access_km` from a rural end.
    local_rural_kmh: float = 30.0
    # Km/h on town streets, from `access_km` to `street_km` from an urban end.
    street_urban_kmh: float = 45.0
    # Km/h on rural roads, from `access_km` to `street_km` from a rural end.
    street_rural_kmh: float = 60.0
    # Km/h on regional road, after the ends' streets: `regional_urban_km` per urban end,
    # `regional_rural_km` per rural end.
    regional_kmh: float = 60.0
    # Km/h on motorway: the rest of the trip.
    motorway_kmh: float = 100.0


@dataclass
class TravelConfig:
    """Travel-time model parameters (docs/travel-model.md) or a user's OD matrix file. These
    defaults are the one home of the travel defaults: conf/travel/default.yaml sets nothing
    else, and the engine's TravelParams is built from this."""

    # Road km per km of the way (straight, or through water crossings) at an urban end; a trip's
    # factor is the mean of its two ends'.
    detour_factor: float = 1.2
    # The same at a rural end (urbanity above `urban_max_urbanity`): rural roads wind round
    # fields, dykes and polders.
    rural_detour_factor: float = 1.4
    # Km of local street driven from each end at the local speed.
    access_km: float = 1.0
    # Km from each end (access_km included) driven on town streets or rural roads.
    street_km: float = 4.0
    # Km of regional road after the streets, per urban end; the rest is motorway.
    regional_urban_km: float = 6.0
    # The same per rural end (motorways lie further from the countryside).
    regional_rural_km: float = 15.0
    # Car speeds; A2 ambulance rides drive them too (without lights and sirens), unless
    # facilities.ambulance.a2_with_signals.
    car: SpeedsConfig = field(default_factory=SpeedsConfig)
    # Speeds of an ambulance with lights and sirens: assumptions, scaled by 1.08 to hold the
    # national A1 share on scene within 15 minutes (92.4 %; docs/validation.md).
    ambulance: SpeedsConfig = field(
        default_factory=lambda: SpeedsConfig(38.0, 49.0, 65.0, 76.0, 86.0, 119.0)
    )
    # Water barriers: a trip between land zones goes through the crossings (water_zones.csv,
    # water_crossings.csv); false: straight over the water, for comparison.
    water: bool = True
    # Minutes of boarding and waiting added to a car trip's ferry crossing (islands.csv's
    # ferry_min) to or from a Wadden island.
    ferry_wait_min: float = 30.0
    # Minutes an ambulance trip to or from an island (by air) adds to its flight: call-out,
    # flight from the mainland base, patient transfer.
    air_transfer_min: float = 30.0
    # The air ambulance's speed over the straight line.
    air_speed_kmh: float = 220.0
    # The highest CBS urbanity class (1 very strongly urban ... 5 not urban) of an urban end.
    urban_max_urbanity: int = 2
    # A CSV of your own minutes (origin_id, destination_id, mode car or ambulance, minutes) used
    # instead of the model; every pair a run needs must be there. Null: the model.
    od_matrix: str | None = None


@dataclass
class ReportConfig:
    """What a run draws and writes: the accessibility picture's area and region levels, the
    norms, figures (`figures`, `dpi`, `map_cell_km`, municipal `boundary_file`) and `lang`, the
    language of figure labels and chapters (en or nl)."""

    accessibility_area: AccessibilityArea = AccessibilityArea.nl
    # The region levels of the accessibility picture's regions.csv, a row per region of each:
    # roaz, oncology, zorgkantoor, vr, ggd, province.
    region_levels: list[RegionLevel] = field(
        default_factory=lambda: [RegionLevel.roaz, RegionLevel.oncology, RegionLevel.zorgkantoor]
    )
    # The 45-minute norm: a 24/7 SEH within this many minutes of the call by ambulance (Wkkgz;
    # Gezondheidsraad 2020); the picture counts inhabitants beyond it, the acute model urgent
    # patients at an SEH within it.
    norm_min: float = 45.0
    # Minutes to reach the patient, added to the ambulance's drive to the nearest 24/7 SEH in the
    # accessibility picture: the 15 minutes of the 45-minute norm.
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
