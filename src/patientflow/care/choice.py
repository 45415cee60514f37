"""Referral choice: which provider a patient of each demand point is referred to.

A Huff (gravity) model: the share of point i's patients that go to provider j is
A_j exp(-beta t_ij) / sum_k A_k exp(-beta t_ik), with t the car minutes and A_j a per-provider
attraction. The attractions are fitted so that the expected volumes equal the observed ones
(today's `site_interventions.annual_volume`): a referral centre in a dense city then draws
patients from beyond its nearest catchment, as it does today. When providers stop, only their
patients move, to where the same model sends them among the providers left (optionally
preferring their own cancer network); nobody else moves. Rules (rules.py) decide which
providers there are; this module decides who goes where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FIT_ITERATIONS = 2000
FIT_TOLERANCE = 1e-9


@dataclass
class Referrals:
    """Shares of each demand point's patients per candidate hospital (rows sum to 1 over the
    providers), the expected volume per candidate, and for a changed network the share of each
    point's patients whose provider stopped and where those patients go."""

    providers: list[int]
    share: np.ndarray
    volume: np.ndarray
    moved: np.ndarray
    destination: np.ndarray
    report: dict = field(default_factory=dict)


def huff_shares(
    minutes: np.ndarray, attraction: np.ndarray, providers: list[int], beta: float
) -> np.ndarray:
    """Shares (points x candidates) of the Huff model over `providers` (zero elsewhere)."""
    if not providers:
        raise ValueError("no providers to refer patients to")
    cols = np.asarray(providers)
    out = np.zeros(minutes.shape)
    out[:, cols] = _shares_among(beta * minutes[:, cols], attraction[cols])
    return out


def _shares_among(beta_minutes: np.ndarray, attraction: np.ndarray) -> np.ndarray:
    """Huff shares over the providers' columns only, from beta x their minutes (points x
    providers) and their attractions: the fit repeats this, the minutes fixed."""
    with np.errstate(divide="ignore"):
        utility = np.log(attraction)[None, :] - beta_minutes
    utility -= utility.max(axis=1, keepdims=True)
    e = np.exp(utility)
    return e / e.sum(axis=1, keepdims=True)


def fit_attraction(
    minutes: np.ndarray,
    weight: np.ndarray,
    observed: np.ndarray,
    providers: list[int],
    beta: float,
) -> tuple[np.ndarray, dict]:
    """Attractions (per candidate) whose expected volumes equal the observed ones, by
    iterative proportional fitting (A_j <- A_j x observed_j / expected_j); the patients are
    scaled to the observed total first. Reports the largest relative error per provider."""
    cols = np.asarray(providers)
    target = np.asarray(observed, dtype=float)[cols]
    w = np.asarray(weight, dtype=float)
    scale = target.sum() / w.sum() if w.sum() > 0 else 0.0
    w = w * scale
    attraction = np.zeros(minutes.shape[1])
    attraction[cols] = np.maximum(target, 1e-9) / max(target.sum(), 1e-9)
    beta_minutes = beta * minutes[:, cols]
    iterations = 0
    for iterations in range(1, FIT_ITERATIONS + 1):  # noqa: B007 - reported below
        expected = w @ _shares_among(beta_minutes, attraction[cols])
        ratio = np.divide(target, expected, out=np.ones_like(target), where=expected > 0)
        attraction[cols] *= ratio
        attraction[cols] /= attraction[cols].max()
        if np.max(np.abs(ratio - 1.0)) < FIT_TOLERANCE:
            break
    expected = w @ _shares_among(beta_minutes, attraction[cols])
    rel = np.abs(expected - target) / np.maximum(target, 1.0)
    return attraction, {
        "iterations": iterations,
        "max_relative_error": float(rel.max()) if len(rel) else 0.0,
        "demand_scale": float(scale),
    }


def today(
    minutes: np.ndarray,
    weight: np.ndarray,
    attraction: np.ndarray,
    providers: list[int],
    beta: float,
) -> Referrals:
    """Today's referrals: the fitted Huff model over today's providers."""
    share = huff_shares(minutes, attraction, providers, beta)
    n = len(weight)
    return Referrals(
        providers=sorted(providers),
        share=share,
        volume=np.asarray(weight, dtype=float) @ share,
        moved=np.zeros(n),
        destination=np.zeros_like(share),
    )


def after_change(
    ref: Referrals,
    minutes: np.ndarray,
    weight: np.ndarray,
    attraction: np.ndarray,
    providers: list[int],
    beta: float,
    own_network: float = 1.0,
    point_network: np.ndarray | None = None,
    candidate_network: np.ndarray | None = None,
) -> Referrals:
    """The referrals when the providers become `providers`: patients of a provider that
    stays stay; patients of one that stops go where the Huff model sends them among the
    providers left, their own cancer network's weighted by `own_network` (1 = no preference).
    A provider that did not offer the intervention before takes part with its attraction."""
    keep = np.zeros(minutes.shape[1], dtype=bool)
    keep[providers] = True
    stay = ref.share * keep[None, :]
    moved = 1.0 - stay.sum(axis=1)
    moved[np.abs(moved) < 1e-12] = 0.0
    destination = huff_shares(minutes, attraction, providers, beta)
    if own_network != 1.0 and point_network is not None and candidate_network is not None:
        same = point_network[:, None] == candidate_network[None, :]
        destination = destination * np.where(same, own_network, 1.0)
        destination /= destination.sum(axis=1, keepdims=True)
    share = stay + moved[:, None] * destination
    return Referrals(
        providers=sorted(providers),
        share=share,
        volume=np.asarray(weight, dtype=float) @ share,
        moved=moved,
        destination=destination,
    )


def flows(ref: Referrals, new: Referrals) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every patient flow from today's provider to the new one: (point, from, to, share of the
    point's patients). Stayers flow from a provider to itself."""
    pts, cols = np.nonzero(ref.share)
    kept = np.isin(cols, new.providers)
    f_point, f_from, f_to = [pts[kept]], [cols[kept]], [cols[kept]]
    f_share = [ref.share[pts[kept], cols[kept]]]
    gone_p, gone_k = pts[~kept], cols[~kept]
    for c in new.providers:
        moving = ref.share[gone_p, gone_k] * new.destination[gone_p, c]
        nz = moving > 0
        f_point.append(gone_p[nz])
        f_from.append(gone_k[nz])
        f_to.append(np.full(int(nz.sum()), c))
        f_share.append(moving[nz])
    return (
        np.concatenate(f_point),
        np.concatenate(f_from),
        np.concatenate(f_to),
        np.concatenate(f_share),
    )
