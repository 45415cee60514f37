"""The exact p-median (care.optimise) against brute force, with and without side constraints."""

from __future__ import annotations

import ast
import importlib
import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from patientflow.care.optimise import PMedianResult, p_median

SETTINGS = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@st.composite
def instances(draw):
    """4-9 columns, 5-25 points, k in 1..min(4, columns), minutes in [1, 120], weights in
    [0, 10] with at least one positive."""
    m = draw(st.integers(4, 9))
    n = draw(st.integers(5, 25))
    k = draw(st.integers(1, min(4, m)))
    minutes = draw(arrays(np.float64, (n, m), elements=st.floats(1.0, 120.0)))
    weight = draw(arrays(np.float64, n, elements=st.floats(0.0, 10.0)))
    weight[draw(st.integers(0, n - 1))] = draw(st.floats(0.01, 10.0))
    return minutes, weight, k


def _cost(minutes, weight, chosen) -> float:
    return float(weight @ minutes[:, list(chosen)].min(axis=1))


def _brute(minutes, weight, k, ok=lambda c: True) -> float | None:
    costs = [
        _cost(minutes, weight, c)
        for c in itertools.combinations(range(minutes.shape[1]), k)
        if ok(c)
    ]
    return min(costs) if costs else None


def _share(minutes, weight, chosen, limit) -> float:
    return float(weight[minutes[:, list(chosen)].min(axis=1) <= limit].sum() / weight.sum())


def _assert_optimal(r: PMedianResult, minutes, weight, k, best: float) -> None:
    assert r.status == "optimal", r.message
    assert len(r.providers) == k and r.providers == sorted(set(r.providers))
    assert r.cost == pytest.approx(_cost(minutes, weight, r.providers), rel=1e-12)
    assert r.cost == pytest.approx(best, rel=1e-6, abs=1e-12)
    assert 0.0 <= r.gap <= 1e-9
    assert r.lower_bound <= r.cost


@given(instances())
@SETTINGS
@pytest.mark.slow
def test_milp_equals_brute_force(case):
    minutes, weight, k = case
    best = _brute(minutes, weight, k)
    _assert_optimal(p_median(minutes, weight, k, method="milp"), minutes, weight, k, best)
    _assert_optimal(p_median(minutes, weight, k), minutes, weight, k, best)


@given(instances(), st.lists(st.sampled_from("abc"), min_size=9, max_size=9))
@SETTINGS
@pytest.mark.slow
def test_one_per_group_equals_restricted_brute_force(case, labels):
    minutes, weight, k = case
    groups = labels[: minutes.shape[1]]
    present = set(groups)
    for method in ("milp", "enumerate"):
        r = p_median(minutes, weight, k, groups=groups, at_least_one_per_group=True, method=method)
        if k < len(present):
            assert r.status == "infeasible" and "groups" in r.message
            assert r.providers == []
            continue
        best = _brute(minutes, weight, k, lambda c: {groups[j] for j in c} == present)
        _assert_optimal(r, minutes, weight, k, best)
        assert {groups[j] for j in r.providers} == present


@given(instances(), st.data())
@SETTINGS
@pytest.mark.slow
def test_must_keep_and_must_drop_equal_restricted_brute_force(case, data):
    minutes, weight, k = case
    m = minutes.shape[1]
    keep = data.draw(st.lists(st.integers(0, m - 1), unique=True, max_size=k))
    rest = [j for j in range(m) if j not in keep]
    drop = data.draw(st.lists(st.sampled_from(rest), unique=True, max_size=m - k)) if rest else []
    r = p_median(minutes, weight, k, must_keep=keep, must_drop=drop, method="milp")
    best = _brute(minutes, weight, k, lambda c: set(keep) <= set(c) and not set(drop) & set(c))
    _assert_optimal(r, minutes, weight, k, best)
    assert set(keep) <= set(r.providers) and not set(drop) & set(r.providers)


@given(instances(), st.floats(1.0, 120.0), st.floats(0.0, 1.0))
@SETTINGS
@pytest.mark.slow
def test_max_minutes_share_equals_restricted_brute_force(case, limit, share):
    minutes, weight, k = case
    combos = list(itertools.combinations(range(minutes.shape[1]), k))
    shares = [_share(minutes, weight, c, limit) for c in combos]
    assume(all(abs(s - share) > 1e-6 for s in shares))
    r = p_median(minutes, weight, k, max_minutes=limit, max_minutes_share=share, method="milp")
    best = _brute(minutes, weight, k, lambda c: _share(minutes, weight, c, limit) >= share)
    if best is None:
        assert r.status == "infeasible" and r.providers == []
        return
    _assert_optimal(r, minutes, weight, k, best)
    assert _share(minutes, weight, r.providers, limit) >= share


