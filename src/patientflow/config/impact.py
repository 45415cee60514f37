"""Configuration of the impact analysis of complex care: a patient's whole pathway (stages,
visits, where each happens), shared care and spreading, and the assumptions behind the
professionals', providers' and networks' indicators (docs/complex-care.md, "Impact")."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from patientflow.config.validate import Problems


class StagePlace(Enum):
    """Where a stage of the pathway happens: at the centre that operates, at the patient's own
    hospital under shared care (else at the centre), or always at the nearest hospital."""

    centre = "centre"
    shared = "shared"
    local = "local"


@dataclass
class StageConfig:
    """One stage of a complex patient's pathway: visits per patient and where they happen;
    `tariff_eur` is the production value per visit (an assumption; 0: not valued)."""

    # Visits per patient in this stage; a pathway's minutes add visits x one-way car minutes to
    # the stage's hospital (docs/complex-care.md, Impact).
    visits: float = 1.0
    place: StagePlace = StagePlace.centre
    tariff_eur: float = 0.0


@dataclass
class SpreadConfig:
    """Less complex care moved from one hospital (often a hub) to another (a spoke): `volume`
    units a year of `care` (a label), each worth `tariff_eur` (an assumption)."""

    care: str = ""
    # The site id (sites.csv) of the hospital that gives the care up (loses volume and value).
    from_site: str = ""
    # The site id of the hospital that takes it over (gains them); must differ from from_site.
    to_site: str = ""
    volume: float = 0.0
    tariff_eur: float = 0.0


@dataclass
class VascularStandard:
    """The minimum requirements a vascular network must meet (the vascular plan's quality
    standard; values are assumptions to set per region): annual AAA and carotid volume of the
    network, repair centres, vascular surgeons for a 24/7 rota, 24/7 interventional radiology
    at a repair centre (`ir_sites`: the hospitals that offer it; empty: assumed at every repair
    centre), and the share of the network's AAA patients within `max_minutes` by ambulance of a
    centre that offers open repair."""

    # AAA and carotid operations a year the network must perform together.
    min_network_volume: float = 100.0
    # Repair centres (providers of AAA repair) the network must have.
    min_repair_centres: int = 1
    # Vascular surgeons the network's volume must support (per hospital and intervention the
    # volume over ops_per_surgeon, rounded down, summed) for a 24/7 rota.
    min_rota_surgeons: int = 6
    ir_sites: list[str] = field(default_factory=list)
    max_minutes: float = 45.0
    # The least share of the network's AAA patients within `max_minutes` ambulance minutes of a
    # repair centre.
    max_minutes_share: float = 0.95


@dataclass
class ImpactConfig:
    """Assumptions of the four-group impact analysis. `travel_threshold_min`: car minutes one
    way to the hospital of surgery above which a patient counts as far; `rota_size`: surgeons
    a round-the-clock service needs (an on-call rota of 1 in N); `fte_per_surgeon`;
    `regional_function_loss_share`: a hospital whose complex-care production value falls by
    this share or more, or that loses every complex operation, is flagged as losing its
    regional function for complex care."""

    travel_threshold_min: float = 60.0
    rota_size: int = 6
    fte_per_surgeon: float = 1.0
    regional_function_loss_share: float = 0.5
    vascular: VascularStandard = field(default_factory=VascularStandard)


def default_stages() -> dict[str, StageConfig]:
    """Work-up and follow-up under shared care, the operation at the centre (an assumption
    where an intervention's config gives none)."""
    return {
        "workup": StageConfig(visits=3.0, place=StagePlace.shared),
        "operation": StageConfig(visits=1.0, place=StagePlace.centre),
        "followup": StageConfig(visits=2.0, place=StagePlace.shared),
    }


def check_impact_config(impact: ImpactConfig, problems: Problems) -> None:
    """Ranges of the impact assumptions, each problem naming its key."""
    key = "care.impact"
    problems.positive(f"{key}.travel_threshold_min", impact.travel_threshold_min)
    problems.number(f"{key}.rota_size", impact.rota_size, low=1, high=100)
    problems.positive(f"{key}.fte_per_surgeon", impact.fte_per_surgeon)
    problems.share(f"{key}.regional_function_loss_share", impact.regional_function_loss_share)
    v = impact.vascular
    problems.non_negative(f"{key}.vascular.min_network_volume", v.min_network_volume)
    problems.number(f"{key}.vascular.min_repair_centres", v.min_repair_centres, low=0, high=100)
    problems.number(f"{key}.vascular.min_rota_surgeons", v.min_rota_surgeons, low=0, high=100)
    problems.positive(f"{key}.vascular.max_minutes", v.max_minutes)
    problems.share(f"{key}.vascular.max_minutes_share", v.max_minutes_share)


def check_stages(name: str, stages: dict[str, StageConfig], problems: Problems) -> None:
    """Visits and tariffs of an intervention's stages: finite and not negative."""
    for stage, s in stages.items():
        key = f"care.interventions.{name}.stages.{stage}"
        problems.number(f"{key}.visits", s.visits, low=0, high=1000)
        problems.non_negative(f"{key}.tariff_eur", s.tariff_eur)
