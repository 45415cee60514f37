"""The referral model: fitted attractions reproduce the observed volumes; when a provider
stops, only its patients move, to where the same model sends them; nobody else moves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.care.choice import after_change, fit_attraction, flows, huff_shares, today


def _instance(seed: int, n_points: int = 60, n_sites: int = 7):
    rng = np.random.default_rng(seed)
    pts, sites = rng.random((n_points, 2)) * 100, rng.random((n_sites, 2)) * 100
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    return minutes, rng.integers(1, 20, n_points).astype(float), rng


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), beta=st.sampled_from([0.01, 0.05, 0.1]))
def test_fitted_attractions_reproduce_the_observed_volumes(seed, beta):
    minutes, w, rng = _instance(seed)
    observed = rng.integers(5, 300, minutes.shape[1]).astype(float)
    providers = list(range(minutes.shape[1]))
    attraction, fit = fit_attraction(minutes, w, observed, providers, beta)
    scaled = w * fit["demand_scale"]
    volume = today(minutes, scaled, attraction, providers, beta).volume
    np.testing.assert_allclose(volume, observed, rtol=1e-4)
    assert fit["max_relative_error"] < 1e-4


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), preference=st.sampled_from([1.0, 3.0]))
def test_only_the_patients_of_a_stopped_provider_move(seed, preference):
    minutes, w, rng = _instance(seed)
    attraction = rng.random(minutes.shape[1]) + 0.1
    providers = list(range(minutes.shape[1]))
    ref = today(minutes, w, attraction, providers, 0.05)
    victim = int(np.argmin(ref.volume))
    left = [p for p in providers if p != victim]
    networks = rng.integers(0, 3, minutes.shape[1])
    points = rng.integers(0, 3, minutes.shape[0])
    new = after_change(ref, minutes, w, attraction, left, 0.05, preference, points, networks)
    stay = np.delete(np.arange(minutes.shape[1]), victim)
    assert (new.share[:, stay] >= ref.share[:, stay] - 1e-12).all()
    np.testing.assert_allclose(new.moved, ref.share[:, victim])
    np.testing.assert_allclose(new.share.sum(axis=1), 1.0)
    assert new.volume.sum() == pytest.approx(w.sum())
    point, src, dst, share = flows(ref, new)
    moved = src != dst
    assert (src[moved] == victim).all()
    assert (w[point] * share)[moved].sum() == pytest.approx(ref.volume[victim])
    if preference == 1.0:  # without a preference the movers follow the Huff model (IIA)
        np.testing.assert_allclose(new.share, huff_shares(minutes, attraction, left, 0.05))


def _care(tmp_path, demand: str):
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            f"demand={demand}",
            "network=tranche1_2025",
            "report.figures=false",
            "sim.days=0",
        ]
    )
    return patientflow.run(cfg, tmp_path / demand)


def test_the_set_under_the_norm_does_not_hinge_on_the_demand_resolution(tmp_path):
    by_muni = _care(tmp_path, "municipality")
    by_pc4 = _care(tmp_path, "pc4")
    for name, s in by_muni.summary["care"].items():
        t = by_pc4.summary["care"][name]
        for key in ("providers_current", "meeting_norm_observed", "meeting_norm_current"):
            assert s[key] == t[key], (name, key)
    a = pd.read_csv(by_muni.tables["care_providers"])
    b = pd.read_csv(by_pc4.tables["care_providers"])
    under = {
        n: set(g.loc[g["provider_current"] & (g["volume_current"] < g["norm"] - 1e-6), "site_id"])
        for n, g in a.groupby("intervention")
    }
    under_pc4 = {
        n: set(g.loc[g["provider_current"] & (g["volume_current"] < g["norm"] - 1e-6), "site_id"])
        for n, g in b.groupby("intervention")
    }
    assert under == under_pc4
