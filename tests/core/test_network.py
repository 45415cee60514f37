"""The service network decides which sites are open, and refuses a network that leaves acute
patients nowhere to go."""

from __future__ import annotations

import pytest

import patientflow
from patientflow.config.checks import check_config
from patientflow.core.network import SEH_LIMITED, build_network
from patientflow.errors import ConfigError


def _network(dataset, overrides):
    run = check_config(patientflow.compose(overrides))
    return build_network(dataset, run.network)


def test_closing_every_24_7_seh_is_refused_before_any_work(dataset):
    net = _network(dataset, [])
    all247 = ",".join(net.providers["seh_247"].frame["id"])
    with pytest.raises(ConfigError) as err:
        _network(dataset, [f"network.closed_sites=[{all247}]"])
    assert err.value.key == "network"
    assert "around the clock" in err.value.reason


def test_night_closed_seh_has_limited_hours_and_opens_by_day(dataset):
    net = _network(dataset, ["network=seh_night_closure"])
    seh = net.emergency_departments().set_index("site_id")
    for site in net.night_closed_sites:
        assert seh.loc[site, "seh_status"] == SEH_LIMITED
        hours = seh.loc[site, "hours"]
        assert hours.is_open(12 * 60) and not hours.is_open(3 * 60)
