"""Bad configurations are refused before any work, one message per problem, naming its key;
NaN and infinity never pass a range check."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.config.checks import check_config
from patientflow.errors import ConfigError, ConfigErrors, PatientflowError

CORPUS = [
    ("report.response_allowance_min=nan", "report.response_allowance_min"),
    ("scenario.flu_peak.start_day=nan", "scenario.flu_peak.start_day"),
    # a peak of endless weeks stopped on math.ceil(inf), a traceback, not this refusal
    ("scenario.flu_peak.weeks=inf", "scenario.flu_peak.weeks"),
    ("scenario.flu_peak.start_day=inf", "scenario.flu_peak.start_day"),
    ("sim.days=inf", "sim.days"),
    ("region.codes=[]", "region.codes"),
    ("sim.seed=-1", "sim.seed"),
    # two words of entropy: the streams of seed 5 + 2**32 replication 0 were seed 5's of
    # replication 1 (core/streams.py)
    ("sim.seed=4294967301", "sim.seed"),
    ("sim.replication=4294967296", "sim.replication"),
    ("scenario.heatwave_days=[-3]", "scenario.heatwave_days[0]"),
    ("scenario.heatwave_factor=-1", "scenario.heatwave_factor"),
    ("travel.detour_factor=inf", "travel.detour_factor"),
    ("facilities.seh.los_admitted.mean=nan", "facilities.seh.los_admitted.mean"),
    (
        "care.interventions.lung_resection.incidence_per_100k=nan",
        "care.interventions.lung_resection.incidence_per_100k",
    ),
    ("report.dpi=0", "report.dpi"),
    ("report.region_levels=[]", "report.region_levels"),
    ("facilities.seh.stop_queue=-1", "facilities.seh.stop_queue"),
    ("care.refuse_above_min=0", "care.refuse_above_min"),
    ("sim.replications=0", "sim.replications"),
    ("scenario.capacity_factor=-inf", "scenario.capacity_factor"),
    ("demand.channels.call_112.age_beta=nan", "demand.channels.call_112.age_beta"),
    ("facilities.ambulance.target_occupancy=0", "facilities.ambulance.target_occupancy"),
    # sampled once at the run's end, the utilisation read 0.39 for 0.16 (SEH, a half-day run);
    # above an hour, hours of the week go unsampled; below a minute, millions of rows a day
    ("sim.step_min=1e6", "sim.step_min"),
    # ambulance speeds of 1e6 km/h ran: every drive to an SEH took a thousandth of a minute
    ("travel.ambulance.regional_kmh=1e6", "travel.ambulance.regional_kmh"),
    ("travel.car.motorway_kmh=1300", "travel.car.motorway_kmh"),
    ("travel.air_speed_kmh=2200", "travel.air_speed_kmh"),
    ("sim.step_min=120", "sim.step_min"),
    ("sim.step_min=0.01", "sim.step_min"),
    # GP posts are planned for out-of-hours calls only: a flat profile's office-hour calls met
    # the minimum staff (or, with a ZCC that releases the desks, no desk at all).
    ("demand.channels.gp_post_call.profile=flat", "demand.channels.gp_post_call.profile"),
]


@pytest.mark.parametrize("override,key", CORPUS)
def test_a_bad_value_is_refused_naming_its_key(override, key):
    with pytest.raises(ConfigError) as err:
        check_config(patientflow.compose([override]))
    keys = err.value.keys if isinstance(err.value, ConfigErrors) else [err.value.key]
    assert key in keys


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigErrors) as err:
        check_config(patientflow.compose(["sim.days=inf", "report.norm_min=nan", "sim.seed=-4"]))
    assert {"sim.days", "report.norm_min", "sim.seed"} <= set(err.value.keys)
    assert len(err.value.lines()) == len(err.value.problems)


def _refused_before_work(tmp_path, overrides: list[str]) -> PatientflowError:
    with pytest.raises(PatientflowError) as err:
        patientflow.run(patientflow.compose(overrides), tmp_path)
    assert not (tmp_path / "accessibility.parquet").exists()
    assert not (tmp_path / "summary.json").exists()
    return err.value


@pytest.mark.parametrize(
    "overrides,key",
    [
        (["network.closed_sites=[H000000]"], "network.closed_sites[0]"),
        (["region.codes=[NOPE]"], "region.codes[0]"),
        (["report.boundary_file=/no/such/file.geojson"], "report.boundary_file"),
        (
            [
                "sim=care",
                "region=nl",
                "network=tranche1_2025",
                "network.care.lung_resection.rule=explicit",
                "network.care.lung_resection.sites=[H000000]",
            ],
            "network.care.lung_resection.sites[0]",
        ),
        (
            ["network.night_closures=[{site: H100101, close: '23:00', open: '23:00'}]"],
            "network.night_closures[0].close",
        ),
    ],
)
@pytest.mark.slow
def test_what_the_data_cannot_hold_is_refused_before_work(tmp_path, overrides, key):
    err = _refused_before_work(tmp_path, ["sim=accessibility", *overrides])
    keys = err.keys if isinstance(err, ConfigErrors) else [err.key]
    assert key in keys


@pytest.mark.slow
def test_a_boundary_file_without_polygons_is_refused(tmp_path):
    points = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.1, 52.1]}}
        ],
    }
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps(points), encoding="utf-8")
    err = _refused_before_work(tmp_path / "run", [f"report.boundary_file={path}"])
    assert "Polygon" in str(err)


NUMERIC_KEYS = [
    "report.norm_min",
    "report.response_allowance_min",
    "scenario.population_factor",
    "scenario.capacity_factor",
    "scenario.flu_peak.start_day",
    "scenario.flu_peak.weeks",
    "facilities.triage.seh_after_gp",
    "facilities.seh.referred_extra_min",
    "facilities.seh.acute_bed_occupancy",
    "facilities.ambulance.conveyed_to_seh",
    "facilities.seh.triage.mean",
    "demand.channels.self_referral.rate_per_1000_per_year",
    "demand.channels.gp_referral.age_beta",
    "travel.ferry_wait_min",
    "travel.car.regional_kmh",
]
BAD = ["nan", "inf", "-inf", "-1", "0", "1e12", "0.5", "3"]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    corrupt=st.lists(
        st.tuples(st.sampled_from(NUMERIC_KEYS), st.sampled_from(BAD)),
        min_size=1,
        max_size=3,
        unique_by=lambda kv: kv[0],
    )
)
@pytest.mark.slow
def test_a_corrupted_config_is_refused_or_gives_finite_indicators(tmp_path_factory, corrupt):
    overrides = [f"{k}={v}" for k, v in corrupt]
    cfg = patientflow.compose(
        [
            "debug=fast",
            "sim.days=0.5",
            "sim.warmup_days=0.1",
            "report.figures=false",
            "report.accessibility_area=study_area",
            *overrides,
        ]
    )
    try:
        result = patientflow.run(cfg, tmp_path_factory.mktemp("corrupt"))
    except PatientflowError as err:
        lines = err.lines()
        assert lines and all(isinstance(line, str) and "=" in line for line in lines)
        named = " ".join(lines)
        assert any(k in named for k, _ in corrupt)
        return
    from tests.test_every_combination import numbers_are_finite

    assert numbers_are_finite(result.summary) == []


@pytest.mark.slow
def test_national_rules_on_one_regions_patients_stop_the_run_unless_asked():

    regional = ["sim=care", "region=midden", "network=tranche1_2025"]
    with pytest.raises(ConfigError, match="care.national_rules_on_region=true"):
        check_config(patientflow.compose(regional))
    check_config(patientflow.compose([*regional, "care.national_rules_on_region=true"]))
    check_config(patientflow.compose(["sim=care", "region=nl", "network=tranche1_2025"]))


def test_a_care_run_without_interventions_is_refused_naming_the_key():
    # With no interventions (a care config of its own holding `interventions: {}`) the care
    # job stopped on a traceback (pandas: "No objects to concatenate").
    from omegaconf import open_dict

    cfg = patientflow.compose(["sim=care", "region=nl"])
    with open_dict(cfg):
        cfg.care.interventions = {}
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    keys = err.value.keys if isinstance(err.value, ConfigErrors) else [err.value.key]
    assert keys == ["care.interventions"]
    cfg.sim = patientflow.compose(["sim=accessibility"]).sim
    check_config(cfg)  # the other jobs read no intervention


@pytest.mark.parametrize(
    "overrides,key,needle",
    [
        (
            [
                "network.closed_sites=[H105801]",
                "network.night_closures=[{site: H105801, close: '23:00', open: '08:00'}]",
            ],
            "network.night_closures[0].site",
            "is closed for good (network.closed_sites[0])",
        ),
        (
            [
                "network.night_closures=[{site: H105801, close: '23:00', open: '08:00'},"
                "{site: H105801, close: '20:00', open: '10:00'}]"
            ],
            "network.night_closures[1].site",
            "is night-closed already (network.night_closures[0])",
        ),
    ],
)
def test_a_site_closed_twice_over_is_refused(overrides, key, needle):
    # Both ran: a site closed for good was also listed as night-closed in summary.json, and of
    # two night closures of one site the last set its hours without a word.
    from patientflow.core.preflight import preflight
    from patientflow.data import load_dataset

    run = check_config(patientflow.compose(overrides))
    with pytest.raises(ConfigError) as err:
        preflight(run, load_dataset())
    problems = err.value.problems if isinstance(err.value, ConfigErrors) else [err.value]
    assert [(p.key, needle in p.reason) for p in problems] == [(key, True)]


@pytest.mark.parametrize(
    "overrides,key",
    [
        # the peak starts on the last day's end: the run was the baseline's, named flu_peak
        (["scenario=flu_peak", "scenario.flu_peak.start_day=7"], "scenario.flu_peak.start_day"),
        # a peak over the warm-up alone
        (
            ["scenario=flu_peak", "scenario.flu_peak.weeks=0.1", "sim.warmup_days=2"],
            "scenario.flu_peak.start_day",
        ),
        # a tenth of a day between two days' starts: no whole day in it
        (
            [
                "scenario=flu_peak",
                "scenario.flu_peak.start_day=0.5",
                "scenario.flu_peak.weeks=0.01",
            ],
            "scenario.flu_peak.start_day",
        ),
        (["scenario.heatwave_days=[7,8]"], "scenario.heatwave_days"),
        (["scenario.heatwave_days=[0]", "sim.warmup_days=1"], "scenario.heatwave_days"),
        (["sim=regiobeeld", "scenario.heatwave_days=[9]"], "scenario.heatwave_days"),
    ],
)
def test_a_demand_peak_outside_the_measured_days_is_refused(overrides, key):
    # Each ran and reported the baseline's numbers under the scenario's name.
    with pytest.raises(ConfigError) as err:
        check_config(patientflow.compose(["sim.days=7", *overrides]))
    keys = err.value.keys if isinstance(err.value, ConfigErrors) else [err.value.key]
    assert keys == [key]


@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=flu_peak"],
        ["scenario=winter_2025"],
        ["scenario=flu_peak", "scenario.flu_peak.start_day=6"],
        ["scenario.heatwave_days=[0,1,9]", "sim.warmup_days=1"],
        ["sim=care", "region=nl", "sim.warmup_days=1", "scenario.heatwave_days=[900]"],
    ],
)
def test_a_demand_peak_that_reaches_a_measured_day_passes(overrides):
    check_config(patientflow.compose(["sim.days=7", *overrides]))


def test_a_replication_count_out_of_range_is_the_only_problem_named():
    # sim.replications=1e11 also refused sim.replication=0 as "must be in [0, -9.5705e+10]".
    with pytest.raises(ConfigError) as err:
        check_config(patientflow.compose(["sim.replications=100000000000"]))
    assert str(err.value) == "sim.replications=100000000000: must be in [1, 10000]"
    with pytest.raises(ConfigError) as err:  # the last of two replications is 2**32: refused
        check_config(patientflow.compose(["sim.replications=2", "sim.replication=4294967295"]))
    assert err.value.key == "sim.replication"


def test_a_full_zcc_roster_without_a_triagist_is_refused():
    # It ran: every out-of-hours GP-post call went to a ZCC with no desk and waited to the end
    # of the run (ROAZ Midden, half a day: 78 of 78 calls open, 0 % answered in time).
    line = "{days: every_day, start: '00:00', end: '00:00', triagist: 0, dispatcher: 2, nurse: 1}"
    roster = ["scenario=zcc_subregions_2025", f"scenario.zcc.roster=[{line}]"]
    with pytest.raises(ConfigError) as err:
        check_config(patientflow.compose(roster))
    assert str(err.value) == (
        "scenario.zcc.roster='triagist 0 on every line': with variant=full the ZCC answers "
        "every out-of-hours GP-post call: none would be answered"
    )
    # the LHV variant keeps the calls at the GP posts: no triagist is right there
    check_config(patientflow.compose([*roster, "scenario.zcc.variant=lhv"]))


def test_an_unknown_interventional_radiology_site_is_refused():
    # It ran: no repair centre was in the list, so no vascular network met the standard
    # (9 of them today with the list empty, 0 with [NOPE]).
    from patientflow.core.preflight import preflight
    from patientflow.data import load_dataset

    run = check_config(
        patientflow.compose(
            ["sim=care", "region=nl", "care.impact.vascular.ir_sites=[H100101,' H100101',NOPE]"]
        )
    )
    with pytest.raises(ConfigError) as err:
        preflight(run, load_dataset())
    assert err.value.keys == [
        "care.impact.vascular.ir_sites[1]",
        "care.impact.vascular.ir_sites[2]",
    ]
