"""Derive patientflow's default Netherlands tables from the raw public data (data/README.md)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from build_water import WATER_SOURCES, build_water
from matplotlib.path import Path as MplPath
from scipy import optimize, stats

from patientflow.core.travel import Mode, Points, TravelModel, islands_from_frame
from patientflow.core.water import WaterNetwork
from patientflow.data.derived import zcc_subregions_by_rule

SOURCES = {
    "gemeenten": "anneversion-geoinzicht-app/gemeenten_2024_cbs.geojson",
    "ggd": "corona-locator-nederland/gemeenten.csv",
    "koppel": "rubensan19-kaarten/KoppelCodes.csv",
    "eurostat": "eurostat-healthcare-services/NL.csv",
    "pc4": "bobdenotter-4pp/4pp.csv",
    "zorgkantoor": "derived/gemeente_zorgkantoorregio_2024.csv",
    "roaz": "derived/veiligheidsregio_roaz.csv",
    "oncology": "derived/veiligheidsregio_oncologieregio.csv",
    "seh": "derived/seh_2025.csv",
    "seh_changes": "derived/seh_changes_2017_2025.csv",
    "ambulance": "erikvullings-ziekenhuizen/ambulancestandplaatsen_2019.geojson",
    **WATER_SOURCES,
}
POPULATION_2024 = 17_942_942
ROAZ_KEYS = {
    "AZNN": "(AZNN)",
    "ZWOLLE": "regio Zwolle",
    "EUREGIO": "Euregio",
    "AZO": "(AZO)",
    "MIDDEN": "ROAZ Midden",
    "NHFL": "Noord-Holland/Flevoland",
    "WEST": "West (NAZW",
    "ZUIDWEST": "Zuidwest",
    "BRABANT": "Brabant",
    "LIMBURG": "Limburg",
}
ONCOLOGY_KEYS = {
    "NOORDOOST": "Noord- en Oost",
    "ONCOOOST": "Onco-Oost",
    "ONCOMID": "Oncomid",
    "ONCONOVO": "OncoNoVo",
    "ROWEST": "RO West",
    "ZUIDWEST_ONC": "Zuidwest",
    "ONCOZON": "OncoZON",
}
# (VR, region short code, municipalities) where a derived table cites a municipality list.
ACUTE_VR06 = ["Doetinchem", "Montferland", "Oude IJsselstreek", "Bronckhorst"]
ROAZ_OVERRIDES = [
    ("VR06", "AZO", ACUTE_VR06),
    ("VR06", "EUREGIO", ["Aalten", "Berkelland", "Oost Gelre", "Winterswijk"]),
    ("VR21", "AZO", ["Land van Cuijk"]),
]
ONCOLOGY_OVERRIDES = [
    ("VR06", "ONCOOOST", ACUTE_VR06),
    (
        "VR08",
        "ONCOMID",
        ["Buren", "Culemborg", "Maasdriel", "Neder-Betuwe", "Tiel", "West Betuwe", "Zaltbommel"],
    ),
]
# name, port (lat, lon), mainland port (lat, lon), crossing minutes; coordinates approximate.
ISLANDS = [
    ("Texel", (53.0010, 4.7940), (52.9620, 4.7800), 20),
    ("Vlieland", (53.2950, 5.0920), (53.1750, 5.4110), 90),
    ("Terschelling", (53.3600, 5.2200), (53.1750, 5.4110), 120),
    ("Ameland", (53.4385, 5.7745), (53.3960, 5.8770), 45),
    ("Schiermonnikoog", (53.4700, 6.2000), (53.4090, 6.2060), 45),
]
ISLAND_STEP_DEG, ISLAND_GROW_STEPS = 0.005, 20
SITE_TYPES = {
    "Algemeen ziekenhuis": "general",
    "Academisch ziekenhuis": "umc",
    "Havenziekenhuis": "general",
}
NOT_SEH = {"102410": "walk-in emergency post, not counted as SEH"}
CLOSED_SITES = {"106902": "closed May 2023: Tergooi MC moved to its new building in Hilversum"}
LIMITED_HOURS = {
    "108401": ("08:00", "22:00"),
    "107801": ("08:00", "21:00"),
    "102101": ("08:00", "22:00"),
}
BRAVIS_SWAP = {
    "102001": "Bravis Ziekenhuis Roosendaal",
    "102005": "Bravis Ziekenhuis Bergen op Zoom",
}
NAME_FIXES = {
    "Noodwest Ziekenhuisgroep": "Noordwest Ziekenhuisgroep",
    "s-Gravenhage": "'s-Gravenhage",
    "s-Hertogenbosch": "'s-Hertogenbosch",
    "Bergen Op Zoom": "Bergen op Zoom",
    "Hoorn Nh": "Hoorn",
    "Hengelo Ov": "Hengelo",
    "Capelle a/d IJssel": "Capelle aan den IJssel",
    "Ziekenhuisgroep Twente Locatie Almeo": "Ziekenhuisgroep Twente Locatie Almelo",
    "Ziekehuislocatie Scheper Emmen": "Ziekenhuislocatie Scheper Emmen",
}
COORD_COLS = {"lat", "lon", "port_lat", "port_lon", "mainland_port_lat", "mainland_port_lon"}
COORD_COLS |= {f"{axis}_{end}" for axis in ("lat", "lon") for end in ("min", "max")}
SHARE_COLS = {"share_65plus", "share_0_15"}
TOTAL_BEDS, TOTAL_ICU, TOTAL_BAYS = 39_900, 1_150, 79 * 16
N_HAP, N_HAP_AT_SEH = 113, 72
# RIVM 2019 availability -> (availability, open, close); clock times are our assumption (the
# list gives none): day/evening posts staffed 07:00-23:00, the night post 23:00-07:00.
AMB_AVAILABILITY = {
    "24 uur": ("24/7", "", ""),
    "24 uur DAM/VWS": ("24/7_standby", "", ""),
    "Dag/avond": ("day_evening", "07:00", "23:00"),
    "Nacht": ("night", "23:00", "07:00"),
    "Opkomst": ("on_call", "", ""),
}
AMB_COLS = (
    "post_id vr_code name lat lon municipality_code placement availability open close"
).split()
# Gravity (Huff-type) catchment for capacities and intervention volumes: a demand point's
# population is shared over its GRAVITY_NEAREST nearest candidate sites j in proportion to
# a_j * exp(-t_ij / GRAVITY_TAU_MIN), t_ij in car minutes; a_j = GRAVITY_UMC for a UMC site,
# GRAVITY_TRAUMA for a non-UMC level-1 trauma centre, 1.0 otherwise (model assumptions).
GRAVITY_TAU_MIN, GRAVITY_NEAREST = 10.0, 8
GRAVITY_UMC, GRAVITY_TRAUMA = 3.0, 1.5
# SEH bays follow the simulation's walk-in choice (facilities.seh.willing_further): the nearest
# SEH by car, this share to the second nearest.
WILLING_FURTHER = 0.10
BIG = np.iinfo(np.int64).max // 4
# Intervention catalogue: id|name|group|national volume|providers 2025|old norm|new norm (empty:
# unknown); the next, indented line is the source of the figures.
INTERVENTIONS = """
pancreas_resection|Pancreatic resection|oncology|1000|15|20|
  DICA DPCA (~1,000 resections a year); DPCG (15 hospitals); old norm 20 (NZa)
oesophagus_resection|Oesophageal cancer resection|oncology|725|16|20|
  DICA DUCA 2022 (725 resections); NZa (16 hospitals, old norm 20)
stomach_resection|Gastric cancer resection|oncology|346|16|20|
  DICA DUCA 2022 (346 resections); NZa (16 hospitals, old norm 20)
lung_resection|Anatomical lung resection|oncology|2782|42||60
  DICA DLCA 2017 (2,782 resections); Skipr 2025 / NZa (42 hospitals, new norm 60)
aaa_repair|Abdominal aortic aneurysm repair (primary)|vascular|3280|60||
  DICA DSAA 2017 (3,280 primary operations in 60 hospitals)
carotid_endarterectomy|Carotid endarterectomy|vascular|2700|55||
  DICA DACI (>2,700 patients a year; 55 hospitals 2015); tranche 1 sets a process norm
head_neck_surgery|Head and neck cancer surgery|oncology|3000|14||
  DICA DHNA (~3,000 patients a year; 8 head-neck oncology centres + 6 partners)
partial_nephrectomy|Partial nephrectomy (kidney cancer)|oncology|670|38|10|
  medischeoncologie.nl 2024 (old norm 10: 25 of 38 hospitals reached it in 2023); volume calibrated
