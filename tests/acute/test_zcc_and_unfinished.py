"""The ZCC keeps the referral chain (SEH visits and admissions change only by the parameters
that say so), and journeys still under way at the end are never read as fewer admissions."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

COMMON = (
    "region=euregio",
    "demand=municipality",
    "report.figures=false",
    "report.accessibility_area=study_area",
    "sim.progress=false",
    "sim.days=3",
    "sim.warmup_days=0.5",
)


def _run(tmp_path, name, *overrides):
    return patientflow.run(patientflow.compose([*COMMON, *overrides]), tmp_path / name)


def _seh(result) -> pd.DataFrame:
    j = pd.read_parquet(
        result.paths["journeys"], columns=["journey_id", "seh_arrival_min", "disposition"]
    )
    return j[j["seh_arrival_min"].notna()]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("zcc"), "base")


def test_a_zcc_that_redirects_nobody_sends_the_same_patients_to_the_seh(base, tmp_path):
    zcc = _run(tmp_path, "zcc0", "scenario=zcc_2025", "scenario.zcc.redirect_share=0")
    b, z = _seh(base), _seh(zcc)
    journeys = pd.read_parquet(zcc.paths["journeys"], columns=["zcc_id"])
    assert journeys["zcc_id"].notna().sum() > 100, "the ZCC answers calls"
    # The same patients (common random numbers) reach the SEH with the same admission
    # decision; only the few whose ZCC call ends after the horizon may differ.
    both = b.merge(z, on="journey_id", suffixes=("_base", "_zcc"))
    assert len(both) >= 0.995 * len(b) and len(z) <= 1.005 * len(b)
    assert (both["disposition_base"] == both["disposition_zcc"]).all()
    nb = base.summary["acute"]["national"]["volumes_per_year"]
    nz = zcc.summary["acute"]["national"]["volumes_per_year"]
    for key in ("seh_visits", "admissions"):
        assert nz[key] == pytest.approx(nb[key], rel=0.01), key


def test_redirection_lowers_seh_visits_by_about_the_configured_share(base, tmp_path):
    zcc = _run(
        tmp_path, "zcc5", "scenario=zcc_2025", "scenario.zcc.redirect_share=0.5", "sim.days=8"
    )
    j = pd.read_parquet(zcc.paths["journeys"], columns=["path", "seh_arrival_min", "outcome"])
    via = j[j["path"].isin(["self_referral_via_zcc", "self_referral_redirected_by_zcc"])]
    redirected = (via["path"] == "self_referral_redirected_by_zcc").mean()
    assert len(via) >= 40  # a binomial share: within three standard errors of the setting
    assert redirected == pytest.approx(0.5, abs=3 * (0.25 / len(via)) ** 0.5)
    gone = j[j["path"] == "self_referral_redirected_by_zcc"]
    assert gone["seh_arrival_min"].isna().all()
    assert set(gone["outcome"]) <= {"self_care", "consult"}
    first_days = _seh(zcc)["seh_arrival_min"] < 3 * 1440  # the base run's 3 days, same patients
    assert first_days.sum() < len(_seh(base))


def test_a_staff_shortage_keeps_admissions_and_counts_the_unfinished_apart(base, tmp_path):
    short = _run(tmp_path, "short", "scenario=staff_shortage", "scenario.capacity_factor=0.5")
    nb, ns = base.summary["acute"]["national"], short.summary["acute"]["national"]
    assert ns["seh_visits_unfinished"] >= nb["seh_visits_unfinished"]
    assert ns["volumes_per_year"]["admissions"] == pytest.approx(
        nb["volumes_per_year"]["admissions"], rel=0.02
    )
    assert short.summary["acute"]["unfinished_share"] > 0


def test_a_zcc_per_safety_region_answers_from_its_own_desks(tmp_path):
    r = _run(
        tmp_path,
        "vr",
        "scenario=zcc_2025",
        "scenario.zcc.level=vr",
        "region=nl",
        "demand=municipality",
        "sim.days=1",
        "sim.warmup_days=0.25",
    )
    j = pd.read_parquet(r.paths["journeys"], columns=["zcc_id"])
    used = set(j["zcc_id"].dropna())
    assert len(used) > 10 and all(z.startswith("ZCC-VR") for z in used), sorted(used)[:5]


def test_the_zcc_takes_over_the_gp_post_desks_and_reports_its_fte(base, tmp_path):
    zcc = _run(tmp_path, "zccfte", "scenario=zcc_2025")
    kept = _run(tmp_path, "kept", "scenario=zcc_2025", "scenario.zcc.release_gp_desks=false")
    b, z, k = (r.summary["acute"]["staffing_fte"] for r in (base, zcc, kept))
    assert b["gp_post_desks_fte"] > 0 and b["zcc_fte_total"] == 0
    assert z["gp_post_desks_fte"] == 0 and z["zcc_fte_total"] > 0
    assert set(z["zcc_fte"]) == {"ZCC-EUREGIO"}
    assert z["zcc_fte"]["ZCC-EUREGIO"]["triagist"] > 0 and z["zcc_fte"]["ZCC-EUREGIO"]["nurse"] > 0
    assert k["gp_post_desks_fte"] == b["gp_post_desks_fte"]


def _from_other_region(result) -> int:
    from patientflow.data import load_dataset

    vr = load_dataset().municipalities.set_index("municipality_code")["vr_code"]
    j = pd.read_parquet(result.paths["journeys"], columns=["municipality_code", "amb_region"])
    j = j[j["amb_region"].notna()]
    return int((j["municipality_code"].map(vr) != j["amb_region"]).sum())


def test_a_neighbouring_region_helps_when_the_own_has_no_vehicle(tmp_path):
    stress = (
        "region=nhfl",
        "scenario=flu_peak",
        "scenario.flu_peak.call_112=3",
        "scenario.capacity_factor=0.3",
    )
    helped = _run(tmp_path, "aid", *stress)
    alone = _run(tmp_path, "alone", *stress, "facilities.ambulance.mutual_aid_min=0")
    assert _from_other_region(helped) > 0
    assert _from_other_region(alone) == 0