def _clusters(seed: int, n_points: int = 60, n_sites: int = 8):
    """Points and sites in two clusters 200 minutes apart, each site near its own cluster."""
    rng = np.random.default_rng(seed)
    side = np.repeat([0.0, 200.0], [n_points // 2, n_points - n_points // 2])
    pts = np.c_[side + rng.random(n_points) * 20, rng.random(n_points) * 20]
    site_side = np.repeat([0.0, 200.0], [n_sites // 2, n_sites - n_sites // 2])
    sites = np.c_[site_side + rng.random(n_sites) * 20, rng.random(n_sites) * 20]
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) + 1
    return minutes, rng.uniform(1, 5, n_points)


def test_max_minutes_constraint_holds_and_impossible_shares_are_infeasible():
    minutes, weight = _clusters(0)
    r = p_median(minutes, weight, 2, max_minutes=30.0, max_minutes_share=0.9)
    assert r.status == "optimal"
    assert _share(minutes, weight, r.providers, 30.0) >= 0.9
    assert {j // 4 for j in r.providers} == {0, 1}

    for method in ("milp", "enumerate"):
        one = p_median(minutes, weight, 1, max_minutes=30.0, max_minutes_share=0.9, method=method)
        assert one.status == "infeasible" and one.providers == [], one
        assert "constraints" in one.message

    never = p_median(minutes, weight, 2, max_minutes=0.5, max_minutes_share=0.1)
    assert never.status == "infeasible" and "within 0.5 minutes" in never.message


def test_infeasible_choices_are_reported_with_a_message():
    minutes, weight = _clusters(1)
    groups = ["a", "a", "b", "b", "c", "c", "d", "d"]
    r = p_median(minutes, weight, 3, groups=groups, at_least_one_per_group=True)
    assert r.status == "infeasible" and r.providers == []
    assert "k=3" in r.message and "4 groups" in r.message
    assert r.cost == float("inf") and r.gap == float("inf")

    both = p_median(minutes, weight, 3, must_keep=[1, 2], must_drop=[2, 5])
    assert both.status == "infeasible" and "[2]" in both.message
    many = p_median(minutes, weight, 2, must_keep=[0, 3, 5])
    assert many.status == "infeasible" and "[0, 3, 5]" in many.message
    stranger = p_median(minutes, weight, 2, candidates=[0, 1, 2], must_keep=[6])
    assert stranger.status == "infeasible" and "[6]" in stranger.message
    few = p_median(minutes, weight, 3, candidates=[0, 1, 2, 3], must_drop=[0, 1])
    assert few.status == "infeasible" and "[0, 1]" in few.message
    emptied = p_median(
        minutes, weight, 4, groups=groups, at_least_one_per_group=True, must_drop=[6, 7]
    )
    assert emptied.status == "infeasible" and "['d']" in emptied.message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"k": 0}, "at least 1"),
        ({"k": 9}, "exceeds"),
        ({"k": 3, "candidates": [0, 1]}, "exceeds"),
        ({"k": 1.5}, "integer"),
        ({"weight": np.ones(5)}, "one entry per row"),
        ({"minutes": np.ones(8)}, "2-D"),
        ({"minutes": np.full((6, 8), np.nan)}, "minutes contains non-finite"),
        ({"weight": np.r_[np.inf, np.ones(5)]}, "weight contains non-finite"),
        ({"weight": np.r_[-1.0, np.ones(5)]}, "negative"),
        ({"candidates": [0, 8]}, "outside"),
        ({"candidates": [0, 0, 1]}, "more than once"),
        ({"must_keep": [9]}, "outside"),
        ({"groups": ["a"] * 7}, "one group per column"),
        ({"at_least_one_per_group": True}, "needs groups"),
        ({"max_minutes": 30.0, "max_minutes_share": 1.5}, r"\[0, 1\]"),
        ({"max_minutes": float("inf")}, "finite"),
        ({"time_limit_s": 0.0}, "positive"),
        ({"method": "greedy"}, "method"),
    ],
)
def test_bad_input_raises(kwargs, match):
    rng = np.random.default_rng(0)
    args = {"minutes": rng.uniform(1, 60, (6, 8)), "weight": np.ones(6), "k": 2} | kwargs
    with pytest.raises(ValueError, match=match):
        p_median(**args)


