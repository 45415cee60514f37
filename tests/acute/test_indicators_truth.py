"""The acute indicators count what their names say: a wait still open at the end of the run is
not dropped, a volume a year does not lean on the weekdays the run happened to measure, and a
regional run's SEH and desk figures are the region's own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.acute.job import FACILITY_COLUMNS, SUMMARY_COLUMNS
from patientflow.acute.metrics import Window, indicators
from patientflow.acute.profiles import calendar_factor, hour_of_week, out_of_hours
from patientflow.acute.world import staffing_fte
from patientflow.config.demand import Channel, Profile
from patientflow.data import load_dataset
from patientflow.runner import as_run_config
from tests.acute.worlds import QUICK, world_of

END = 3 * 1440.0
EVEN = {c.value: 1.0 for c in Channel}  # every channel's calendar factor 1 (whole weeks)


def _journeys(rows: list[dict]) -> pd.DataFrame:
    """Journey rows as the summary reads them: every summary column, empty where not given."""
    columns = dict.fromkeys([*SUMMARY_COLUMNS, *FACILITY_COLUMNS])
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows])
    for c in ("seh_within_norm", "diverted"):
        frame[c] = frame[c].astype("boolean")
    return frame


def _call(wait: float | None, urgency: str = "U2") -> dict:
    return {
        "channel": "gp_post_call",
        "arrival_min": END - 40.0,
        "desk_id": "HAP001",
        "urgency": urgency,
        "call_wait_min": wait,
    }


def _a1(response: float | None) -> dict:
    return {
        "channel": "call_112",
        "arrival_min": END - 40.0,
        "urgency": "A1",
        "amb_response_min": response,
    }


def test_waits_still_open_at_the_end_count_with_their_time_so_far():
    j = _journeys([_call(0.0)] * 10 + [_call(None)] * 5 + [_a1(10.0)] * 10 + [_a1(None)] * 5)
    ind = indicators(j, Window(days=2.0, end_min=END, norm_min=45.0, calendar=EVEN))
    # Five urgent calls and five A1 calls had waited 40 minutes when the run ended: misses.
    assert ind["share_urgent_answered_30s"] == pytest.approx(10 / 15, abs=1e-4)
    assert ind["a1_share_on_scene_15min"] == pytest.approx(10 / 15, abs=1e-4)
    assert ind["call_answer_min_p90"] == pytest.approx(40.0)
    assert ind["a1_response_min_p95"] == pytest.approx(40.0)
    assert ind["calls_open_at_end"] == 5 and ind["ambulance_calls_open_at_end"] == 5


def test_a_wait_that_has_not_yet_passed_its_norm_is_not_counted_either_way():
    late = dict(_call(None), arrival_min=END - 0.2)
    j = _journeys([_call(0.0), _call(1.0), late])
    ind = indicators(j, Window(days=2.0, end_min=END, norm_min=45.0, calendar=EVEN))
    assert ind["share_urgent_answered_30s"] == 0.5
    assert ind["calls_open_at_end"] == 1


def test_other_calls_over_ten_minutes_are_reported_against_their_norm():
    """The GP-post norm has three parts: urgent 90 % within 30 s, other 75 % within 2 min and
    at most 2 % over 10 min. The third was not reported (docs/validation.md counted its 6.8 %
    by hand). A call still waiting at the end counts once past 10 minutes, and one still
    waiting short of them is not yet known; urgent calls are not in it."""
    soon = dict(_call(None, "U4"), arrival_min=END - 3.0)
    j = _journeys(
        [_call(1.0, "U3"), _call(5.0, "U4"), _call(12.0, "U5"), _call(None, "U4"), soon]
        + [_call(30.0, "U1")]
    )
    ind = indicators(j, Window(days=2.0, end_min=END, norm_min=45.0, calendar=EVEN))
    # Four known other calls: 12 minutes and one open for 40 are over 10, 1 and 5 are not;
    # the one open for 3 minutes is not yet known here, but is already a miss of the 2 min.
    assert ind["share_other_waiting_over_10min"] == 0.5
    assert ind["share_other_answered_2min"] == 0.2


def test_an_a1_patient_on_the_way_to_the_seh_past_the_norm_is_a_miss():
    on_time = dict(_a1(8.0), seh_within_norm=True, diverted=False)
    on_the_way = dict(_a1(8.0), arrival_min=END - 60.0, diverted=False)
    not_on_scene = dict(_a1(None), arrival_min=END - 60.0)
    j = _journeys([on_time, on_the_way, not_on_scene])
    ind = indicators(j, Window(days=2.0, end_min=END, norm_min=45.0, calendar=EVEN))
    assert ind["a1_a2_share_at_seh_within_norm"] == 0.5


def test_zcc_self_referral_calls_are_not_gp_post_contacts():
    zcc_call = dict(_call(0.0), channel="self_referral", desk_id=None, zcc_id="ZCC-X")
    j = _journeys([_call(0.0)] * 3 + [zcc_call])
    ind = indicators(j, Window(days=365.0, end_min=366 * 1440.0, norm_min=45.0, calendar=EVEN))
    assert ind["volumes_per_year"]["gp_post_contacts"] == 3


@settings(max_examples=40, deadline=None)
@given(
    profile=st.sampled_from(list(Profile)),
    start=st.floats(0, 20_000),
    weeks=st.integers(1, 3),
)
def test_over_whole_weeks_the_calendar_weighs_nothing(profile, start, weeks):
    assert calendar_factor(profile, start, start + weeks * 7 * 1440.0) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(
    profile=st.sampled_from([Profile.gp_post, Profile.seh, Profile.ambulance, Profile.flat]),
    start_h=st.integers(0, 300),
    hours=st.integers(24, 400),
)
def test_the_expected_count_of_any_stretch_reads_as_the_annual_rate(profile, start_h, hours):
    annual = 100_000.0
    w = hour_of_week(profile)
    expected = annual / 8760 * w[np.arange(start_h, start_h + hours) % 168].sum()
    days = hours / 24
    window = Window(
        days=days,
        end_min=(start_h + hours) * 60.0,
        norm_min=45.0,
        calendar={"c": calendar_factor(profile, start_h * 60.0, (start_h + hours) * 60.0)},
    )
    # per_year rounds a count of journeys; feed it the expected count as that many rows.
    count = pd.Series(["c"] * round(expected))
    assert window.per_year(count) == pytest.approx(annual, rel=max(2 / expected, 1e-3))


def test_a_channel_without_a_calendar_factor_is_refused_not_counted_at_one():
    window = Window(days=6.0, end_min=7 * 1440.0, norm_min=45.0, calendar={"call_112": 1.0})
    assert window.per_year(pd.Series(["call_112"] * 6)) == 365
    with pytest.raises(ValueError, match="no calendar factor for channel 'gp_post_call'"):
        window.per_year(pd.Series(["call_112", "gp_post_call"]))
    nan = Window(days=6.0, end_min=7 * 1440.0, norm_min=45.0, calendar={"gp_referral": np.nan})
    with pytest.raises(ValueError, match="gp_referral"):
        nan.per_year(pd.Series(["gp_referral"]))


@pytest.fixture(scope="module")
def midden(tmp_path_factory):
    """Three days of Midden (the first warms up), at municipality resolution."""
    cfg = patientflow.compose([*QUICK, "region=midden", "sim.days=3"])
    return patientflow.run(cfg, tmp_path_factory.mktemp("midden"))


@pytest.mark.slow
def test_a_regional_run_reports_its_own_sehs_and_a_year_of_gp_post_contacts(midden):
    """Midden over two measured weekdays (Tuesday, Wednesday): the GP posts' busy weekend is
    not in them, yet the year of contacts must come out near 250 per 1,000 inhabitants
    (the configured rate; the age effect moves it a few per cent); SEH utilisation, peaks
    and stop minutes are over the SEHs in Midden, not the ones across its border that its
    patients may reach."""
    r = midden
    acute = r.summary["acute"]
    data = load_dataset()
    munis = data.municipalities
    people = float(munis.loc[munis["roaz_code"] == "MIDDEN", "population"].sum())
    contacts = acute["national"]["volumes_per_year"]["gp_post_contacts"]
    assert contacts == pytest.approx(0.250 * people, rel=0.12)
    midden = set(munis.loc[munis["roaz_code"] == "MIDDEN", "municipality_code"])
    ours = set(data.sites.loc[data.sites["municipality_code"].isin(midden), "site_id"])
    ts = pd.read_parquet(r.paths["timeseries"])
    seh = ts[(ts["facility_type"] == "seh") & (ts["time_min"] > 1440.0)]
    assert set(seh["facility_id"]) - ours, "the run records SEHs across the border too"
    mine = seh[seh["facility_id"].isin(ours)]
    expected = mine["busy"].sum() / mine["capacity"].sum()
    assert acute["utilisation"]["seh"] == pytest.approx(expected, abs=1e-4)


@pytest.mark.slow
def test_the_facility_table_counts_consultations_and_home_visits_apart(midden):
    j = pd.read_parquet(midden.paths["journeys"])
    j = j[~j["warmup"]]
    fac = pd.read_parquet(midden.paths["facilities"]).set_index(["facility_type", "facility_id"])
    visits = j[j["outcome"] == "home_visit"].groupby("gp_post_id").size()
    consults = j[j["outcome"] == "consult"].groupby("gp_post_id").size()
    assert len(visits) and len(consults)
    for post, n in visits.items():
        assert fac.loc[("gp_visit", post), "volume"] == n
    for post, n in consults.items():
        assert fac.loc[("gp_doctor", post), "volume"] == n
    waits = j[j["amb_region"].notna()].groupby("amb_region")["amb_wait_min"].mean()
    for region, wait in waits.items():
        assert fac.loc[("ambulance", region), "wait_mean_min"] == pytest.approx(wait)


def test_gp_post_desk_fte_counts_the_posts_that_serve_the_study_area():
    world, run, _ = world_of("region=midden")
    fte = staffing_fte(world, run)["gp_post_desks_fte"]
    hours = run.scenario.zcc.hours_per_fte
    ooh = out_of_hours(np.arange(168))
    own = world.desk_schedule[sorted(world.active["gp"])][:, ooh].sum() / hours
    assert fte == pytest.approx(own, abs=0.05)
    assert fte < 0.5 * world.desk_schedule[:, ooh].sum() / hours, "Midden is not half the country"


def test_desk_fte_counts_the_hours_calls_come_not_the_minimum_kept_in_office_hours():
    """GP posts, and a ZCC staffed for the load, take calls only out of hours. The one desk
    each keeps in office hours (`min_staff`: it finishes what is left at 08:00) counted as 45
    desk hours a week per post: Midden's GP-post desks read 55.5 FTE for 44.2 out of hours, its
    ZCC 34.7 FTE for 32.2 (the nurse 6.6 for 5.3)."""
    ooh = out_of_hours(np.arange(168))
    base, run, _ = world_of("region=midden")
    gp = sorted(base.active["gp"])
    assert (base.desk_schedule[gp][:, ~ooh] >= 1).all()
    assert staffing_fte(base, run)["gp_post_desks_fte"] == pytest.approx(44.2, abs=0.05)
    zcc, run, _ = world_of("region=midden", "scenario=zcc_2025")
    (k,) = zcc.active["zcc"]
    assert zcc.zcc_schedule[k, ~ooh].sum() > 0 and zcc.zcc_nurse_schedule[k, ~ooh].sum() > 0
    fte = staffing_fte(zcc, run)["zcc_fte"]["ZCC-MIDDEN"]
    assert fte["triagist"] == round(zcc.zcc_schedule[k, ooh].sum() / 36.0, 1) == 26.9
    assert fte["nurse"] == round(zcc.zcc_nurse_schedule[k, ooh].sum() / 36.0, 1) == 5.3


def test_a_fixed_roster_counts_every_hour_it_staffs():
    world, run, _ = world_of("region=midden", "scenario=zcc_subregions_2025")
    k = min(world.active["zcc"])
    fte = staffing_fte(world, run)["zcc_fte"][str(world.zcc["zcc_id"][k])]
    assert fte["triagist"] == round(603 / 36.0, 1) and fte["dispatcher"] == round(273 / 36.0, 1)


@pytest.mark.slow
def test_the_unfinished_share_counts_measured_journeys_over_measured_journeys(tmp_path):
    """An overloaded hour after a day of warm-up: many journeys of the warm-up are still under
    way at the end, but they are not measured, so they are not in the share either (it read
    94 of 37 measured journeys, 254 %)."""
    cfg = patientflow.compose(
        [
            *QUICK,
            "region=midden",
            "sim.days=1.05",
            "sim.warmup_days=1",
            "scenario=flu_peak",
            "scenario.capacity_factor=0.6",
        ]
    )
    acute = patientflow.run(cfg, tmp_path).summary["acute"]
    j = pd.read_parquet(tmp_path / "journeys.parquet", columns=["end_min", "warmup"])
    measured = j[~j["warmup"]]
    assert acute["measured_journeys"] == len(measured)
    assert acute["unfinished_journeys"] == int(measured["end_min"].isna().sum())
    assert 0 < acute["unfinished_share"] <= 1
    assert j.loc[j["warmup"], "end_min"].isna().any(), "the warm-up leaves journeys under way"


def test_a_gp_post_desk_is_busy_against_its_staff_in_the_hours_calls_come():
    """A GP post takes calls out of hours; in office hours its desk keeps its minimum staff
    with nothing to do. Counting those hours read a fifth of the staffed hours as idle."""
    from patientflow.acute.metrics import facility_table, utilisation
    from patientflow.acute.world import call_hours_only

    run, _ = as_run_config(patientflow.compose(["demand=municipality"]))
    monday_10, monday_20 = 10 * 60.0, 20 * 60.0
    ts = pd.DataFrame(
        {
            "time_min": [monday_10, monday_20, monday_10, monday_20],
            "facility_type": ["gp_desk", "gp_desk", "seh", "seh"],
            "facility_id": ["P1", "P1", "S1", "S1"],
            "busy": [0, 1, 1, 3],
            "capacity": [1, 2, 4, 4],
        }
    )
    counted = call_hours_only(run)
    assert utilisation(ts, 0.0, counted) == {"gp_desk": 0.5, "seh": 0.5}
    table = facility_table(
        pd.DataFrame(
            {c: pd.Series(dtype=float) for c in FACILITY_COLUMNS if c != "outcome"}
        ).assign(outcome=pd.Series(dtype=str)),
        ts,
        0.0,
        1.0,
        {},
        counted,
    ).set_index("facility_id")
    assert table.loc["P1", "utilisation"] == 0.5


def test_a_timeseries_row_counts_for_the_hour_it_closes():
    """The model records each facility at the end of its step (before the hour's new staff
    come on), so the row at Monday 08:00 is the out-of-hours hour 07:00-08:00 and the row at
    17:00 the office hour 16:00-17:00 (report.acute_figures reads it so too). Utilisation
    counted the row by the hour it opens: per weekday the idle office hour 16-17 in, the
    out-of-hours hour 07-08 out (Midden, Monday to Wednesday: GP doctors 33.6 % for 36.0 %)."""
    from patientflow.acute.metrics import utilisation
    from patientflow.acute.world import call_hours_only

    run, _ = as_run_config(patientflow.compose(["demand=municipality"]))
    monday_08, monday_17 = 8 * 60.0, 17 * 60.0
    ts = pd.DataFrame(
        {
            "time_min": [monday_08, monday_17],
            "facility_type": ["gp_desk", "gp_desk"],
            "facility_id": ["P1", "P1"],
            "busy": [2, 0],
            "capacity": [4, 1],
        }
    )
    assert utilisation(ts, 0.0, call_hours_only(run)) == {"gp_desk": 0.5}


@pytest.mark.slow
def test_the_model_records_the_staff_of_the_hour_a_row_closes(midden):
    """What `test_a_timeseries_row_counts_for_the_hour_it_closes` takes as given: a row's
    capacity is the schedule of the hour that ends at its time."""
    world, _, _ = world_of("region=midden")
    ts = pd.read_parquet(midden.paths["timeseries"])
    desks = ts[ts["facility_type"] == "gp_desk"]
    row_of = {pid: i for i, pid in enumerate(world.gp_posts["id"])}
    closes = (np.ceil(desks["time_min"].to_numpy() / 60.0).astype(int) - 1) % 168
    rows = desks["facility_id"].astype(str).map(row_of).to_numpy()
    assert (desks["capacity"].to_numpy() == world.desk_schedule[rows, closes]).all()
    assert (
        world.desk_schedule[rows, closes] != world.desk_schedule[rows, (closes + 1) % 168]
    ).any()


def test_a_zccs_fte_total_is_its_desk_hours_not_the_sum_of_rounded_parts():
    """The shipped roster's 603 + 273 + 186 desk hours are 29.5 FTE (zcc.csv's fte_total);
    the summary added the rounded 16.8 + 7.6 + 5.2 to 29.6, 2.8 FTE too many over the 28
    sub-regions."""
    world, run, _ = world_of("region=midden", "scenario=zcc_subregions_2025")
    fte = staffing_fte(world, run)
    (zcc,) = fte["zcc_fte"].values()
    assert (zcc["triagist"], zcc["dispatcher"], zcc["nurse"]) == (16.8, 7.6, 5.2)
    assert zcc["total"] == round((603 + 273 + 186) / 36.0, 1) == 29.5
    assert fte["zcc_fte_total"] == 29.5
