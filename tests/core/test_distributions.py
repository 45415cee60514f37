"""Time distributions: exact moments by construction, the block sampler's stream, config checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from patientflow.core.distributions import DistConfig, DistName, Distribution
from patientflow.errors import ConfigError

N = 200_000
# derandomize: fixed examples, so a statistical check cannot fail by chance on a rerun.
STAT = settings(max_examples=30, deadline=None, derandomize=True)
mean_st = st.floats(0.1, 500)
cv_st = st.floats(0.1, 3)


def build(name: DistName, mean: float = 1.0, cv: float = 1.0, values=()) -> Distribution:
    return Distribution.from_config(DistConfig(name, mean, cv, list(values)), "service")


@STAT
@given(mean_st, cv_st)
def test_exponential_mean_and_ignores_cv(mean, cv):
    d = build(DistName.exponential, mean, cv)
    x = d.sample(np.random.default_rng(1), N)
    assert d.mean == mean and d.cv == 1.0
    assert x.shape == (N,) and x.dtype == np.float64 and (x >= 0).all()
    assert abs(x.mean() / mean - 1) < 0.03


@STAT
@given(st.sampled_from([DistName.lognormal, DistName.gamma]), mean_st, cv_st)
def test_lognormal_and_gamma_hit_mean_and_cv(name, mean, cv):
    d = build(name, mean, cv)
    x = d.sample(np.random.default_rng(2), N)
    assert (d.mean, d.cv) == (mean, cv)
    assert (x >= 0).all()
    assert abs(x.mean() / mean - 1) < 0.03
    if cv <= 1.5:
        assert abs(x.std() / x.mean() / cv - 1) < 0.10
    # A patient's own time is the inverse distribution function at its own uniform (the path
    # the acute model and the care pathway take, not `sample`): the same mean and cv, here at
    # 20,000 evenly spread probabilities: no sampling error, and the far tail they leave out
    # costs the mean 0.15 % and the cv 5 % at most (lognormal, cv 3).
    q = d.quantiles((np.arange(20_000) + 0.5) / 20_000)
    assert abs(q.mean() / mean - 1) < 0.03
    assert abs(q.std() / q.mean() / cv - 1) < 0.10


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 500))
def test_deterministic_returns_exactly_the_mean(mean):
    d = build(DistName.deterministic, mean, cv=5.0)
    assert d.mean == mean and d.cv == 0.0
    assert (d.sample(np.random.default_rng(3), 100) == mean).all()
    draw = d.sampler(np.random.default_rng(3))
    assert [draw() for _ in range(10)] == [mean] * 10


@STAT
@given(st.lists(st.floats(0, 1000), min_size=1, max_size=20, unique=True))
def test_empirical_draws_listed_values_uniformly(values):
    d = build(DistName.empirical, mean=-1.0, cv=-1.0, values=values)
    x = d.sample(np.random.default_rng(4), N)
    assert math.isclose(d.mean, float(np.mean(values)), rel_tol=1e-12, abs_tol=1e-12)
    assert np.isin(x, values).all()
    p = 1 / len(values)
    counts = np.array([(x == v).sum() for v in values])
    assert counts.sum() == N
    assert np.abs(counts / N - p).max() <= 6 * math.sqrt(p * (1 - p) / N)


@pytest.mark.parametrize(
    "d",
    [
        build(DistName.exponential, 7.0),
        build(DistName.lognormal, 30.0, 1.2),
        build(DistName.gamma, 30.0, 0.3),
        build(DistName.gamma, 30.0, 2.5),
        build(DistName.deterministic, 12.0),
        build(DistName.empirical, values=[1, 2.5, 10, 60]),
    ],
    ids=lambda d: d.name.value,
)
@pytest.mark.parametrize("block", [1, 7, 4096])
def test_sampler_gives_the_same_stream_as_sample(d, block):
    n = 10_001
    draw = d.sampler(np.random.default_rng(5), block)
    got = np.array([draw() for _ in range(n)])
    assert np.array_equal(got, d.sample(np.random.default_rng(5), n))
    assert isinstance(draw(), float)


def test_sampler_rejects_an_empty_block():
    with pytest.raises(ValueError):
        build(DistName.exponential).sampler(np.random.default_rng(), 0)


@pytest.mark.parametrize(
    "cfg, key",
    [
        (DistConfig(DistName.exponential, mean=0.0), "service.mean"),
        (DistConfig(DistName.exponential, mean=-3.0), "service.mean"),
        (DistConfig(DistName.exponential, mean=math.inf), "service.mean"),
        (DistConfig(DistName.lognormal, mean=math.nan), "service.mean"),
        (DistConfig(DistName.gamma, mean=0.0, cv=1.0), "service.mean"),
        (DistConfig(DistName.deterministic, mean=-0.5), "service.mean"),
        (DistConfig(DistName.lognormal, mean=10.0, cv=0.0), "service.cv"),
        (DistConfig(DistName.gamma, mean=10.0, cv=-1.0), "service.cv"),
        (DistConfig(DistName.gamma, mean=10.0, cv=math.inf), "service.cv"),
        (DistConfig(DistName.gamma, mean=10.0, cv=1e-9), "service.cv"),
        (DistConfig(DistName.lognormal, mean=10.0, cv=1e-300), "service.cv"),
        (DistConfig(DistName.lognormal, mean=10.0, cv=1e200), "service.cv"),
        (DistConfig(DistName.empirical, values=[]), "service.values"),
        (DistConfig(DistName.empirical, values=[3.0, -1.0]), "service.values"),
        (DistConfig(DistName.empirical, values=[3.0, math.nan]), "service.values"),
        (DistConfig("weibull"), "service.name"),  # type: ignore[arg-type]
    ],
)
def test_invalid_config_names_the_key(cfg, key):
    with pytest.raises(ConfigError) as err:
        Distribution.from_config(cfg, "service")
    assert err.value.key == key
    assert str(err.value).startswith(f"{key}=")


@pytest.mark.parametrize(
    "cfg",
    [
        DistConfig(DistName.exponential, mean=5.0, cv=0.0),
        DistConfig(DistName.deterministic, mean=0.0, cv=-1.0),
        DistConfig(DistName.empirical, mean=0.0, values=[0.0]),
    ],
)
def test_unused_fields_are_not_checked(cfg):
    Distribution.from_config(cfg, "service")


def test_works_with_omegaconf_structured_configs():
    schema = OmegaConf.structured(DistConfig)
    cfg = OmegaConf.merge(schema, {"name": "gamma", "mean": 20, "cv": 0.5})
    assert Distribution.from_config(cfg, "service") == build(DistName.gamma, 20.0, 0.5)
    typed = OmegaConf.to_object(OmegaConf.merge(schema, {"name": "empirical", "values": [1, 3]}))
    assert isinstance(typed, DistConfig) and typed.name is DistName.empirical
    assert Distribution.from_config(typed, "service").mean == 2.0


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(DistName)),
    st.floats(1e-6, 1e6),
    st.one_of(st.floats(1e-6, 100), st.sampled_from([1e-6, 100.0])),
    st.lists(st.floats(0, 1e6), min_size=1, max_size=8),
)
def test_every_patients_own_time_is_finite_and_not_negative(name, mean, cv, values):
    """A patient's service time is the inverse distribution function at its own uniform, which
    may be exactly 0 (and comes as close to 1 as a double allows): every valid configuration
    gives a finite time >= 0 there, as a NaN or infinite delay would break SimPy's queue."""
    d = build(name, mean, cv, values)
    u = np.array([0.0, 1e-300, 0.5, 1.0 - 2.0**-53])
    t = d.quantiles(u)
    assert np.isfinite(t).all() and (t >= 0).all(), (d, t)
    assert (np.diff(t) >= 0).all()