def test_zero_weights_and_duplicate_rows_do_not_change_the_answer():
    minutes, weight = _clusters(2, n_points=40)
    base = p_median(minutes, weight, 3, method="milp")
    doubled = p_median(
        np.r_[minutes, minutes, minutes[:5]],
        np.r_[weight / 2, weight / 2, np.zeros(5)],
        3,
        method="milp",
    )
    assert doubled.providers == base.providers
    assert doubled.cost == pytest.approx(base.cost, rel=1e-12)
    none = p_median(minutes, np.zeros(len(weight)), 3, method="milp")
    assert none.status == "optimal" and none.cost == 0.0 and len(none.providers) == 3


def test_enumeration_and_milp_agree_under_every_constraint():
    rng = np.random.default_rng(3)
    pts, sites = rng.random((80, 2)) * 100, rng.random((12, 2)) * 100
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) + 2
    weight = rng.uniform(0, 10, 80)
    kw = dict(
        candidates=list(range(1, 12)),
        groups=list("aaabbbcccddd"),
        at_least_one_per_group=True,
        must_keep=[4],
        must_drop=[7],
        max_minutes=35.0,
        max_minutes_share=0.8,
    )
    a = p_median(minutes, weight, 5, method="milp", **kw)
    b = p_median(minutes, weight, 5, method="enumerate", **kw)
    assert a.status == b.status == "optimal"
    assert a.cost == pytest.approx(b.cost, rel=1e-9)
    assert 4 in a.providers and 7 not in a.providers and 0 not in a.providers


def _greedy_interchange(minutes, weight, k) -> float:
    """The cost of greedy addition then single swaps while they help (Teitz-Bart)."""
    chosen: list[int] = []
    for _ in range(k):
        rest = [c for c in range(minutes.shape[1]) if c not in chosen]
        chosen.append(min(rest, key=lambda c: weight @ minutes[:, [*chosen, c]].min(axis=1)))
    cost = float(weight @ minutes[:, chosen].min(axis=1))
    improved = True
    while improved:
        improved = False
        for i in range(k):
            for c in range(minutes.shape[1]):
                if c in chosen:
                    continue
                trial = chosen[:i] + [c] + chosen[i + 1 :]
                t = float(weight @ minutes[:, trial].min(axis=1))
                if t < cost - 1e-9:
                    chosen, cost, improved = trial, t, True
    return cost


def test_larger_case_is_fast_and_beats_greedy_interchange():
    rng = np.random.default_rng(7)
    pts, sites = rng.random((400, 2)) * 200, rng.random((40, 2)) * 200
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) * 0.9 + 5
    weight = rng.gamma(1.0, 3.0, 400)
    start = time.perf_counter()
    r = p_median(minutes, weight, 8)
    elapsed = time.perf_counter() - start
    heuristic = _greedy_interchange(minutes, weight, 8)
    assert r.status == "optimal" and r.gap == 0.0
    assert elapsed < 15.0
    assert r.cost <= heuristic * (1 + 1e-12)
    assert r.lower_bound <= r.cost * (1 + 1e-9)


def test_time_limit_returns_a_bounded_choice():
    rng = np.random.default_rng(0)
    minutes, weight = rng.uniform(1, 120, (300, 40)), rng.uniform(0, 10, 300)
    r = p_median(minutes, weight, 8, time_limit_s=0.01)
    assert r.status == "time_limit" and len(r.providers) == 8
    assert r.cost == pytest.approx(_cost(minutes, weight, r.providers), rel=1e-12)
    assert 0 < r.lower_bound <= r.cost and 0 <= r.gap < 1
    assert r.gap == pytest.approx((r.cost - r.lower_bound) / r.cost)


@pytest.mark.parametrize("name", ["optimise", "pmedian_model"])
def test_module_imports_only_numpy_scipy_and_the_standard_library(name):
    """The optimiser stands alone: its two modules import nothing of patientflow but each
    other."""
    module = importlib.import_module(f"patientflow.care.{name}")
    tree = ast.parse(Path(module.__file__).read_text())
    modules = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    own = {m for m in modules if m.startswith("patientflow")}
    assert own <= {"patientflow.care.pmedian_model"}
    roots = {m.split(".")[0] for m in modules - own}
    assert roots - set(sys.stdlib_module_names) <= {"numpy", "scipy"}
