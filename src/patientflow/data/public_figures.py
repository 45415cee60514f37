"""The public Dutch figures the calibration table compares a national run with
(shared/domain-facts.md, each with its source): acute volumes and shares, and the yearly
patients of each complex intervention."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """A public figure: a value, or a range (low, high); `share` figures are fractions."""

    key: str
    label: str
    low: float
    high: float
    source: str
    share: bool = False
    # "input": a parameter is set from this figure, the row checks the engine reproduces it
    # (the SEH routes other than the ambulance's and the GP post's SEH share are: the channel
    # rates are 1.84 M x their shares, the referral share 13.6 % / 60 %: docs/acute-model.md);
    # "outcome": the figure follows from several inputs and the model's mechanics.
    kind: str = "outcome"
    # Why the model may differ, shown where it lands outside ±10 % (or outside the range).
    explain: str = ""


FACTS = [
    Fact("seh_visits", "SEH visits", 1.84e6, 1.84e6, "VZinfo; Gaakeer et al. (2022)"),
    Fact(
        "route_referred",
        "SEH route: referred by GP or GP post",
        0.503,
        0.503,
        "Gaakeer et al. NTvG 2016 (2015)",
        share=True,
        kind="input",
    ),
    Fact(
        "route_self",
        "SEH route: self-referral",
        0.174,
        0.174,
        "Gaakeer et al. NTvG 2016 (2015)",
        share=True,
        kind="input",
    ),
    Fact(
        "route_ambulance",
        "SEH route: ambulance",
        0.160,
        0.160,
        "Gaakeer et al. NTvG 2016 (2015)",
        share=True,
        explain="the ambulance route follows from 2024 deployments (1.48 M, 78 % urgent) and "
        "the conveyance share (30 % of A1/A2 rides), while the 16 % is a 2015 share of 1.95 M "
        "visits: about 310 k then against about 340 k ambulance arrivals here",
    ),
    Fact(
        "route_other",
        "SEH route: other (specialist, police, ...)",
        0.14,
        0.14,
        "Gaakeer et al. NTvG 2016 (~14 %)",
        share=True,
        kind="input",
    ),
    Fact(
        "admitted_share",
        "admitted after an SEH visit",
        0.35,
        0.38,
        "Gaakeer et al. 2016, 2018 (35–38 %)",
        share=True,
    ),
    Fact(
        "gp_post_contacts",
        "GP-post contacts",
        250 * 17_942_942 / 1000,
        250 * 17_942_942 / 1000,
        "VZinfo; PLOS ONE 2017 (250 per 1,000)",
        kind="input",
    ),
    Fact(
        "gp_advice",
        "GP-post triage: phone advice",
        0.40,
        0.40,
        "PLOS ONE 2017",
        share=True,
        kind="input",
    ),
    Fact(
        "gp_consult",
        "GP-post triage: consultation at the post",
        0.50,
        0.50,
        "PLOS ONE 2017",
        share=True,
        kind="input",
    ),
    Fact(
        "gp_home_visit",
        "GP-post triage: home visit",
        0.10,
        0.10,
        "PLOS ONE 2017",
        share=True,
        kind="input",
    ),
    Fact(
        "gp_to_seh",
        "GP-post contacts referred to an SEH",
        0.136,
        0.136,
        "NZa acute care figures 2019",
        share=True,
        kind="input",
    ),
    Fact(
        "amb_deployments",
        "ambulance deployments",
        1.48e6,
        1.48e6,
        "AZN Sectorkompas via VZinfo (2024)",
        kind="input",
    ),
    Fact(
        "amb_urgent_share",
        "ambulance deployments that are urgent (A1/A2)",
        0.78,
        0.78,
        "AZN Sectorkompas via VZinfo",
        share=True,
        kind="input",
    ),
    Fact(
        "amb_a1_of_urgent",
        "A1 among urgent deployments",
        0.74,
        0.74,
        "Smits et al. NTvG 2014 (one region)",
        share=True,
        kind="input",
    ),
]

CARE_FACTS: dict[str, tuple[float, str] | tuple[float, str, str]] = {
    "pancreas_resection": (1000, "DPCA (~1,000 resections in the audit)"),
    "oesophagus_resection": (725, "DICA DUCA 2022"),
    "stomach_resection": (346, "DICA DUCA 2022"),
    "lung_resection": (2782, "DICA DLCA 2017"),
    "head_neck_surgery": (
        3000,
        "DICA DHNA (~3,000 diagnoses a year, operated or not: the model operates all)",
        "not comparable: 3,000 are diagnoses and the model operates every one, so its head-neck "
        "operations, theatres and beds are an upper bound",
    ),
    "aaa_repair": (3280, "DICA DSAA 2017 (primary operations)"),
    "carotid_endarterectomy": (2700, "DICA DACI (>2,700 patients a year)"),
    "partial_nephrectomy": (
        670,
        "calibrated: 25 of 38 hospitals reached the old norm of 10 in 2023 (medischeoncologie.nl "
        "2024; data README)",
    ),
}
