"""ZCCs organised as regions plan them: sub-regions, fixed rosters per discipline (triagist,
ambulance dispatcher, nurse) with their FTE, the ZCC as a bottleneck when short-staffed, and the
LHV variant in which the GP post keeps its calls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import patientflow
from patientflow.acute.metrics import Window
from patientflow.acute.profiles import calendar_factor
from patientflow.acute.zcc import roster_schedules, shift_hours, zcc_table
from patientflow.config.checks import check_config
from patientflow.config.demand import Profile
from patientflow.config.zcc import ZCC_DISCIPLINES, DayType, ZccConfig, ZccShift
from patientflow.data import load_dataset
from patientflow.errors import ConfigError, DataError
from tests.acute.worlds import QUICK, world_of

COMMON = (*QUICK, "sim.days=3", "sim.warmup_days=0.5")
ROUND_THE_CLOCK = "scenario.zcc.roster=[{triagist:%d,dispatcher:%d,nurse:%d}]"


def _run(tmp_path, name, *overrides):
    return patientflow.run(patientflow.compose([*COMMON, *overrides]), tmp_path / name)


@given(
    start=st.integers(0, 23),
    hours=st.integers(1, 24),
    days=st.sampled_from(list(DayType)),
)
def test_a_roster_line_covers_its_hours_on_its_days(start, hours, days):
    end = (start + hours) % 24
    line = ZccShift(days=days, start=f"{start:02d}:00", end=f"{end:02d}:00")
    covered = shift_hours(line)
    n_days = {DayType.every_day: 7, DayType.weekdays: 5, DayType.weekend: 2}[days]
    assert covered.sum() == n_days * hours
    first = {DayType.every_day: 0, DayType.weekdays: 0, DayType.weekend: 5}[days]
    assert covered[first * 24 + start]


def test_a_night_line_belongs_to_the_day_it_starts():
    friday_night = shift_hours(ZccShift(days=DayType.weekdays, start="23:00", end="08:00"))
    assert friday_night[4 * 24 + 23] and friday_night[5 * 24 + 7]  # Fri 23:00 to Sat 08:00
    assert not friday_night[7] and not friday_night[5 * 24 + 8]  # Mon 00-08 is Sunday's


def test_a_zcc_gets_its_own_lines_or_the_star_lines():
    zcc = ZccConfig(
        roster=[
            ZccShift(zcc="*", triagist=2, nurse=1),
            ZccShift(zcc="ZCC-B", triagist=5, dispatcher=1),
        ]
    )
    out = roster_schedules(zcc, ["ZCC-A", "ZCC-B"])
    assert out["triagist"][0].sum() == 2 * 168 and out["nurse"][0].sum() == 168
    assert out["triagist"][1].sum() == 5 * 168 and out["nurse"][1].sum() == 0
    assert out["dispatcher"][1].sum() == 168 and out["dispatcher"][0].sum() == 0


def test_a_roster_line_for_an_unknown_zcc_is_named():
    zcc = ZccConfig(roster=[ZccShift(zcc="ZCC-NOPE", triagist=1)])
    with pytest.raises(ConfigError, match=r"roster\[0\]\.zcc.*ZCC-A"):
        roster_schedules(zcc, ["ZCC-A"])


@pytest.mark.slow
def test_sub_region_zccs_staffed_by_roster_report_fte_per_discipline(tmp_path):
    r = _run(
        tmp_path,
        "sub",
        "region=azo",
        "scenario=zcc_subregions_2025",
    )
    table = pd.read_csv(r.paths["zcc"])
    assert len(table) == 4 and table["zcc_id"].str.startswith("ZCC-AZO-VR").all()
    # The shipped roster: 603 triagist, 273 dispatcher and 186 nurse desk hours a week
    # (its six lines cover the 168 hours of the week once).
    hours = {"triagist": 603, "dispatcher": 273, "nurse": 186}
    for discipline, h in hours.items():
        assert (table[f"{discipline}_desk_hours_per_week"] == h).all()
        assert table[f"{discipline}_fte"].iloc[0] == round(h / 36.0, 1)
    assert (table["calls"] > 0).all() and (table["dispatches"] > 0).all()
    assert table["share_other_answered_2min"].between(0, 1).all()
    fte = r.summary["acute"]["staffing_fte"]["zcc_fte"]
    assert set(fte) == set(table["zcc_id"]) and fte["ZCC-AZO-VR07"]["dispatcher"] > 0
    assert set(r.summary["acute"]["per_zcc"]) == set(table["zcc_id"])


@pytest.mark.slow
def test_a_scaled_roster_keeps_a_desk_in_every_hour_it_staffs():
    """capacity_factor scales the roster, but never below one desk in an hour the roster
    staffs: 1 nurse x 0.4 rounded to none, so the ZCC had no nurse, its 112 calls skipped it
    and calls waited for a shift with desks."""
    full, _, _ = world_of("region=midden", "scenario=zcc_subregions_2025")
    short, _, _ = world_of(
        "region=midden", "scenario=zcc_subregions_2025", "scenario.capacity_factor=0.4"
    )
    for name in ("zcc_schedule", "zcc_nurse_schedule", "zcc_dispatch_schedule"):
        staffed, scaled = getattr(full, name), getattr(short, name)
        assert staffed.max() > 0
        assert ((scaled > 0) == (staffed > 0)).all(), name
        assert (scaled <= staffed).all()
    # 10 triagists at the weekend x 0.4: 4.
    assert short.zcc_schedule.max() == 4


def _roster_run(tmp_path, triagists: int):
    return _run(
        tmp_path,
        f"t{triagists}",
        "region=euregio",
        "scenario=zcc_2025",
        "scenario.zcc.staffing=roster",
        ROUND_THE_CLOCK % (triagists, 1, 1),
    )


@pytest.fixture(scope="module")
def eight_triagists(tmp_path_factory):
    return _roster_run(tmp_path_factory.mktemp("roster"), 8)


@pytest.mark.slow
def test_a_short_staffed_roster_makes_the_zcc_the_bottleneck(eight_triagists, tmp_path):
    answered = {
        n: pd.read_csv(r.paths["zcc"])["share_other_answered_2min"].iloc[0]
        for n, r in ((1, _roster_run(tmp_path, 1)), (8, eight_triagists))
    }
    assert answered[1] < 0.5 < 0.9 < answered[8]


@pytest.mark.slow
def test_zcc_dispatchers_queue_the_112_calls_of_their_area(eight_triagists):
    j = pd.read_parquet(
        eight_triagists.paths["journeys"],
        columns=["channel", "dispatch_zcc_id", "dispatch_wait_min"],
    )
    calls = j[j["channel"] == "call_112"]
    assert calls["dispatch_zcc_id"].eq("ZCC-EUREGIO").all()
    assert calls["dispatch_wait_min"].notna().all() and calls["dispatch_wait_min"].max() > 0


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("lhv"), "base", "region=euregio")


@pytest.mark.slow
def test_the_lhv_variant_keeps_the_gp_post_and_consults_the_zcc_across_domains(baseline, tmp_path):
    lhv = _run(tmp_path, "lhv", "region=euregio", "scenario=zcc_lhv_2025")
    b, v = (r.summary["acute"] for r in (baseline, lhv))
    assert v["staffing_fte"]["gp_post_desks_fte"] == b["staffing_fte"]["gp_post_desks_fte"]
    z = v["staffing_fte"]["zcc_fte"]["ZCC-EUREGIO"]
    assert z["triagist"] == 0 and z["nurse"] > 0
    j = pd.read_parquet(
        lhv.paths["journeys"], columns=["channel", "desk_id", "zcc_id", "zcc_consult_id"]
    )
    assert j["zcc_id"].isna().all(), "the ZCC answers no calls itself"
    ooh_calls = j[(j["channel"] == "gp_post_call") & j["desk_id"].notna()]
    consulted = ooh_calls["zcc_consult_id"].notna().mean()
    assert consulted == pytest.approx(0.10, abs=0.03)  # scenario.zcc.cross_domain_share
    for key in ("seh_visits", "admissions"):
        assert v["national"]["volumes_per_year"][key] == pytest.approx(
            b["national"]["volumes_per_year"][key], rel=0.01
        ), key


@pytest.mark.slow
def test_a_sub_region_table_without_the_study_areas_municipality_is_named(tmp_path):
    shipped = load_dataset().zcc_subregions
    mine = shipped[shipped["municipality_code"] != "GM0344"]  # Utrecht
    path = tmp_path / "sub.csv"
    mine.to_csv(path, index=False)
    cfg = patientflow.compose(
        [
            *COMMON,
            "region=midden",
            "scenario=zcc_2025",
            "scenario.zcc.level=subregion",
            f"data.tables.zcc_subregions={path}",
        ]
    )
    with pytest.raises(ConfigError, match="GM0344.*no sub-region"):
        patientflow.run(cfg, tmp_path / "out")


def test_a_sub_region_file_names_its_bad_rows(tmp_path):
    shipped = load_dataset().zcc_subregions
    bad = pd.concat([shipped.head(2), shipped.head(1)], ignore_index=True)
    bad.loc[1, "municipality_code"] = "GM9999"
    path = tmp_path / "sub.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_dataset(None, {"zcc_subregions": str(path)})
    text = "\n".join(err.value.lines())
    assert "row 3" in text and "GM9999" in text and "row 4, column 'municipality_code'" in text


def _answered(zcc: str, channel: str, n: int) -> pd.DataFrame:
    """`n` calls of `channel` a ZCC answered at once, as the ZCC table reads them."""
    return pd.DataFrame(
        {
            "zcc_id": [zcc] * n,
            "channel": [channel] * n,
            "urgency": ["U3"] * n,
            "arrival_min": [1440.0] * n,
            "call_wait_min": [0.0] * n,
            "zcc_consult_id": [None] * n,
            "zcc_consult_wait_min": [None] * n,
            "dispatch_zcc_id": [None] * n,
            "dispatch_wait_min": [None] * n,
        }
    )


def test_a_zccs_calls_a_day_are_those_of_an_average_week_not_of_the_days_measured():
    """Measured Monday noon to Wednesday (sim.days=2, warm-up 0.5), a GP-post call counts
    1.44 times (calendar_factor: 57 % of them come in the weekend); a ZCC's calls a day read
    674 for Midden where its volumes a year give 966 a day."""
    start, end = 720.0, 2880.0
    factor = {
        "gp_post_call": calendar_factor(Profile.gp_post, start, end),
        "self_referral": calendar_factor(Profile.seh, start, end),
    }
    window = Window(days=1.5, end_min=end, norm_min=45.0, calendar=factor)
    journeys = pd.concat(
        [
            _answered("ZCC-A", "gp_post_call", 60),
            _answered("ZCC-A", "self_referral", 10),
            _answered("ZCC-B", "gp_post_call", 30),
        ],
        ignore_index=True,
    )
    zccs = pd.DataFrame({"zcc_id": ["ZCC-A", "ZCC-B"], "name": ["A", "B"]})
    none = {d: np.zeros((2, 168), dtype=int) for d in ZCC_DISCIPLINES}
    table = zcc_table(journeys, zccs, none, np.array([1.0, 1.0]), 36.0, window).set_index("zcc_id")
    a = (60 * factor["gp_post_call"] + 10 * factor["self_referral"]) / 1.5
    assert table.loc["ZCC-A", "calls"] == 70
    assert table.loc["ZCC-A", "calls_per_day"] == pytest.approx(a, abs=0.05)
    assert table.loc["ZCC-B", "calls_per_day"] == pytest.approx(
        window.per_year(pd.Series(["gp_post_call"] * 30)) / 365, abs=0.1
    )


@pytest.mark.parametrize(
    ("start", "end", "bad"), [("07:30", "16:00", "start"), ("17:00", "22:30", "end")]
)
def test_a_roster_line_off_the_full_hour_is_refused_not_rounded(start, end, bad):
    """Desks change at the full hour: a line 07:30-16:00 of 5 triagists every day staffed and
    counted 07:00-16:00, 315 desk hours a week (8.8 FTE) for the 297.5 (8.3 FTE) written."""
    roster = f'scenario.zcc.roster=[{{start:"{start}",end:"{end}",triagist:5}}]'
    cfg = patientflow.compose(["scenario=zcc_2025", "scenario.zcc.staffing=roster", roster])
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert str(err.value).startswith(f"scenario.zcc.roster[0].{bad}=")
    assert "full hour" in str(err.value)


def test_an_lhv_roster_with_triagists_is_refused():
    """In the LHV variant the GP posts keep their calls: a roster's triagist desks got no call
    and were counted as FTE (2 desks round the clock: 9.3 FTE of nobody's work)."""
    roster = 'scenario.zcc.roster=[{triagist:2,nurse:1},{start:"08:00",end:"17:00",nurse:1}]'
    cfg = patientflow.compose(["scenario=zcc_lhv_2025", "scenario.zcc.staffing=roster", roster])
    with pytest.raises(ConfigError) as err:
        check_config(cfg)
    assert str(err.value).startswith("scenario.zcc.roster[0].triagist=2")
    assert "variant=lhv" in str(err.value)
    fine = "scenario.zcc.roster=[{nurse:1,dispatcher:1}]"
    check_config(
        patientflow.compose(["scenario=zcc_lhv_2025", "scenario.zcc.staffing=roster", fine])
    )


def test_a_zcc_reports_its_other_calls_over_ten_minutes():
    """The third GP-post norm (at most 2 % of the other calls over 10 min) per ZCC, as in the
    national summary: a call still waiting at the end counts once past 10 minutes."""
    window = Window(days=1.0, end_min=2880.0, norm_min=45.0, calendar={"gp_post_call": 1.0})
    calls = _answered("ZCC-A", "gp_post_call", 4)
    calls["call_wait_min"] = [0.5, 11.0, 30.0, None]  # the last waiting since 1440: a miss
    zccs = pd.DataFrame({"zcc_id": ["ZCC-A"], "name": ["A"]})
    none = {d: np.zeros((1, 168), dtype=int) for d in ZCC_DISCIPLINES}
    row = zcc_table(calls, zccs, none, np.array([1.0]), 36.0, window).iloc[0]
    assert row["share_other_waiting_over_10min"] == 0.75
    assert row["calls_open_at_end"] == 1


def test_a_dispatch_desk_going_off_hands_its_queue_on():
    """Calls still waiting when a ZCC's last dispatcher goes off are handed on (False), not
    kept until the next shift; a desk that stays open serves its queue as before."""
    import simpy

    from patientflow.acute.facilities import HandOffDesk

    env = simpy.Environment()
    schedule = np.zeros(168, dtype=int)
    schedule[:1] = 1  # one dispatcher Monday 00:00-01:00
    desk = HandOffDesk(env, "ZCC-A", schedule)
    assert desk.acquire(0) is None
    queued = desk.acquire(0)
    desk.on_hour(1)
    assert queued.triggered and queued.value is False and desk.queue == 0
    desk.release()
    assert desk.busy == 0


DAYTIME_DISPATCH = (
    "scenario.zcc.roster=[{start:'08:00',end:'17:00',dispatcher:1,triagist:5,nurse:1},"
    "{start:'17:00',end:'08:00',triagist:5,nurse:1}]"
)


def test_112_calls_queued_when_the_zccs_dispatchers_go_off_go_to_the_regional_centre(tmp_path):
    """The roster staffs one ambulance dispatcher 08:00-17:00. A 112 call still queued at
    17:00 waited for the next morning: Midden, Tuesday 16:57, a 903-minute dispatch wait and
    a 916-minute response. It now goes to the regional dispatch centre at 17:00."""
    r = _run(
        tmp_path,
        "daytime",
        "region=midden",
        "scenario=zcc_subregions_2025",
        DAYTIME_DISPATCH,
        "sim.days=3",
    )
    j = pd.read_parquet(r.paths["journeys"], columns=["arrival_min", "dispatch_wait_min"])
    queued = j[j["dispatch_wait_min"].notna()]
    answered = queued["arrival_min"] + queued["dispatch_wait_min"]
    day_end = (queued["arrival_min"] // 1440) * 1440 + 17 * 60
    assert len(queued) > 100
    assert (answered <= day_end + 1e-9).all(), queued["dispatch_wait_min"].max()
