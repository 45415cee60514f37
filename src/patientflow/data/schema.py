"""Column schemas of the dataset tables: what each file must hold, checked on load."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patientflow.config.clock import CLOCK_PATTERN

# Bounding box of the Netherlands (European part), WGS84, with a small margin.
NL_LAT = (50.70, 53.60)
NL_LON = (3.30, 7.30)


@dataclass(frozen=True)
class Column:
    """One column: its type (str, int, float), whether it may be empty, and its checks."""

    name: str
    kind: str = "str"
    required: bool = True
    non_negative: bool = False
    choices: tuple[str, ...] = ()
    pattern: str = ""
    maximum: float | None = None
    minimum: float | None = None


@dataclass(frozen=True)
class TableSchema:
    """A table: its file name, id column and columns; `unique`: columns whose values together
    may appear on one row only (a pair that is not one id, such as site and intervention)."""

    name: str
    file: str
    id_column: str
    columns: tuple[Column, ...]
    coordinates: bool = True
    references: dict[str, str] = field(default_factory=dict)
    unique: tuple[str, ...] = ()


def _c(name: str, kind: str = "str", **kw: Any) -> Column:
    return Column(name, kind, **kw)


HOURS = CLOCK_PATTERN

MUNICIPALITIES = TableSchema(
    "municipalities",
    "municipalities.csv",
    "municipality_code",
    (
        _c("municipality_code", pattern=r"^GM\d{4}$"),
        _c("name"),
        _c("population", "int", non_negative=True),
        _c("share_65plus", "float", non_negative=True, maximum=1.0),
        _c("urbanity", "int", choices=("1", "2", "3", "4", "5")),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("province_code", pattern=r"^PV\d{2}$"),
        _c("province_name"),
        _c("vr_code", pattern=r"^VR\d{2}$"),
        _c("vr_name"),
        _c("ggd_name"),
        _c("zorgkantoor_code", pattern=r"^ZK\d{2}$"),
        _c("zorgkantoor_name"),
        _c("roaz_code"),
        _c("roaz_name"),
        _c("oncology_code"),
        _c("oncology_name"),
        _c("island", "int", choices=("0", "1")),
    ),
)

DEMAND_POINTS = TableSchema(
    "demand_points",
    "demand_points.csv",
    "point_id",
    (
        _c("point_id"),
        _c("municipality_code"),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("population", "int", non_negative=True),
    ),
    references={"municipality_code": "municipalities.municipality_code"},
)

SITES = TableSchema(
    "sites",
    "sites.csv",
    "site_id",
    (
        _c("site_id"),
        _c("organisation"),
        _c("name"),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("municipality_code"),
        _c("site_type", choices=("umc", "general")),
        _c("status_2025", choices=("open", "closed")),
        _c("seh", "int", choices=("0", "1")),
        _c("seh_hours", choices=("24/7", "limited", "none")),
        _c("seh_open", required=False, pattern=HOURS),
        _c("seh_close", required=False, pattern=HOURS),
        _c("umc", "int", choices=("0", "1")),
        _c("trauma_level1", "int", choices=("0", "1")),
        _c("roaz_code"),
        _c("seh_bays", "int", non_negative=True),
        _c("beds", "int", non_negative=True),
        _c("icu_beds", "int", non_negative=True),
        _c("operating_rooms", "int", non_negative=True),
    ),
    references={
        "municipality_code": "municipalities.municipality_code",
        "roaz_code": "municipalities.roaz_code",
    },
)

GP_POSTS = TableSchema(
    "gp_posts",
    "gp_posts.csv",
    "post_id",
    (
        _c("post_id"),
        _c("name"),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("municipality_code"),
        _c("site_id", required=False),
    ),
    references={
        "municipality_code": "municipalities.municipality_code",
        "site_id": "sites.site_id",
    },
)

# When an ambulance post has vehicles (data README): the first two round the clock, the next
# two between the post's open and close times, on_call never in the planned schedule.
AMBULANCE_AVAILABILITY = ("24/7", "24/7_standby", "day_evening", "night", "on_call")
AMBULANCE_ROUND_THE_CLOCK = ("24/7", "24/7_standby")

AMBULANCE_POSTS = TableSchema(
    "ambulance_posts",
    "ambulance_posts.csv",
    "post_id",
    (
        _c("post_id"),
        _c("vr_code", pattern=r"^VR\d{2}$"),
        _c("name"),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("municipality_code"),
        _c("availability", choices=AMBULANCE_AVAILABILITY),
        _c("open", required=False, pattern=HOURS),
        _c("close", required=False, pattern=HOURS),
    ),
    references={
        "municipality_code": "municipalities.municipality_code",
        "vr_code": "municipalities.vr_code",
    },
)

ZCC_OPTIONS = TableSchema(
    "zcc_options",
    "zcc_options.csv",
    "zcc_id",
    (
        _c("zcc_id"),
        _c("level", choices=("roaz", "vr")),
        _c("region_code"),
        _c("name"),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("site_id", required=False),
    ),
    references={"site_id": "sites.site_id"},
)

INTERVENTIONS = TableSchema(
    "interventions",
    "interventions.csv",
    "intervention",
    (
        _c("intervention", pattern=r"^[a-z][a-z0-9_]*$"),
        _c("name"),
        _c("group", choices=("oncology", "vascular")),
        _c("annual_volume", "int", non_negative=True),
        _c("providers_2025", "int", non_negative=True),
        _c("norm_old", "float", required=False, non_negative=True),
        _c("norm_new", "float", required=False, non_negative=True),
    ),
    coordinates=False,
)

SITE_INTERVENTIONS = TableSchema(
    "site_interventions",
    "site_interventions.csv",
    "",
    (
        _c("site_id"),
        _c("intervention"),
        _c("annual_volume", "int", non_negative=True),
    ),
    coordinates=False,
    references={"site_id": "sites.site_id", "intervention": "interventions.intervention"},
    unique=("site_id", "intervention"),  # a second row would add to the first's volume
)

ISLANDS = TableSchema(
    "islands",
    "islands.csv",
    "name",
    (
        _c("name"),
        _c("municipality_code"),
        _c("lat_min", "float"),
        _c("lat_max", "float"),
        _c("lon_min", "float"),
        _c("lon_max", "float"),
        _c("port_lat", "float"),
        _c("port_lon", "float"),
        _c("mainland_port_lat", "float"),
        _c("mainland_port_lon", "float"),
        _c("ferry_min", "float", non_negative=True),
    ),
    coordinates=False,
    references={"municipality_code": "municipalities.municipality_code"},
)

VASCULAR_NETWORKS = TableSchema(
    "vascular_networks",
    "vascular_networks.csv",
    "site_id",
    (
        _c("site_id"),
        _c("vascular_network"),
        _c("vascular_network_name"),
        _c("basis"),
    ),
    coordinates=False,
    references={"site_id": "sites.site_id"},
)

ZCC_SUBREGIONS = TableSchema(
    "zcc_subregions",
    "zcc_subregions.csv",
    "municipality_code",
    (
        _c("municipality_code"),
        _c("subregion_code"),
        _c("subregion_name"),
        _c("basis"),
    ),
    coordinates=False,
    references={"municipality_code": "municipalities.municipality_code"},
)

WATER_ZONES = TableSchema(
    "water_zones",
    "water_zones.csv",
    "",
    (
        _c("row", "int", non_negative=True),
        _c("col_from", "int", non_negative=True),
        _c("col_to", "int", non_negative=True),
        _c("zone", "int", non_negative=True),
    ),
    coordinates=False,
)

WATER_CROSSINGS = TableSchema(
    "water_crossings",
    "water_crossings.csv",
    "",
    (
        _c("crossing_id"),
        _c("name"),
        _c("kind", choices=("bridge", "tunnel", "dam", "ferry")),
        _c("barrier"),
        _c("end", required=False, choices=("", "a", "b")),
        _c("lat", "float"),
        _c("lon", "float"),
        _c("zones", pattern=r"^\d+( \d+)*$"),
        _c("source"),
    ),
)

# Load order matters: a table's references point to tables loaded before it.
TABLES: tuple[TableSchema, ...] = (
    MUNICIPALITIES,
    DEMAND_POINTS,
    SITES,
    GP_POSTS,
    AMBULANCE_POSTS,
    ZCC_OPTIONS,
    INTERVENTIONS,
    SITE_INTERVENTIONS,
    ISLANDS,
    VASCULAR_NETWORKS,
    ZCC_SUBREGIONS,
    WATER_ZONES,
    WATER_CROSSINGS,
)
TABLE_NAMES = tuple(t.name for t in TABLES)

OD_MATRIX = TableSchema(
    "od_matrix",
    "od_matrix.csv",
    "",
    (
        _c("origin_id"),
        _c("destination_id"),
        _c("mode", choices=("car", "ambulance")),
        _c("minutes", "float", non_negative=True),
    ),
    coordinates=False,
)