"""
CATALOGUE_COLS = "intervention name group annual_volume providers_2025 norm_old norm_new source"
# Complex care today (data/README.md, complex care): per-hospital volumes are not public in
# reach, so the tables reproduce the published aggregates below and a documented rule fills in
# the rest. Norm counts are (threshold, providers at or above it).
LUNG_NORM = (60, 17)  # NZa via Skipr 2024/2025: 17 of 42 hospitals meet the proposed norm of 60
UPPER_GI = ("oesophagus_resection", "stomach_resection")
# NZa via Skipr 2024: 8 of 16 meet the proposed norm; read as 50 oesophagus + stomach resections
# together per hospital (the 16 hospitals do both; patients asked 50 oesophagus, 80 combined).
UPPER_GI_NORM = (50, 8)
NEPHRECTOMY_NORM = (10, 25)  # medischeoncologie.nl 2024: in 2023 25 of 38 reached 10, 13 did not
PANCREAS_RANGE = (20, 129)  # pancreatoduodenectomies per hub a year (2022 survey of the networks)
# Elective AAA operations per hospital in 2016 (IGJ "Het resultaat telt", 58 hospitals): the
# quantiles (0 = minimum, 1 = maximum), mean and SD.
AAA_2016 = {"quantiles": {0.0: 19, 0.1: 27, 0.5: 44, 0.9: 84, 1.0: 174}, "mean": 55, "sd": 30}
AAA_TOLERANCE = dict.fromkeys(["mean", "sd", 0.1, 0.5, 0.9], 0.10) | {"min": 0.15, "max": 0.15}
MUNI_COLS = (
    "municipality_code name population share_65plus share_0_15 urbanity area_land_km2 lat lon"
    " centroid_method province_code province_name vr_code vr_name ggd_name zorgkantoor_code"
    " zorgkantoor_name roaz_code roaz_name oncology_code oncology_name island region_basis"
).split()
SITE_COLS = (
    "site_id organisation name town lat lon municipality_code site_type status_2025 seh seh_hours"
    " seh_open seh_close umc trauma_level1 roaz_code seh_confidence seh_bays beds icu_beds"
    " operating_rooms notes"
).split()
ISLAND_COLS = (
    "name municipality_code lat_min lat_max lon_min lon_max port_lat port_lon mainland_port_lat"
    " mainland_port_lon ferry_min"
).split()
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/patientflow/data/nl"


@dataclass(frozen=True)
class Polygon:
    """One polygon: an outer ring and its holes, as matplotlib paths, in lon/lat."""

    outer: MplPath
    holes: tuple[MplPath, ...]

    def contains(self, xy: np.ndarray) -> np.ndarray:
        """True for points inside the outer ring and outside every hole."""
        inside = self.outer.contains_points(xy)
        for hole in self.holes:
            inside &= ~hole.contains_points(xy)
        return inside

    def rings(self) -> list[np.ndarray]:
        """All ring vertex arrays (outer first)."""
        return [self.outer.vertices] + [h.vertices for h in self.holes]


@dataclass(frozen=True)
class Arrangement:
    """A published arrangement of who operates: sites named exactly as in `sites.csv` `name`."""

    interventions: tuple[str, ...]
    providers: tuple[str, ...]
    excluded: tuple[str, ...] = ()  # sites whose patients go to the providers
    sole_in_network: bool = False  # no other site of the providers' cancer network operates
    lowest: bool = False  # the providers have the lowest volumes
    source: str = ""


GELRE_DEVENTER = ("Gelre Ziekenhuizen Zutphen", "Deventer Ziekenhuisgroep")
ARRANGEMENTS = (
    Arrangement(
        (*UPPER_GI, "lung_resection"),
        ("Gelre Ziekenhuizen Apeldoorn",),
        GELRE_DEVENTER,
        source="Skipr 2023-11: Gelre Apeldoorn operates for Gelre Zutphen and Deventer",
    ),
    Arrangement(
        ("pancreas_resection",),
        ("Isala Zwolle",),
        ("Gelre Ziekenhuizen Apeldoorn", *GELRE_DEVENTER),
        source="Skipr 2023-11: Isala does pancreas for that network",
    ),
    Arrangement(
        UPPER_GI,
        ("Universitair Medisch Centrum Utrecht",),
        sole_in_network=True,
        source="oncomid.nl: the only oesophagus/stomach location of Oncomid",
    ),
    Arrangement(
        ("lung_resection",),
        ("Rijnstate Ziekenhuis", "Slingeland Ziekenhuis"),
        source="artz.nl; Skipr 2025-11: they hold lung surgery for their network",
    ),
    Arrangement(
        ("partial_nephrectomy",),
        ("Nij Smellinghe",),
        source="Skipr 2025-11: kidney-cancer surgery until Frisius MC takes it over in 2027",
    ),
    Arrangement(
        ("partial_nephrectomy",),
        (
            "Laurentius Ziekenhuis",
            "Ziekenhuis St. Jansdal",
            "Universitair Medisch Centrum Groningen",
        ),
        lowest=True,
        source="medischeoncologie.nl 2024: the lowest of the 13 below the norm in 2023",
    ),
)


def require(sources: Path, key: str) -> Path:
    """Path of a source file; exit with a clear message when it is missing."""
    path = sources / SOURCES[key]
    if not path.is_file():
        sys.exit(f"build_dataset: missing source file {path} (see data-sources/SOURCES.md)")
    return path


def largest_remainder(x: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to total, rounding x by largest remainder (ties: lower index first)."""
    x = np.asarray(x, dtype=float)
    base = np.floor(x + 1e-9).astype(np.int64)
    frac = np.round(x - base, 9)
    short = int(total - base.sum())
    if short < 0 or short > len(x):
        raise ValueError(f"cannot round {x.sum():.3f} to {total}")
    order = np.lexsort((np.arange(len(x)), -frac))
    base[order[:short]] += 1
    return base


def allocate(weights: np.ndarray, total: int, lo: float = 0.0, hi: float = np.inf) -> np.ndarray:
    """Split total proportionally to weights, clipped to [lo, hi], as largest-remainder integers."""
    w = np.asarray(weights, dtype=float)
    fixed = np.full(len(w), np.nan)
    while True:
        free = np.isnan(fixed)
        rest = total - np.nansum(fixed)
        wf = w[free] if w[free].sum() > 0 else np.ones(free.sum())
        x = np.where(free, 0.0, fixed)
        x[free] = rest * wf / wf.sum()
        low, high = free & (x < lo), free & (x > hi)
        if not (low.any() or high.any()):
            return largest_remainder(x, total)
        fixed[low], fixed[high] = lo, hi


def allocate_to(mask: np.ndarray, weights: np.ndarray, total: int, **bounds) -> np.ndarray:
    """allocate() over the rows in mask (weights given for those rows only); zeros elsewhere."""
    out = np.zeros(len(mask), dtype=int)
    out[mask] = allocate(weights, total, **bounds)
    return out


