"""The staff_shortage scenario takes away what it says: 15 % of the SEH bays, about 15 % of the
ambulance hours (a post keeps one vehicle in its hours), 15 % of the GP posts' desk, doctor
and car hours where a post plans more than one, none where it plans one, and none of the SEH
triage nurses (one or two an SEH)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from tests.acute.worlds import world_of
from tests.conftest import REPO

SCENARIO = REPO / "conf/scenario/staff_shortage.yaml"


@pytest.fixture(scope="module")
def ratios() -> dict[str, float]:
    """Staff hours a week under the scenario over the baseline's, per kind, in ROAZ Midden;
    for the GP posts apart for the hours planned above one and at one."""
    base, run, _ = world_of("region=midden")
    short, _, _ = world_of("region=midden", "scenario=staff_shortage")
    gp = sorted(base.active["gp"])
    mine = np.isin(base.amb_posts["vr_code"].to_numpy(), np.unique(base.point_vr))
    out = {}
    for kind in ("desk", "doctor", "visit"):
        b, s = getattr(base, f"{kind}_schedule")[gp], getattr(short, f"{kind}_schedule")[gp]
        out[f"{kind} above one"] = s[b > 1].sum() / b[b > 1].sum()
        out[f"{kind} at one"] = s[b == 1].sum() / b[b == 1].sum()
    out["ambulance"] = short.amb_schedule[mine].sum() / base.amb_schedule[mine].sum()
    f, cap = run.facilities.seh, 0.85
    bays = base.sehs["seh_bays"].to_numpy()
    nurses = np.where(bays >= f.large_from_bays, f.triage_nurses_large, f.triage_nurses_small)
    out["triage"] = np.maximum(1, np.round(nurses * cap)).sum() / nurses.sum()
    out["bays"] = np.maximum(1, np.round(bays * cap)).sum() / bays.sum()
    return out


def test_what_the_shortage_takes_away(ratios):
    assert ratios["bays"] == pytest.approx(0.85, abs=0.01)
    assert ratios["ambulance"] == pytest.approx(0.85, abs=0.03)
    for kind in ("desk", "doctor", "visit"):
        # Before 5 December each hour was rounded alone: teams of two and three kept all.
        assert ratios[f"{kind} above one"] == pytest.approx(0.85, abs=0.01), kind
        assert ratios[f"{kind} at one"] == 1.0, kind
    assert ratios["triage"] == 1.0


def test_the_scenario_says_so():
    cfg = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    assert cfg["capacity_factor"] == 0.85
    said = cfg["description"]
    assert "all staffed capacities -15 %" not in said
    assert "GP posts -15 % where they plan more than one" in said
    assert "SEH triage unchanged" in said