@pytest.mark.parametrize(
    "d",
    [
        build(DistName.exponential, 5.0),
        build(DistName.lognormal, 4.0, 1.0),
        build(DistName.lognormal, 2.0, 0.4),
        build(DistName.gamma, 4.0, 1.0),
        build(DistName.gamma, 3.0, 0.5),
        build(DistName.deterministic, 6.0),
        build(DistName.empirical, values=[1.0, 2.0, 2.0, 9.0, 0.0]),
    ],
    ids=lambda d: f"{d.name.value}-{d.mean:g}-{d.cv:.2f}",
)
def test_residual_times_are_those_of_services_under_way(d):
    """What remains of a service found under way at a random moment: mean E[S^2] / (2 E[S])
    = mean (1 + cv^2) / 2, and the remaining times found at random moments along a long run of
    back-to-back services have the same distribution (by quantiles)."""
    rng = np.random.default_rng(3)
    r = d.residual_sample(rng, N)
    assert r.shape == (N,) and (r >= 0).all()
    assert r.mean() == pytest.approx(d.mean * (1 + d.cv**2) / 2, rel=0.03)
    # Renewal check: services back to back, looked at at uniform random moments.
    s = d.sample(rng, N)
    ends = np.cumsum(s)
    looks = rng.random(20_000) * ends[-1] * 0.99
    remaining = ends[np.searchsorted(ends, looks, side="right")] - looks
    qs = [0.25, 0.5, 0.75, 0.9]
    scale = d.mean * (1 + d.cv**2)
    assert np.allclose(np.quantile(r, qs), np.quantile(remaining, qs), atol=0.04 * scale)
