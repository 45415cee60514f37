"""The age effect on demand is measured against the country: an older region has more demand
per inhabitant than a younger one, and the country as a whole keeps the configured rates."""

from __future__ import annotations

import numpy as np
import pytest

import patientflow
from patientflow.acute.demand import DemandModel, ScenarioRates
from patientflow.config.demand import Channel
from patientflow.core.area import national_share_65plus, study_area
from patientflow.runner import as_run_config, load_run_data

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow


def _per_inhabitant(*overrides) -> dict[Channel, float]:
    # the data's year: the rates are per inhabitant of the base year's age structure
    run, _ = as_run_config(
        patientflow.compose(["demand=municipality", "demand.year=2024", *overrides])
    )
    data = load_run_data(run)
    muni = study_area(data, run).municipalities
    model = DemandModel(
        muni["population"].to_numpy(dtype=float),
        muni["share_65plus"].to_numpy(dtype=float),
        run.demand.channels,
        ScenarioRates(),
        national_share_65plus(data),
    )
    pop = muni["population"].sum()
    return {c: model.expected_per_year(c) / pop * 1000 for c in Channel}


def test_an_older_region_calls_more_per_inhabitant_and_the_country_keeps_its_rates():
    country = _per_inhabitant("region=nl")
    zeeland = _per_inhabitant("region.level=zorgkantoor", "region.codes=[ZK27]")  # 65+ 25 %
    midden = _per_inhabitant("region=midden")  # 65+ 18 %
    rates = patientflow.compose([]).demand.channels
    for channel in Channel:
        rate = getattr(rates, channel.value).rate_per_1000_per_year
        assert country[channel] == pytest.approx(rate, rel=1e-9), channel
        if getattr(rates, channel.value).age_beta > 0:
            assert zeeland[channel] > country[channel] > midden[channel], channel
    # 112: age_beta 2 and 65+ shares 0.25 and 0.18 against 0.205: +9 % and -5 %.
    assert zeeland[Channel.call_112] / country[Channel.call_112] == pytest.approx(
        1 + 2 * (0.249978 - 0.204964), rel=1e-3
    )
    assert np.isfinite(list(midden.values())).all()
