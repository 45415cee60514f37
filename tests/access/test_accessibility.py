"""Closing an emergency department moves exactly the people it served and nobody else."""

from __future__ import annotations

import numpy as np
import pytest

import patientflow
from patientflow.access.points import point_accessibility
from patientflow.config.checks import check_config
from patientflow.core.area import study_area
from patientflow.core.network import SEH_247, build_network
from patientflow.errors import ConfigError
from patientflow.runner import run_travel_model


def _points(dataset, overrides):
    cfg = check_config(patientflow.compose(["region=nl", "demand=municipality", *overrides]))
    net = build_network(dataset, cfg.network)
    pts = point_accessibility(
        study_area(dataset, cfg), net, run_travel_model(cfg, dataset), cfg, dataset.municipalities
    )
    return pts.set_index("point_id"), net


@pytest.fixture(scope="module")
def baseline(dataset):
    return _points(dataset, [])[0]


@pytest.mark.parametrize("site", ["H106802", "H105301", "H104002", "H107601"])
@pytest.mark.slow
def test_closing_one_seh_moves_exactly_the_municipalities_it_served(dataset, baseline, site):
    closed, net = _points(dataset, [f"network.closed_sites=[{site}]"])
    served = baseline["ambulance_seh_site_id"] == site
    assert served.any(), "pick a site that serves somebody"
    assert site not in set(closed["ambulance_seh_site_id"])
    assert (
        closed.loc[served, "ambulance_min_to_seh"] >= baseline.loc[served, "ambulance_min_to_seh"]
    ).all()
    others = ~served
    assert (
        closed.loc[others, "ambulance_seh_site_id"] == baseline.loc[others, "ambulance_seh_site_id"]
    ).all()
    np.testing.assert_array_equal(
        closed.loc[others, "ambulance_min_to_seh"], baseline.loc[others, "ambulance_min_to_seh"]
    )
    assert len(net.providers[SEH_247].frame) == 75


@pytest.mark.slow
def test_night_closure_takes_a_site_out_of_the_24_7_set_only_at_night(dataset, baseline):
    pts, net = _points(dataset, ["network=seh_night_closure"])
    night = set(net.night_closed_sites)
    assert night == {"H106802", "H105301", "H105404"}
    assert night.isdisjoint(set(net.providers[SEH_247].frame["id"]))
    assert night <= set(net.providers["seh"].frame["id"])
    sites = net.sites.set_index("site_id")
    at_3 = dict(zip(net.sites["site_id"], net.seh_open_at(3 * 60), strict=True))
    at_12 = dict(zip(net.sites["site_id"], net.seh_open_at(12 * 60), strict=True))
    assert not any(at_3[s] for s in night) and all(at_12[s] for s in night)
    assert at_12["H108401"] and not at_3["H108401"]  # Amstelland, 08:00-22:00
    assert sites.loc["H100101", "seh_open_247"] and at_3["H100101"]
    moved = baseline["ambulance_seh_site_id"].isin(night)
    assert (
        pts.loc[~moved, "ambulance_min_to_seh"] == baseline.loc[~moved, "ambulance_min_to_seh"]
    ).all()


def test_unknown_closed_site_is_a_config_error(dataset):
    cfg = check_config(patientflow.compose(["network.closed_sites=[H000000]"]))
    with pytest.raises(ConfigError, match=r"network.closed_sites\[0\]='H000000'"):
        build_network(dataset, cfg.network)


def test_night_closure_of_a_site_without_seh_is_a_config_error(dataset):
    no_seh = dataset.sites.loc[dataset.sites["seh"] == 0, "site_id"].iloc[0]
    cfg = check_config(patientflow.compose([f"network.night_closures=[{{site: {no_seh}}}]"]))
    with pytest.raises(ConfigError, match="has no open emergency department"):
        build_network(dataset, cfg.network)