def planar(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Approximate km coordinates (equirectangular at 52.2 N) for distance comparisons."""
    return np.column_stack(
        [np.asarray(lon) * 111.32 * np.cos(np.radians(52.2)), np.asarray(lat) * 110.57]
    )


def parse_geometry(geom: dict) -> list[Polygon]:
    """Polygons of a GeoJSON Polygon or MultiPolygon."""
    parts = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [
        Polygon(MplPath(np.asarray(p[0])), tuple(MplPath(np.asarray(h)) for h in p[1:]))
        for p in parts
    ]


def load_municipal_geojson(path: Path) -> tuple[pd.DataFrame, dict[str, list[Polygon]]]:
    """CBS 2024 municipal attributes and polygons keyed by municipality code."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    attrs = pd.DataFrame([f["properties"] for f in features])
    shapes = {f["properties"]["gemeentecode"]: parse_geometry(f["geometry"]) for f in features}
    return attrs.sort_values("gemeentecode").reset_index(drop=True), shapes


def contains_any(polys: list[Polygon], xy: np.ndarray) -> np.ndarray:
    """True for points inside any of the polygons (each tested only on the points in its
    bounding box, found by bisection on the points sorted by longitude)."""
    inside = np.zeros(len(xy), dtype=bool)
    order = np.argsort(xy[:, 0], kind="stable")
    x = xy[order, 0]
    for poly in polys:
        lo, hi = poly.outer.vertices.min(axis=0), poly.outer.vertices.max(axis=0)
        near = order[np.searchsorted(x, lo[0], "left") : np.searchsorted(x, hi[0], "right")]
        box = near[(xy[near, 1] >= lo[1]) & (xy[near, 1] <= hi[1])]
        inside[box] |= poly.contains(xy[box])
    return inside


def locate(lat: np.ndarray, lon: np.ndarray, shapes: dict[str, list[Polygon]]) -> tuple:
    """Municipality per point: point-in-polygon (first code on overlap), else nearest vertex."""
    xy = np.column_stack([lon, lat])
    codes = np.full(len(xy), "", dtype=object)
    for code in sorted(shapes):
        todo = codes == ""
        codes[todo] = np.where(contains_any(shapes[code], xy[todo]), code, "")
    method = np.where(codes == "", "nearest", "inside")
    verts = [(c, r) for c in sorted(shapes) for p in shapes[c] for r in p.rings()]
    vcode = np.concatenate([np.full(len(r), c, dtype=object) for c, r in verts])
    vxy = planar(*np.concatenate([r for _, r in verts]).T)
    for i in np.flatnonzero(codes == ""):
        d = np.hypot(*(vxy - planar([lon[i]], [lat[i]])).T)
        codes[i] = vcode[int(np.argmin(d))]
    return codes.astype(str), method


def ring_area(ring: np.ndarray) -> float:
    """Planar area (km2) of a ring by the shoelace formula."""
    x, y = planar(ring[:, 0], ring[:, 1]).T
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def segment_distance(pts: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Planar distance from each point to the nearest segment of the rings."""
    a = np.concatenate([planar(*r[:-1].T) for r in rings])
    b = np.concatenate([planar(*r[1:].T) for r in rings])
    ab = b - a
    t = ((pts[:, None, :] - a[None]) * ab[None]).sum(-1) / np.maximum((ab**2).sum(-1), 1e-12)
    proj = a[None] + np.clip(t, 0, 1)[..., None] * ab[None]
    return np.hypot(*(pts[:, None, :] - proj).transpose(2, 0, 1)).min(axis=1)


def representative_point(polys: list[Polygon], n: int = 60) -> tuple[float, float]:
    """(lat, lon) of the grid point inside the largest polygon farthest from its boundary."""
    poly = max(polys, key=lambda p: ring_area(p.outer.vertices))
    (x0, y0), (x1, y1) = poly.outer.vertices.min(0), poly.outer.vertices.max(0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    grid = grid[poly.contains(grid)]
    best = int(np.argmax(segment_distance(planar(*grid.T), poly.rings())))
    return float(grid[best, 1]), float(grid[best, 0])


def names_to_codes(attrs: pd.DataFrame, names: list[str]) -> list[str]:
    """Municipality codes for CBS names; fail loudly when a name is unknown."""
    lookup = dict(zip(attrs["gemeentenaam"], attrs["gemeentecode"], strict=True))
    missing = [n for n in names if n not in lookup]
    if missing:
        raise ValueError(f"municipality names not in the 2024 geojson: {missing}")
    return [lookup[n] for n in names]


def short_code(name: str, keys: dict[str, str]) -> str:
    """The one short code whose key text occurs in a region name."""
    hits = [code for code, key in keys.items() if key in name]
    if len(hits) != 1:
        raise ValueError(f"region name {name!r} matches {hits}")
    return hits[0]


def vr_regions(path: Path, column: str, keys: dict[str, str]) -> pd.DataFrame:
    """Per VR the region short code and name from a derived VR table."""
    df = pd.read_csv(path, dtype=str)
    code = [short_code(n, keys) for n in df[column]]
    return pd.DataFrame({"vr_code": df["veiligheidsregio_code"], "code": code, "name": df[column]})


def municipal_regions(sources: Path, attrs: pd.DataFrame) -> pd.DataFrame:
    """Province, VR, GGD, zorgkantoor, ROAZ and oncology region per 2024 municipality."""
    kop = pd.read_csv(require(sources, "koppel"), sep=";", encoding="utf-8-sig", dtype=str)
    df = pd.DataFrame(
        {
            "municipality_code": kop["gemeentCode"],
            "province_code": kop["provincieCode"],
            "province_name": kop["Provincie"].str.replace(r"^(Noord|Zuid) ", r"\1-", regex=True),
            "vr_code": kop["veiligheidsRegioCode"],
            "vr_name": kop["veiligheidsRegioNaam"],
        }
    )
    ggd = pd.read_csv(require(sources, "ggd"), dtype=str).set_index("Code")
    merged = ggd.loc[["GM0501", "GM0530", "GM0614"], "GGD regio"].unique()
    assert len(merged) == 1, "Voorne aan Zee predecessors differ in GGD"
    ggd_map = {**ggd["GGD regio"].to_dict(), "GM1992": merged[0]}
    shared = df[df.municipality_code.isin(ggd.index)]
    vr_2022 = ggd.loc[shared.municipality_code, "Veiligheidsregio Code"].to_numpy()
    assert (vr_2022 == shared.vr_code.to_numpy()).all(), "VR codes differ between sources"
    df["ggd_name"] = df.municipality_code.map(ggd_map)
    zk = pd.read_csv(require(sources, "zorgkantoor"), dtype=str).set_index("gemeentecode")
    df["zorgkantoor_code"] = df.municipality_code.map(zk["zorgkantoorregio_code"])
    df["zorgkantoor_name"] = df.municipality_code.map(zk["zorgkantoorregio_naam"])
    df["region_basis"] = "vr"
    for kind, col, keys, overrides in [
        ("roaz", "roaz_region", ROAZ_KEYS, ROAZ_OVERRIDES),
        ("oncology", "oncologieregio", ONCOLOGY_KEYS, ONCOLOGY_OVERRIDES),
    ]:
        vr = vr_regions(require(sources, kind), col, keys)
        names = vr.drop_duplicates("code").set_index("code")["name"]
        df[f"{kind}_code"] = df.vr_code.map(vr.set_index("vr_code")["code"])
        for vr_code, code, munis in overrides:
            hit = df.municipality_code.isin(names_to_codes(attrs, munis))
            assert (df.vr_code[hit] == vr_code).all() and hit.sum() == len(munis), vr_code
            df.loc[hit, f"{kind}_code"] = code
            df.loc[hit, "region_basis"] = np.where(
                df.loc[hit, "region_basis"] == "vr", f"{kind}_override", "roaz+oncology_override"
            )
        df[f"{kind}_name"] = df[f"{kind}_code"].map(names)
    assert df.notna().all().all() and len(df) == 342, "incomplete municipal region table"
    return df


def municipalities_base(attrs: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Municipal attributes (without centroids) joined to their regions."""
    df = pd.DataFrame(
        {
            "municipality_code": attrs["gemeentecode"],
            "name": attrs["gemeentenaam"],
            "population": attrs["aantal_inwoners"].astype(int),
            "share_65plus": (attrs["65plus"] / 100).round(4),
            "share_0_15": (attrs["0_15"] / 100).round(4),
            "urbanity": attrs["stedelijkheid"].astype(int),
            "area_land_km2": (attrs["opp_land"] / 100).round(2),
        }
    )
    assert df.population.sum() == POPULATION_2024, "2024 population total differs from CBS"
    df = df.merge(regions, on="municipality_code", how="left", validate="1:1")
    island_codes = names_to_codes(attrs, [name for name, *_ in ISLANDS])
    df["island"] = df.municipality_code.isin(island_codes).astype(int)
    return df


def demand_points(path: Path, munis: pd.DataFrame, shapes: dict) -> pd.DataFrame:
    """PC4 address points located in 2024 municipalities, plus one point per empty municipality."""
    raw = pd.read_csv(path)
    raw = raw[raw.soort.isin(["Adres", "Adres + Postbus"])].sort_values("postcode")
    lat, lon = raw.latitude.round(6).to_numpy(), raw.longitude.round(6).to_numpy()
    codes, method = locate(lat, lon, shapes)
    pts = pd.DataFrame(
        {
            "point_id": [f"PC{p:04d}" for p in raw.postcode],
            "pc4": raw.postcode.astype("Int64").to_numpy(),
            "municipality_code": codes,
            "lat": lat,
            "lon": lon,
            "assign_method": method,
        }
    )
    extra = []
    for code in sorted(set(munis.municipality_code) - set(codes)):
        plat, plon = (round(v, 6) for v in representative_point(shapes[code]))
        extra.append((f"{code}_RP", pd.NA, code, plat, plon, "representative_point"))
    pts = pd.concat([pts, pd.DataFrame(extra, columns=pts.columns)], ignore_index=True)
    pts["pc4"] = pts["pc4"].astype("Int64")
    return pts.sort_values("point_id").reset_index(drop=True)


def split_population(pts: pd.DataFrame, munis: pd.DataFrame) -> pd.Series:
    """Each municipality's population split equally over its points (largest remainder)."""
    out = pd.Series(0, index=pts.index, dtype=np.int64)
    pop = munis.set_index("municipality_code")["population"]
    for code, idx in pts.groupby("municipality_code").groups.items():
        out[idx] = largest_remainder(np.full(len(idx), pop[code] / len(idx)), int(pop[code]))
    return out


def add_centroids(munis: pd.DataFrame, pts: pd.DataFrame) -> pd.DataFrame:
    """Municipal lat/lon as the mean of its demand points, with the method used."""
    mean = pts.groupby("municipality_code")[["lat", "lon"]].mean().round(6)
    synthetic = set(pts.loc[pts.assign_method == "representative_point", "municipality_code"])
    df = munis.join(mean, on="municipality_code")
    df["centroid_method"] = np.where(
        df.municipality_code.isin(synthetic), "representative_point", "pc4_mean"
    )
    return df


def in_box(box: tuple, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """True for points inside a (lat_min, lat_max, lon_min, lon_max) box."""
    return (lat >= box[0]) & (lat <= box[1]) & (lon >= box[2]) & (lon <= box[3])


@dataclass(frozen=True)
class Occupied:
    """Every municipality's demand points and polygons (with their bounding boxes), as arrays,
    for the many box tests of growing an island's box."""

    lat: np.ndarray
    lon: np.ndarray
    code: np.ndarray
    polys: tuple[Polygon, ...]
    poly_code: np.ndarray
    bounds: np.ndarray  # lon_min, lat_min, lon_max, lat_max per polygon's outer ring

    @classmethod
    def of(cls, pts: pd.DataFrame, shapes: dict[str, list[Polygon]]) -> Occupied:
        """The points of pts and the polygons of shapes."""
        pairs = [(c, p) for c in sorted(shapes) for p in shapes[c]]
        bounds = [(*p.outer.vertices.min(axis=0), *p.outer.vertices.max(axis=0)) for _, p in pairs]
        return cls(
            pts.lat.to_numpy(),
            pts.lon.to_numpy(),
            pts.municipality_code.to_numpy(dtype=str),
            tuple(p for _, p in pairs),
            np.array([c for c, _ in pairs], dtype=str),
            np.array(bounds, dtype=float).reshape(-1, 4),
        )


def box_conflicts(box: tuple, code: str, occ: Occupied, taken: list) -> bool:
    """True when the box holds another municipality's point or polygon, or meets another box."""
    if in_box(box, occ.lat, occ.lon)[occ.code != code].any():
        return True
    if any(t[0] <= box[1] and t[1] >= box[0] and t[2] <= box[3] and t[3] >= box[2] for t in taken):
        return True
    gx, gy = np.meshgrid(np.linspace(box[2], box[3], 60), np.linspace(box[0], box[1], 60))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    x0, y0, x1, y1 = occ.bounds.T
    meets = ~((x1 < box[2]) | (x0 > box[3]) | (y1 < box[0]) | (y0 > box[1]))
    for i in np.flatnonzero(meets & (occ.poly_code != code)):
        poly = occ.polys[i]
        v = poly.outer.vertices
        if in_box(box, v[:, 1], v[:, 0]).any() or poly.contains(grid).any():
            return True
    return False


def grow_box(box: tuple, code: str, occ: Occupied, taken: list) -> tuple:
    """Widen the sides (S, N, W, E in turn) step by step while the box stays conflict-free."""
    box = list(box)
    for _ in range(ISLAND_GROW_STEPS):
        grown = False
        for side, sign in ((0, -1), (1, 1), (2, -1), (3, 1)):
            trial = box.copy()
            trial[side] = round(trial[side] + sign * ISLAND_STEP_DEG, 6)
            if not box_conflicts(tuple(trial), code, occ, taken):
                box, grown = trial, True
        if not grown:
            break
    return tuple(box)


def island_table(munis: pd.DataFrame, pts: pd.DataFrame, shapes: dict) -> pd.DataFrame:
    """Boxes and ports of the five road-less Wadden islands, checked against all other data."""
    code_of = munis.set_index("name")["municipality_code"]
    occ = Occupied.of(pts, shapes)
    boxes = {}
    for name, port, *_ in ISLANDS:
        own = pts[pts.municipality_code == code_of[name]]
        lat, lon, d = np.append(own.lat, port[0]), np.append(own.lon, port[1]), ISLAND_STEP_DEG
        box = (lat.min() - d, lat.max() + d, lon.min() - d, lon.max() + d)
        boxes[name] = tuple(round(v, 6) for v in box)
    for name, *_ in ISLANDS:
        taken = [b for n, b in boxes.items() if n != name]
        boxes[name] = grow_box(boxes[name], code_of[name], occ, taken)
    rows = []
    for name, port, main, ferry in ISLANDS:
        code, box = code_of[name], boxes[name]
        own = pts.municipality_code == code
        assert in_box(box, pts.lat[own], pts.lon[own]).all() and in_box(box, *port)
        assert not in_box(box, *main), f"{name}: mainland port inside the island box"
        taken = [b for n, b in boxes.items() if n != name]
        assert not box_conflicts(box, code, occ, taken), f"{name}: box not island-only"
        rows.append([name, code, *box, *port, *main, ferry])
    return pd.DataFrame(rows, columns=ISLAND_COLS)


def as_points(df: pd.DataFrame, id_col: str, urban_codes: set[str]) -> Points:
    """Points of a frame with lat/lon; urban when its municipality is urban."""
    return Points.from_frame(df, id_col, df["municipality_code"].isin(urban_codes).to_numpy())


def ticks(model: TravelModel, o: Points, d: Points, mode: Mode = Mode.car) -> np.ndarray:
    """Travel times in integer milliminutes, so every choice below is exact on any platform."""
    return np.round(model.minutes(o, d, mode) * 1000).astype(np.int64)


def catchment(minutes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Population per destination column when each origin row goes to its nearest column."""
    nearest = np.argmin(minutes, axis=1)
    return np.bincount(nearest, weights=weights, minlength=minutes.shape[1])


def attractiveness(sites: pd.DataFrame) -> np.ndarray:
    """Gravity weight a_j per site: UMC, else non-UMC level-1 trauma centre, else 1."""
    trauma = np.where(sites.trauma_level1 == 1, GRAVITY_TRAUMA, 1.0)
    return np.where(sites.umc == 1, GRAVITY_UMC, trauma)


def gravity(ms: np.ndarray, attract: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Population per column, each row shared over its nearest columns by a_j exp(-t / tau).

    ms are integer milliminutes; the nearest GRAVITY_NEAREST columns come from a stable sort
    (ties: lower column). Times are taken relative to the row's nearest site, which leaves the
    shares unchanged and keeps exp() away from underflow on long (ferry) trips.
    """
    near = np.argsort(ms, axis=1, kind="stable")[:, :GRAVITY_NEAREST]
    t = np.take_along_axis(ms, near, axis=1)
    pull = attract[near] * np.exp(-(t - t[:, :1]) / (1000 * GRAVITY_TAU_MIN))
    share = weights[:, None] * pull / pull.sum(axis=1, keepdims=True)
    out = np.bincount(near.ravel(), weights=share.ravel(), minlength=ms.shape[1])
    assert np.isclose(out.sum(), weights.sum()), "gravity catchment lost population"
    return out


def clean(text: str) -> str:
    """Collapse whitespace and apply the documented spelling fixes."""
    text = " ".join(str(text).split())
    return NAME_FIXES.get(text, text)


def hospital_sites(sources: Path, shapes: dict) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Hospital sites (not outpatient, not children's) and notes on the dropped children's rows."""
    eu = pd.read_csv(require(sources, "eurostat"), dtype=str)
    kids = eu[eu.facility_type == "Kinderziekenhuis"]
    eu = eu[eu.facility_type.isin(SITE_TYPES)].sort_values("id").reset_index(drop=True)
    lat, lon = eu.lat.astype(float).round(6).to_numpy(), eu.lon.astype(float).round(6).to_numpy()
    codes, _ = locate(lat, lon, shapes)
    sites = pd.DataFrame(
        {
            "site_id": "H" + eu.id,
            "organisation": eu.hospital_name.map(clean),
            "name": [
                clean(BRAVIS_SWAP.get(i, n)) for i, n in zip(eu.id, eu.site_name, strict=True)
            ],
            "town": eu.city.map(clean),
            "lat": lat,
            "lon": lon,
            "municipality_code": codes,
            "site_type": eu.facility_type.map(SITE_TYPES),
        }
    )
    sites["umc"] = (sites.site_type == "umc").astype(int)
    return sites, children_hosts(eu, kids)


def seh_status(sources: Path, sites: pd.DataFrame, kids: dict) -> pd.DataFrame:
    """Add the 2025 status, SEH flags, hours, trauma level, confidence and notes to the sites."""
    seh = pd.read_csv(require(sources, "seh"), dtype=str).set_index("eurostat_id")
    changes = pd.read_csv(require(sources, "seh_changes"), dtype=str)
    closed = changes[changes.change.str.startswith("closed")].set_index("eurostat_id")
    eid = sites.site_id.str[1:]
    assert seh.index.isin(eid).all() and closed.index.isin(eid).all(), "unknown eurostat ids"
    df = sites.copy()
    df["status_2025"] = np.where(eid.isin(CLOSED_SITES), "closed", "open")
    df["seh"] = (eid.isin(seh.index) & ~eid.isin(NOT_SEH)).astype(int)
    hours = eid.map(seh["hours"]).where(df.seh == 1, "none")
    df["seh_hours"] = hours
    limited = [
        LIMITED_HOURS[i] if h == "limited" else ("", "") for i, h in zip(eid, hours, strict=True)
    ]
    df["seh_open"], df["seh_close"] = [o for o, _ in limited], [c for _, c in limited]
    df["trauma_level1"] = eid.map(seh["level1_trauma"]).fillna("0").astype(int) * df.seh
    in_seh = eid.map(seh["umc"]).dropna().astype(int)
    assert (in_seh == df.loc[in_seh.index, "umc"]).all(), "UMC flags differ from seh_2025"
    seh_muni = eid.map(seh["gemeentecode"]).dropna()
    assert (seh_muni == df.loc[seh_muni.index, "municipality_code"]).all(), "SEH municipality"
    conf = eid.map(seh["confidence"]).fillna(eid.map(closed["confidence"]))
    df["seh_confidence"] = conf.fillna("").str.split().str[0].fillna("")
    df["notes"] = [site_notes(i, seh, closed, kids) for i in eid]
    df["_roaz_seh"] = eid.map(seh["roaz_region"]).where(df.seh == 1)
    assert df.seh.sum() == 79 and (df.seh_hours == "24/7").sum() == 76, "SEH count is not 79/76"
    assert (df.loc[eid.isin(closed.index), "seh"] == 0).all(), "closed SEH still flagged"
    return df


def children_hosts(eu: pd.DataFrame, kids: pd.DataFrame) -> dict[str, list[str]]:
    """Host site id per children's hospital: same organisation and street, else nearest site."""
    xy = planar(eu.lon.astype(float), eu.lat.astype(float))
    hosts: dict[str, list[str]] = {}
    for k in kids.itertuples():
        same = ((eu.hospital_name == k.hospital_name) & (eu.street == k.street)).to_numpy()
        d = np.hypot(*(xy - planar([float(k.lon)], [float(k.lat)])).T)
        host = int(np.flatnonzero(same)[0]) if same.any() else int(np.argmin(d))
        assert d[host] < 3.0, f"children's hospital {k.id} far from its host"
        hosts.setdefault(eu.id.iloc[host], []).append(
            f"children's hospital {clean(k.site_name)} (Eurostat {k.id}) shares this site"
        )
    return hosts


def site_notes(eid: str, seh: pd.DataFrame, closed: pd.DataFrame, kids: dict) -> str:
    """Free-text notes of one site from the derived tables and our own rules."""
    notes = [CLOSED_SITES.get(eid, ""), NOT_SEH.get(eid, "")]
    if eid in BRAVIS_SWAP:
        notes.append("site name corrected (Eurostat swapped the two Bravis site names)")
    if eid in seh.index:
        notes += [str(seh.at[eid, "hours_detail"]), str(seh.at[eid, "notes"])]
    if eid == "102101":
        notes.append("hours 08:00-22:00 assumed")
    if eid in closed.index:
        row = closed.loc[eid]
        notes.append(f"SEH {row['change']} {row['date']}: {row['detail']}")
    text = " ".join(notes)
    notes += [n for n in kids.get(eid, []) if n.split("Eurostat ")[1][:6] not in text]
    return "; ".join(n.rstrip(".") for n in notes if n and n != "nan")


def capacities(
    sites: pd.DataFrame, pts: pd.DataFrame, model: TravelModel, urban: set
) -> pd.DataFrame:
    """Beds and ICU beds by gravity catchment; SEH bays by the catchment of the simulation's SEH
    choice (nearest by car, a share to the second nearest); operating rooms by the beds rule."""
    df = sites.copy()
    car = ticks(model, as_points(pts, "point_id", urban), as_points(df, "site_id", urban))
    pull, w = attractiveness(df), pts.population.to_numpy(dtype=float)
    open_, seh = (df.status_2025 == "open").to_numpy(), (df.seh == 1).to_numpy()
    icu_ok = (df.seh_hours == "24/7").to_numpy() & open_
    seh_catch = gravity(car[:, seh], pull[seh], w)
    df["seh_bays"] = allocate_to(seh, nearest_two(car[:, seh], w), TOTAL_BAYS, lo=4, hi=36)
    df["beds"] = allocate_to(open_, gravity(car[:, open_], pull[open_], w), TOTAL_BEDS, lo=40)
    df["icu_beds"] = allocate_to(icu_ok, seh_catch[icu_ok[seh]], TOTAL_ICU, lo=6)
    rooms = np.maximum(np.floor(df.beds / 35 + 0.5), 2)
    df["operating_rooms"] = np.where(open_, rooms, 0).astype(int)
    return df


def nearest_two(ticks_: np.ndarray, w: np.ndarray, further: float = WILLING_FURTHER) -> np.ndarray:
    """Population per site when each point goes to its nearest site, a share to the second."""
    order = np.argsort(ticks_, axis=1, kind="stable")
    n = ticks_.shape[1]
    first = np.bincount(order[:, 0], weights=w * (1 - further), minlength=n)
    return first + np.bincount(order[:, 1], weights=w * further, minlength=n)


def finish_sites(sites: pd.DataFrame, munis: pd.DataFrame) -> pd.DataFrame:
    """ROAZ code per site (of the SEH, else of the municipality) and the final column order."""
    df = sites.copy()
    muni_roaz = df.municipality_code.map(munis.set_index("municipality_code")["roaz_code"])
    seh_roaz = df["_roaz_seh"].dropna().map(lambda n: short_code(n, ROAZ_KEYS))
    df["roaz_code"] = seh_roaz.reindex(df.index).fillna(muni_roaz)
    return df[SITE_COLS]


def drop_close_pairs(minutes: np.ndarray, catch: np.ndarray, n_drop: int) -> np.ndarray:
    """Keep-mask after dropping, n_drop times, the smaller-catchment member of the closest pair."""
    d = np.minimum(minutes, minutes.T)
    np.fill_diagonal(d, BIG)
    keep = np.ones(len(d), dtype=bool)
    for _ in range(n_drop):
        sub = np.where(keep[:, None] & keep[None, :], d, BIG)
        i, j = np.unravel_index(int(np.argmin(sub)), sub.shape)
        keep[j if (catch[i], -i) > (catch[j], -j) else i] = False
    return keep


def greedy_median(dist: np.ndarray, w: np.ndarray, current: np.ndarray, k: int) -> list[int]:
    """Greedy p-median: k columns, each the one that most lowers sum(w * min distance); the
    gains kept up to date on the rows a pick serves closer only, in exact integers."""
    cur = current.copy()
    gain = w @ np.maximum(cur[:, None] - dist, 0)
    chosen = []
    for _ in range(k):
        j = int(np.argmax(gain))
        chosen.append(j)
        rows = np.flatnonzero(dist[:, j] < cur)
        before = np.maximum(cur[rows, None] - dist[rows], 0)
        cur[rows] = dist[rows, j]
        gain -= w[rows] @ (before - np.maximum(cur[rows, None] - dist[rows], 0))
    return chosen


def unique_names(names: list[str], tags: list[str]) -> list[str]:
    """Names, with ' (tag)' appended where a name occurs more than once."""
    counts = pd.Series(names).value_counts()
    return [f"{n} ({t})" if counts[n] > 1 else n for n, t in zip(names, tags, strict=True)]


def gp_posts(
    sites: pd.DataFrame,
    pts: pd.DataFrame,
    munis: pd.DataFrame,
    model: TravelModel,
    urban: set,
) -> tuple[pd.DataFrame, str]:
    """113 HAPs: 72 on SEH sites (closest pairs thinned), 41 by greedy p-median."""
    seh = sites[sites.seh == 1]
    sp = as_points(seh, "site_id", urban)
    dem = as_points(pts, "point_id", urban)
    w = pts.population.to_numpy(dtype=np.int64)
    seh_catch = catchment(ticks(model, dem, sp), w)
    keep = drop_close_pairs(ticks(model, sp, sp), seh_catch, len(seh) - N_HAP_AT_SEH)
    hosts = seh[keep]
    current = ticks(model, dem, as_points(hosts, "site_id", urban)).min(axis=1)
    dist = ticks(model, dem, dem)
    picks = pts.iloc[greedy_median(dist, w, current, N_HAP - len(hosts))]
    mname = munis.set_index("municipality_code")["name"]
    cols = ["name", "lat", "lon", "municipality_code", "site_id", "placement", "_tag"]
    on_site = hosts.assign(name="HAP " + hosts.name, placement="seh_site", _tag=hosts.site_id)
    picks = picks.assign(name="HAP " + picks.municipality_code.map(mname), site_id="")
    picks = picks.assign(placement="p_median", _tag=picks.point_id)
    posts = pd.concat([on_site[cols], picks[cols]])
    posts["name"] = unique_names(list(posts.name), list(posts._tag))
    posts.insert(0, "post_id", [f"HAP{i:03d}" for i in range(1, len(posts) + 1)])
    islands = munis[(munis.island == 1) & (munis.population > 4000)]
    missing = sorted(set(islands.name) - set(posts.municipality_code.map(mname)))
    note = "islands >4,000 without HAP: " + (", ".join(missing) if missing else "none")
    return posts.drop(columns="_tag"), note


def rivm_posts(path: Path) -> pd.DataFrame:
    """The RIVM 2019 ambulance posts: name, PC6, availability as given, coordinates."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return pd.DataFrame(
        {
            "name": [clean(f["properties"]["Standplaats"]) for f in features],
            "postcode": [f["properties"]["Postcode"].replace(" ", "") for f in features],
            "rivm": [" ".join(f["properties"]["Beschikbaarheid"].split()) for f in features],
            "lon": [round(float(f["geometry"]["coordinates"][0]), 6) for f in features],
            "lat": [round(float(f["geometry"]["coordinates"][1]), 6) for f in features],
        }
    )


def ambulance_posts(sources: Path, munis: pd.DataFrame, shapes: dict) -> pd.DataFrame:
    """One row per RIVM 2019 post, ids in postcode order, municipality by point-in-polygon,
    safety region of that municipality, availability normalised (AMB_AVAILABILITY)."""
    raw = rivm_posts(require(sources, "ambulance"))
    unknown = sorted(set(raw.rivm) - set(AMB_AVAILABILITY))
    assert not unknown, f"unmapped RIVM availability: {unknown}"
    posts = raw.sort_values(["postcode", "name"], kind="stable").reset_index(drop=True)
    posts["municipality_code"], _ = locate(posts.lat.to_numpy(), posts.lon.to_numpy(), shapes)
    posts["vr_code"] = posts.municipality_code.map(munis.set_index("municipality_code")["vr_code"])
    posts["name"] = unique_names(list(posts.name), list(posts.postcode))
    hours = posts.rivm.map(AMB_AVAILABILITY)
    posts["availability"] = [a for a, _, _ in hours]
    posts["open"], posts["close"] = [o for _, o, _ in hours], [c for _, _, c in hours]
    posts["placement"] = "rivm2019"
    posts.insert(0, "post_id", [f"AMB{i:03d}" for i in range(1, len(posts) + 1)])
    assert posts.vr_code.notna().all() and posts.vr_code.nunique() == 25, "posts per VR"
    return posts[AMB_COLS]


def zcc_options(
    sites: pd.DataFrame, munis: pd.DataFrame, model: TravelModel, urban: set
) -> pd.DataFrame:
    """One ZCC option per ROAZ region and per VR, hosted at the 24/7 SEH nearest the centroid."""
    m = munis.set_index("municipality_code")
    seh = sites[(sites.seh_hours == "24/7") & (sites.status_2025 == "open")]
    rows = []
    for level, col, name_col in [("roaz", "roaz_code", "roaz_name"), ("vr", "vr_code", "vr_name")]:
        for code, g in munis.groupby(col, sort=True):
            w = g.population.to_numpy(dtype=float)
            lat, lon = (np.average(g[c], weights=w) for c in ("lat", "lon"))
            cen = Points.from_frame(pd.DataFrame({"id": ["c"], "lat": [lat], "lon": [lon]}), "id")
            cand = seh[seh.municipality_code.map(m[col]) == code]
            assert len(cand), f"no 24/7 SEH in {code}"
            host = cand.iloc[int(np.argmin(ticks(model, cen, as_points(cand, "site_id", urban))))]
            name = f"ZCC {g[name_col].iloc[0]}"
            rows.append([f"ZCC-{code}", level, code, name, host.lat, host.lon, host.site_id])
    cols = ["zcc_id", "level", "region_code", "name", "lat", "lon", "site_id"]
    return pd.DataFrame(rows, columns=cols)


def vascular_networks(sites: pd.DataFrame, munis: pd.DataFrame) -> pd.DataFrame:
    """Every site's vascular network by the ROAZ rule: no public list exists, and 24/7 aneurysm
    care is organised with the regional acute-care networks (data/README.md)."""
    names = munis.groupby("roaz_code").roaz_name.first()
    assert sites.roaz_code.isin(names.index).all(), "a site's ROAZ code is not a region"
    table = pd.DataFrame(
        {
            "site_id": sites.site_id,
            "vascular_network": sites.roaz_code,
            "vascular_network_name": sites.roaz_code.map(names),
            "basis": "roaz_rule",
        }
    )
    return table.sort_values("site_id").reset_index(drop=True)


def catalogue() -> pd.DataFrame:
    """The intervention catalogue parsed from INTERVENTIONS, sorted by id."""
    lines = INTERVENTIONS.strip().splitlines()
    rows = [a.split("|") + [b.strip()] for a, b in zip(lines[::2], lines[1::2], strict=True)]
    cat = pd.DataFrame(rows, columns=CATALOGUE_COLS.split())
    for col in ["annual_volume", "providers_2025", "norm_old", "norm_new"]:
        cat[col] = pd.to_numeric(cat[col].mask(cat[col] == "")).astype("Int64")
    assert cat.annual_volume.notna().all() and cat.providers_2025.notna().all(), "catalogue"
    return cat.sort_values("intervention").reset_index(drop=True)


def plotting_positions(n: int) -> np.ndarray:
    """The n plotting positions (i + 0.5) / n of a sample of n hospitals."""
    return (np.arange(n) + 0.5) / n


def lognormal_curve(params: np.ndarray, n: int) -> np.ndarray:
    """Volumes of n hospitals, largest first: a shifted lognormal (loc, mu, sigma) at the
    plotting positions."""
    loc, mu, sigma = params
    return (loc + np.exp(mu + sigma * stats.norm.ppf(plotting_positions(n))))[::-1]


def quantile_curve(quantiles: dict[float, float], n: int) -> np.ndarray:
    """Volumes of n hospitals, largest first: published quantiles (0 = min, 1 = max) joined
    log-linearly, at the plotting positions."""
    q, v = np.array(list(quantiles)), np.log(list(quantiles.values()))
    return np.exp(np.interp(plotting_positions(n), q, v))[::-1]


def sample_stat(x: np.ndarray, key: str | float) -> float:
    """mean, sd (n - 1), min, max, or a quantile (numpy's linear rule) of the volumes."""
    named = {"mean": np.mean, "sd": lambda v: np.std(v, ddof=1), "min": np.min, "max": np.max}
    return float(named[key](x) if isinstance(key, str) else np.quantile(x, key))


def count_target(n: int, norm: tuple[int, int]) -> dict[float, float]:
    """Target that puts norm[1] of n volumes at or above norm[0]: the sample quantile midway
    between the last volume below and the first at or above equals norm[0] - 0.5."""
    threshold, at_or_above = norm
    return {(n - at_or_above - 0.5) / (n - 1): threshold - 0.5}


def fit_lognormal(n: int, targets: dict, free: str, start: tuple) -> np.ndarray:
    """(loc, mu, sigma) with the free ones ("loc mu sigma") fitted by Nelder-Mead to the
    targets (sample statistics of the n-hospital curve; squared relative errors)."""
    names = ["loc", "mu", "sigma"]
    idx = [names.index(f) for f in free.split()]
    base = np.array(start, dtype=float)

    def params(v: np.ndarray) -> np.ndarray:
        p = base.copy()
        p[idx] = v
        return p

    def loss(v: np.ndarray) -> float:
        x = lognormal_curve(params(v), n)
        return sum((sample_stat(x, k) / t - 1) ** 2 for k, t in targets.items())

    opts = {"xatol": 1e-10, "fatol": 1e-16, "maxiter": 20_000, "maxfev": 40_000}
    res = optimize.minimize(loss, base[idx], method="Nelder-Mead", options=opts)
    assert res.fun < 1e-12, f"lognormal fit missed its targets {targets}: loss {res.fun:.2e}"
    return params(res.x)


def volume_curves(cat: pd.DataFrame) -> tuple[dict[str, np.ndarray], int]:
    """Per intervention the volumes of its n providers, largest first, before rounding, and the
    calibrated national volume of partial nephrectomy (data/README.md, complex care)."""
    c = cat.set_index("intervention")
    n, vol = c.providers_2025.astype(int), c.annual_volume.astype(int)
    start = (0.0, np.log(50.0), 0.5)
    lung = fit_lognormal(
        n["lung_resection"],
        {"mean": vol["lung_resection"] / n["lung_resection"]}
        | count_target(n["lung_resection"], LUNG_NORM),
        "mu sigma",
        start,
    )
    spread = (0.0, np.log(50.0), lung[2])  # the lung sigma, for interventions without a spread
    assert n[UPPER_GI[0]] == n[UPPER_GI[1]], "oesophagus and stomach share their providers"
    n_gi, vol_gi = n[UPPER_GI[0]], vol[list(UPPER_GI)].sum()
    upper_gi = fit_lognormal(
        n_gi, {"mean": vol_gi / n_gi} | count_target(n_gi, UPPER_GI_NORM), "mu sigma", start
    )
    lo, hi = PANCREAS_RANGE
    pan_mean = vol["pancreas_resection"] / n["pancreas_resection"]
    pancreas = fit_lognormal(
        n["pancreas_resection"], {"min": lo, "max": hi, "mean": pan_mean}, "loc mu sigma", start
    )
    hn_mean = vol["head_neck_surgery"] / n["head_neck_surgery"]
    head_neck = fit_lognormal(n["head_neck_surgery"], {"mean": hn_mean}, "mu", spread)
    n_pn = n["partial_nephrectomy"]
    kidney = fit_lognormal(n_pn, count_target(n_pn, NEPHRECTOMY_NORM), "mu", spread)
    curves = {
        "lung_resection": lognormal_curve(lung, n["lung_resection"]),
        "upper_gi": lognormal_curve(upper_gi, n_gi),
        "pancreas_resection": lognormal_curve(pancreas, n["pancreas_resection"]),
        "head_neck_surgery": lognormal_curve(head_neck, n["head_neck_surgery"]),
        "partial_nephrectomy": lognormal_curve(kidney, n_pn),
        "aaa_repair": quantile_curve(AAA_2016["quantiles"], n["aaa_repair"]),
        "carotid_endarterectomy": quantile_curve(
            AAA_2016["quantiles"], n["carotid_endarterectomy"]
        ),
    }
    calibrated = int(round(curves["partial_nephrectomy"].sum(), -1))
    return curves, calibrated


def split_by_rank(curve: np.ndarray, total: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Integers summing to total, proportional to curve, each within [lo, hi] (integer bounds;
    a value pushed out of its bounds is fixed at the bound and the rest rescaled)."""
    x, lo, hi = (np.asarray(a, dtype=float) for a in (curve, lo, hi))
    assert lo.sum() <= total <= hi.sum(), f"bounds cannot hold a total of {total}"
    fixed = np.full(len(x), np.nan)
    while True:
        free = np.isnan(fixed)
        y = np.where(free, 0.0, fixed)
        if free.any():
            y[free] = (total - np.nansum(fixed)) * x[free] / x[free].sum()
        low, high = free & (y < lo - 1e-9), free & (y > hi + 1e-9)
        if not (low.any() or high.any()):
            return largest_remainder(y, total)
        fixed[low], fixed[high] = lo[low], hi[high]


def rank_bounds(n: int, norm: tuple[int, int] | None = None, lo: int = 1) -> tuple:
    """(lo, hi) per rank (largest first): at least lo; with a norm (threshold, count) the first
    count ranks at or above the threshold and the others below it."""
    low, high = np.full(n, float(lo)), np.full(n, np.inf)
    if norm is not None:
        threshold, count = norm
        low[:count], high[count:] = np.maximum(low[:count], threshold), threshold - 1
    return low, high


def match_arrangements(sites: pd.DataFrame) -> dict[str, str]:
    """site_id per arrangement site name found in the sites table (exact name); prints each."""
    found = {}
    names = sorted({n for a in ARRANGEMENTS for n in (*a.providers, *a.excluded)})
    for name in names:
        hits = sites.loc[sites.name == name, "site_id"].tolist()
        assert len(hits) <= 1, f"arrangement site {name!r} matches {hits}"
        if hits:
            found[name] = hits[0]
        print(f"  arrangement site {name!r}: {hits[0] if hits else 'not in sites, skipped'}")
    return found


def choose_providers(
    cand: pd.DataFrame, count: int, pop: pd.Series, forced: list[str], excluded: set[str]
) -> list[str]:
    """UMC sites, then the forced arrangement sites, then the largest remaining candidates
    (beds) by D'Hondt over the cancer networks: each next provider goes to the network with the
    most inhabitants per (providers + 1) that still has a candidate."""
    chosen = list(cand.site_id[cand.umc == 1])
    chosen += [s for s in forced if s not in chosen]
    assert len(chosen) <= count, f"{len(chosen)} fixed providers for {count} places"
    rest = cand[~cand.site_id.isin(chosen) & ~cand.site_id.isin(excluded)]
    while len(chosen) < count:
        seats = cand.onc[cand.site_id.isin(chosen)].value_counts()
        nets = sorted(set(rest.onc))
        assert nets, f"too few candidates for {count} providers"
        net = max(nets, key=lambda k: (pop[k] / (seats.get(k, 0) + 1), k))
        pick = rest.site_id[rest.onc == net].iloc[0]
        chosen.append(pick)
        rest = rest[rest.site_id != pick]
    return chosen


def providers_by_rule(
    cat: pd.DataFrame, cand: pd.DataFrame, pop: pd.Series, found: dict[str, str]
) -> dict[str, list[str]]:
    """Per intervention its providers, largest first (beds, then site_id), the arrangement's
    lowest-volume sites last."""
    beds = cand.set_index("site_id").beds
    out = {}
    for r in cat.itertuples():
        forced, excluded, lowest = [], set(), []
        for a in (a for a in ARRANGEMENTS if r.intervention in a.interventions):
            ids = [found[n] for n in a.providers if n in found]
            forced += ids
            excluded |= {found[n] for n in a.excluded if n in found}
            if a.sole_in_network:
                nets = cand.onc.isin(set(cand.onc[cand.site_id.isin(ids)]))
                excluded |= set(cand.site_id[nets & ~cand.site_id.isin(ids)])
            lowest += ids if a.lowest else []
        chosen = choose_providers(cand, int(r.providers_2025), pop, forced, excluded)
        key = {s: (s in lowest, -beds[s], s) for s in chosen}
        out[r.intervention] = sorted(chosen, key=key.__getitem__)
    return out


def volumes_by_rank(
    cat: pd.DataFrame, providers: dict[str, list[str]], curves: dict[str, np.ndarray]
) -> pd.DataFrame:
    """site_id, intervention, annual_volume: each curve split over its providers in their order
    (national total exact), the published counts at the norms and the pancreas range forced."""
    vol = cat.set_index("intervention").annual_volume.astype(int)
    norms = {"lung_resection": LUNG_NORM, "partial_nephrectomy": NEPHRECTOMY_NORM}
    parts = []
    for iv, order in providers.items():
        if iv in UPPER_GI:
            continue
        lo, hi = rank_bounds(len(order), norms.get(iv))
        if iv == "pancreas_resection":
            lo[:], hi[:] = PANCREAS_RANGE
            lo[0], hi[-1] = PANCREAS_RANGE[1], PANCREAS_RANGE[0]
        v = split_by_rank(curves[iv], int(vol[iv]), lo, hi)
        parts.append(pd.DataFrame({"site_id": order, "intervention": iv, "annual_volume": v}))
    order = providers[UPPER_GI[0]]
    assert providers[UPPER_GI[1]] == order, "oesophagus and stomach share their providers"
    total = int(vol[list(UPPER_GI)].sum())
    both = split_by_rank(curves["upper_gi"], total, *rank_bounds(len(order), UPPER_GI_NORM, 2))
    oes = largest_remainder(both * vol[UPPER_GI[0]] / total, int(vol[UPPER_GI[0]]))
    for iv, v in zip(UPPER_GI, (oes, both - oes), strict=True):
        parts.append(pd.DataFrame({"site_id": order, "intervention": iv, "annual_volume": v}))
    links = pd.concat(parts, ignore_index=True)
    return links.sort_values(["site_id", "intervention"]).reset_index(drop=True)


def check_interventions(
    cat: pd.DataFrame, links: pd.DataFrame, cand: pd.DataFrame, found: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Assert the published figures the tables must reproduce; (figure, public, table) rows."""
    c = cat.set_index("intervention")
    by = {iv: g.set_index("site_id").annual_volume for iv, g in links.groupby("intervention")}
    rows = []
    for iv, v in by.items():
        n, total = int(c.providers_2025[iv]), int(c.annual_volume[iv])
        assert len(v) == n and v.sum() == total, f"{iv}: {len(v)} providers, {v.sum()} operations"
        assert (v >= 1).all(), f"{iv}: a provider without operations"
        nets = cand.set_index("site_id").onc[v.index].nunique()
        assert nets == cand.onc.nunique(), f"{iv}: {nets} cancer networks have a provider"
        rows.append((f"{iv}: providers, operations", f"{n}, {total:,}", f"{len(v)}, {v.sum():,}"))
    umc = set(cand.site_id[cand.umc == 1])
    assert len(umc) == 8, f"{len(umc)} UMC sites, 8 expected"
    for iv in ("pancreas_resection", "head_neck_surgery"):
        assert umc <= set(by[iv].index), f"{iv}: not every UMC site is a provider"
    lung, kid, pan = by["lung_resection"], by["partial_nephrectomy"], by["pancreas_resection"]
    gi = by[UPPER_GI[0]] + by[UPPER_GI[1]]
    assert gi.notna().all() and (by[UPPER_GI[1]] >= 1).all(), "oesophagus/stomach providers"
    counts = [
        ("lung_resection >= 60", LUNG_NORM[1], int((lung >= LUNG_NORM[0]).sum())),
        ("oesophagus + stomach >= 50", UPPER_GI_NORM[1], int((gi >= UPPER_GI_NORM[0]).sum())),
        ("partial_nephrectomy >= 10", NEPHRECTOMY_NORM[1], int((kid >= NEPHRECTOMY_NORM[0]).sum())),
    ]
    for what, public, table in counts:
        assert public == table, f"{what}: {table} providers, published {public}"
        rows.append((f"{what} (providers)", str(public), str(table)))
    low = [found[n] for a in ARRANGEMENTS if a.lowest for n in a.providers if n in found]
    assert set(kid.nsmallest(len(low)).index) == set(low), "partial nephrectomy: lowest sites"
    rows.append(
        (
            "partial_nephrectomy: Laurentius, St Jansdal, UMCG",
            "among the lowest",
            ", ".join(str(kid[s]) for s in low),
        )
    )
    assert (pan.min(), pan.max()) == PANCREAS_RANGE, f"pancreas range {pan.min()}-{pan.max()}"
    rows.append(
        ("pancreas per provider, min-max", "20-129 (PD per hub)", f"{pan.min()}-{pan.max()}")
    )
    aaa = by["aaa_repair"].to_numpy()
    scale = c.annual_volume["aaa_repair"] / c.providers_2025["aaa_repair"] / AAA_2016["mean"]
    public = {"mean": AAA_2016["mean"], "sd": AAA_2016["sd"]}
    public |= {({0.0: "min", 1.0: "max"}.get(q, q)): v for q, v in AAA_2016["quantiles"].items()}
    for key, tol in AAA_TOLERANCE.items():
        want, got = public[key] * scale, sample_stat(aaa, key)
        assert abs(got / want - 1) <= tol, f"AAA {key}: {got:.1f} vs {want:.1f} (tolerance {tol})"
        name = f"P{round(key * 100)}" if isinstance(key, float) else key
        rows.append((f"aaa_repair per provider, {name}", f"{want:.1f}", f"{got:.1f}"))
    for a in ARRANGEMENTS:
        ids = [found[n] for n in a.providers if n in found]
        out = [found[n] for n in a.excluded if n in found]
        for iv in a.interventions:
            assert set(ids) <= set(by[iv].index), f"{iv}: {a.providers} must operate"
            assert not set(out) & set(by[iv].index), f"{iv}: {a.excluded} must not operate"
            if a.sole_in_network:
                nets = cand.set_index("site_id").onc
                mates = set(by[iv].index[nets[by[iv].index].isin(set(nets[ids]))])
                assert mates == set(ids), f"{iv}: {a.providers} must be alone in the network"
    held = f"{len(ARRANGEMENTS)} hold, {len(found)} sites matched by name"
    rows.append(("known network arrangements", f"{len(ARRANGEMENTS)} published", held))
    return rows


def interventions(sites: pd.DataFrame, munis: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Catalogue and today's providers with volumes from the public facts (data/README.md,
    complex care), checked against the published figures."""
    onc = sites.municipality_code.map(munis.set_index("municipality_code")["oncology_code"])
    ok = (sites.seh_hours == "24/7") & (sites.icu_beds > 0)
    cand = sites[(sites.status_2025 == "open") & ((sites.umc == 1) | ok)].assign(onc=onc)
    cand = cand.sort_values(["beds", "site_id"], ascending=[False, True], kind="stable")
    cand = cand.reset_index(drop=True)
    cat = catalogue()
    curves, calibrated = volume_curves(cat)
    stated = int(cat.set_index("intervention").annual_volume["partial_nephrectomy"])
    assert calibrated == stated, f"partial nephrectomy calibrates to {calibrated}, not {stated}"
    found = match_arrangements(sites)
    pop = munis.groupby("oncology_code").population.sum()
    links = volumes_by_rank(cat, providers_by_rule(cat, cand, pop, found), curves)
    for figure, public, table in check_interventions(cat, links, cand, found):
        print(f"  {figure}: public {public}, table {table}")
    return cat, links


def write(df: pd.DataFrame, out: Path, name: str, summary: str = "") -> None:
    """Write one table (coordinates 6 and shares 4 decimals) as UTF-8 CSV; print a summary."""
    df = df.copy()
    for col in df.columns:
        digits = 6 if col in COORD_COLS else 4 if col in SHARE_COLS else None
        if digits is not None:
            df[col] = [round(float(v), digits) for v in df[col]]
    df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    print(f"{name}.csv: {len(df)} rows" + (f"; {summary}" if summary else ""))


def municipal_boundaries(path: Path, out: Path) -> None:
    """The municipal polygons for maps (CBS/Kadaster, CC BY 4.0): code and name only,
    coordinates to 4 decimals (about 10 m), as GeoJSON."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]

    def rounded(c):
        return [rounded(x) for x in c] if isinstance(c[0], list) else [round(v, 4) for v in c]

    slim = [
        {
            "type": "Feature",
            "properties": {
                "municipality_code": f["properties"]["gemeentecode"],
                "name": f["properties"]["gemeentenaam"],
            },
            "geometry": {
                "type": f["geometry"]["type"],
                "coordinates": rounded(f["geometry"]["coordinates"]),
            },
        }
        for f in sorted(features, key=lambda f: f["properties"]["gemeentecode"])
    ]
    text = json.dumps({"type": "FeatureCollection", "features": slim}, separators=(",", ":"))
    (out / "municipal_boundaries.geojson").write_text(text + "\n", encoding="utf-8")
    print(f"municipal_boundaries.geojson: {len(slim)} municipalities")


def build(sources: Path, out: Path) -> None:
    """Build every table of the default dataset from the raw sources into out."""
    for key in SOURCES:
        require(sources, key)
    out.mkdir(parents=True, exist_ok=True)
    attrs, shapes = load_municipal_geojson(require(sources, "gemeenten"))
    munis = municipalities_base(attrs, municipal_regions(sources, attrs))
    pts = demand_points(require(sources, "pc4"), munis, shapes)
    pts["population"] = split_population(pts, munis)
    munis = add_centroids(munis, pts)
    islands = island_table(munis, pts, shapes)
    polys = [p for ps in shapes.values() for p in ps]
    runs, crossings, dropped = build_water(sources, lambda xy: contains_any(polys, xy))
    water = WaterNetwork(runs, crossings)
    model = TravelModel(islands=islands_from_frame(islands), water=water)
    urban = set(munis.loc[munis.urbanity <= 2, "municipality_code"])
    sites, kids = hospital_sites(sources, shapes)
    sites = capacities(seh_status(sources, sites, kids), pts, model, urban)
    sites = finish_sites(sites, munis)
    haps, hap_note = gp_posts(sites, pts, munis, model, urban)
    ambu = ambulance_posts(sources, munis, shapes)
    zcc = zcc_options(sites, munis, model, urban)
    cat, links = interventions(sites, munis)
    write(munis[MUNI_COLS], out, "municipalities", f"population {munis.population.sum():,}")
    municipal_boundaries(require(sources, "gemeenten"), out)
    pt_cols = ["point_id", "pc4", "municipality_code", "lat", "lon", "population", "assign_method"]
    methods = pts.assign_method.value_counts().sort_index().to_dict()
    write(pts[pt_cols], out, "demand_points", f"methods {methods}")
    write(islands, out, "islands")
    write(runs, out, "water_zones", f"{runs.zone.max()} zones")
    unlinked = f"; dropped (join no two zones): {dropped}" if dropped else ""
    write(
        crossings, out, "water_crossings", f"{crossings.crossing_id.nunique()} crossings{unlinked}"
    )
    beds = sites.beds[sites.status_2025 == "open"]
    counts = (
        f"{len(beds)} open, SEH {sites.seh.sum()} ({(sites.seh_hours == '24/7').sum()} 24/7), "
        f"beds {beds.sum():,} ({beds.min()}-{beds.max()}), ICU {sites.icu_beds.sum():,}, "
        f"bays {sites.seh_bays.sum():,}, OR {sites.operating_rooms.sum():,}"
    )
    write(sites, out, "sites", counts)
    on_site = (haps.placement == "seh_site").sum()
    write(haps, out, "gp_posts", f"{on_site} on SEH sites; {hap_note}")
    kinds = ambu.availability.value_counts().sort_index().to_dict()
    write(ambu, out, "ambulance_posts", f"{ambu.vr_code.nunique()} safety regions, {kinds}")
    levels = zcc.level.value_counts()
    write(zcc, out, "zcc_options", f"{levels['roaz']} roaz, {levels['vr']} vr")
    write(cat, out, "interventions")
    write(links, out, "site_interventions", f"{links.site_id.nunique()} provider sites")
    vasc = vascular_networks(sites, munis)
    write(vasc, out, "vascular_networks", f"{vasc.vascular_network.nunique()} networks, roaz_rule")
    sub = zcc_subregions_by_rule({"municipalities": munis})
    write(sub, out, "zcc_subregions", f"{sub.subregion_code.nunique()} sub-regions, roaz_x_vr_rule")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", type=Path, required=True, help="shared/data-sources")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="src/patientflow/data/nl")
    args = parser.parse_args(argv)
    build(args.sources, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
