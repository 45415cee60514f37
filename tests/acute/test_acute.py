"""The acute-care simulation: queueing theory, conservation laws, closures, reproducibility and
common random numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import simpy

import patientflow
from patientflow.acute.demand import arrivals_for_hours
from patientflow.acute.facilities import HourlyClock, StaffedResource
from patientflow.acute.profiles import Profile, hour_of_week
from patientflow.core.distributions import DistConfig, DistName, Distribution
from patientflow.core.statistics import mean_ci


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / (math.factorial(c) * (1 - rho))
    p_wait = tail / (head + tail)
    return p_wait / (c * mu - lam)


@pytest.mark.slow
def test_flat_channel_into_one_desk_is_an_m_m_c_queue():
    """Poisson arrivals from the demand generator (flat profile) into a desk of c servers with
    exponential service: the mean wait matches Erlang C within 5 %."""
    c, mean_service, lam_per_min = 3, 6.0, 0.4  # occupancy 0.8
    hours = np.arange(24 * 7 * 40)
    assert np.allclose(hour_of_week(Profile.flat), 1.0)
    rates = np.full((1, len(hours)), lam_per_min * 60.0)
    rng = np.random.default_rng(42)
    times, _ = arrivals_for_hours(rates, hours, rng)
    service = Distribution.from_config(DistConfig(DistName.exponential, mean_service), "s")
    draw = service.sampler(np.random.default_rng(7))
    env = simpy.Environment()
    desk = StaffedResource(env, "desk", np.full(168, c))
    waits: list[float] = []

    def customer(t0):
        wait = desk.acquire()
        if wait is not None:
            yield wait
        waits.append(env.now - t0)
        yield env.timeout(draw())
        desk.release()

    def source():
        for t in times:
            yield env.timeout(t - env.now)
            env.process(customer(t))

    env.process(source())
    env.run()
    assert len(waits) > 150_000
    expected = erlang_c_wait(lam_per_min, 1 / mean_service, c)
    assert np.mean(waits[5000:]) == pytest.approx(expected, rel=0.05)


def test_shift_schedule_changes_the_number_of_servers():
    env = simpy.Environment()
    schedule = np.array([1] * 8 + [3] * 16 + [1] * 144)
    pool = StaffedResource(env, "x", schedule)
    HourlyClock(env, [pool])
    seen = {}

    def watch():
        for h in (2, 10, 30):
            yield env.timeout(h * 60 + 1 - env.now)
            seen[h] = pool.capacity

    env.process(watch())
    env.run(until=31 * 60)
    assert seen == {2: 1, 10: 3, 30: 1}


def _run(tmp_path, name, *overrides):
    cfg = patientflow.compose(
        ["demand=municipality", "report.figures=false", "sim.progress=false", *overrides]
    )
    return patientflow.run(cfg, tmp_path / name)


@pytest.fixture(scope="module")
def midden(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("acute")
    return _run(tmp, "midden", "sim.days=4", "sim.warmup_days=1", "sim.step_min=5")


@pytest.mark.slow
def test_run_folder_of_the_acute_job(midden):
    for name in ("journeys", "timeseries", "facilities", "accessibility", "regions"):
        assert midden.paths[name].is_file(), name
    acute = midden.summary["acute"]
    national = acute["national"]
    for key in (
        "call_answer_min_p50",
        "share_seh_triage_10min",
        "seh_los_min_p90",
        "a1_share_on_scene_15min",
        "amb_response_min_p95",
        "a1_a2_share_at_seh_within_norm",
    ):
        assert national[key] is not None, key
    assert set(acute["per_roaz"]) == {"MIDDEN"}
    assert acute["unfinished_journeys"] < 0.05 * acute["arrivals"]


@pytest.mark.slow
def test_warm_up_is_excluded_from_the_indicators(midden):
    j = pd.read_parquet(midden.paths["journeys"])
    assert (j["warmup"] == (j["arrival_min"] < 1440.0)).all()
    measured = midden.summary["acute"]["national"]["journeys"]
    assert measured == int((~j["warmup"]).sum())


@pytest.mark.slow
def test_littles_law_holds_on_the_emergency_departments(midden):
    """Mean number in the SEH bays and their queue, as the facilities report it every 5 minutes,
    equals the arrival rate times the mean time from joining the bay queue to leaving, from the
    journeys (summed over the region's SEHs)."""
    j = pd.read_parquet(midden.paths["journeys"])
    ts = pd.read_parquet(midden.paths["timeseries"])
    start, end = 1440.0, 3 * 1440.0  # all who join by day 3 have left by day 4
    s = ts[(ts["facility_type"] == "seh") & (ts["time_min"] > start) & (ts["time_min"] <= end)]
    level = (s["busy"] + s["queue"]).groupby(s["time_min"]).sum().mean()
    inside = j[j["bay_queue_min"].between(start, end) & j["seh_departure_min"].notna()]
    lam = len(inside) / (end - start)
    w = (inside["seh_departure_min"] - inside["bay_queue_min"]).mean()
    assert level == pytest.approx(lam * w, rel=0.10)


EUREGIO = ("region=euregio", "sim.days=2", "sim.warmup_days=0.5")


@pytest.fixture(scope="module")
def euregio(tmp_path_factory):
    """Two days of Euregio, the baseline the tests of seeds and scenarios compare with."""
    return _run(tmp_path_factory.mktemp("euregio"), "base", *EUREGIO)


@pytest.mark.slow
def test_same_seed_gives_identical_journeys(euregio, tmp_path):
    again = _run(tmp_path, "again", *EUREGIO)
    pd.testing.assert_frame_equal(
        pd.read_parquet(euregio.paths["journeys"]), pd.read_parquet(again.paths["journeys"])
    )


def _arrivals(result) -> pd.DataFrame:
    j = pd.read_parquet(result.paths["journeys"], columns=["arrival_min", "point_id", "channel"])
    return j.sort_values(["arrival_min", "point_id"]).reset_index(drop=True)


@pytest.mark.slow
def test_common_random_numbers_across_scenarios(euregio, tmp_path):
    base = euregio
    zcc = _run(tmp_path, "zcc", "scenario=zcc_2025", *EUREGIO)
    other_rep = _run(tmp_path, "rep1", "sim.replication=1", *EUREGIO)
    pd.testing.assert_frame_equal(_arrivals(base), _arrivals(zcc))
    assert not _arrivals(base).equals(_arrivals(other_rep))
    zj = pd.read_parquet(zcc.paths["journeys"])
    assert zj["zcc_id"].notna().any() and not zj["desk_id"].notna().any()


@pytest.mark.slow
def test_the_same_patient_makes_the_same_choices_in_another_scenario(euregio, tmp_path):
    """Staff shortage changes waits, not who the patients are or what they choose."""
    cols = ["journey_id", "arrival_min", "channel", "urgency", "outcome", "disposition"]
    base = pd.read_parquet(euregio.paths["journeys"], columns=cols)
    short = pd.read_parquet(
        _run(tmp_path, "s", "scenario=staff_shortage", *EUREGIO).paths["journeys"], columns=cols
    )
    both = base.merge(short, on="journey_id", suffixes=("", "_short"))
    assert len(both) == len(base) == len(short)
    for col in ("arrival_min", "channel", "urgency"):
        pd.testing.assert_series_equal(both[col], both[f"{col}_short"], check_names=False)
    # A journey still under way at the end (more of them under the shortage) has no outcome
    # or disposition yet; every one that has both agrees.
    for col in ("outcome", "disposition"):
        done = both[col].notna() & both[f"{col}_short"].notna()
        assert (both[col].isna() != both[f"{col}_short"].isna()).mean() < 0.02, col
        assert (both.loc[done, col] == both.loc[done, f"{col}_short"]).all(), col


@pytest.mark.slow
def test_a_closed_seh_receives_no_patients_while_closed(tmp_path):
    night = _run(
        tmp_path,
        "night",
        "region=zwolle",
        "network=seh_night_closure",
        "sim.days=3",
        "sim.warmup_days=0.5",
    )
    j = pd.read_parquet(night.paths["journeys"])
    at = j[j["seh_site_id"] == "H105301"]  # Saxenburgh Hardenberg, closed 23:00-08:00
    assert len(at) > 20
    clock = (at["seh_arrival_min"] % 1440) / 60
    assert ((clock >= 8) & (clock < 23)).all()
    closed = _run(
        tmp_path,
        "closed",
        "region=zwolle",
        "network.closed_sites=[H105301]",
        "sim.days=2",
        "sim.warmup_days=0.5",
    )
    assert not (pd.read_parquet(closed.paths["journeys"])["seh_site_id"] == "H105301").any()


@pytest.mark.slow
def test_confidence_intervals_narrow_as_replications_grow(tmp_path):
    # Replication k is the same in every run of this seed, so the first three of twelve are
    # the run of three.
    common = ("region=euregio", "sim.days=1", "sim.warmup_days=0.25")
    many = _run(tmp_path, "many", "sim.replications=12", *common).summary["acute"]["replications"]
    key = "volumes_per_year.seh_visits"
    rows = pd.read_csv(tmp_path / "many" / "replications.csv")
    # the mean width of four disjoint runs of three: one run of three alone has a narrower
    # interval than twelve in about 6 % of seeds (its sample deviation happens to be small)
    fews = [mean_ci(rows[f"national.{key}"].iloc[i : i + 3]) for i in range(0, 12, 3)]
    width = {
        "few": sum(f["ci_high"] - f["ci_low"] for f in fews) / len(fews),
        "many": many["national"][key]["ci_high"] - many["national"][key]["ci_low"],
    }
    assert all(f["n"] == 3 for f in fews) and many["n"] == 12
    assert width["many"] < width["few"]
    assert list(rows["replication"]) == list(range(12))
    assert rows[f"national.{key}"].nunique() > 1


def test_the_interval_of_a_rare_count_or_a_near_certain_share_stays_possible():
    from patientflow.acute.job import replication_stats

    table = pd.DataFrame(
        {
            "replication": [0, 1, 2, 3],
            "national.diverted_ambulances": [0.0, 0.0, 0.0, 4.0],
            "national.a1_share_on_scene_15min": [0.97, 1.0, 1.0, 1.0],
        }
    )
    stats = replication_stats(table)["national"]
    assert stats["diverted_ambulances"]["ci_low"] == 0.0
    assert stats["a1_share_on_scene_15min"]["ci_high"] == 1.0
