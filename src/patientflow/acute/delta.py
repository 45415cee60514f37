"""Which part of the country a network change can reach: the municipalities whose patients'
results may change (the core) and those that must be simulated with them so that every queue
the core's patients join carries its full load. A network-change sweep simulates only the
latter and takes the rest from the shared baseline run (delta_job.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from patientflow.acute.catchments import CHOICE_RANKS, Catchments
from patientflow.config.schema import NetworkConfig


@dataclass(frozen=True)
class DeltaArea:
    """Municipality codes: `core` (their journeys come from the area run), `simulated` (core
    plus the municipalities sharing a queue with it), and the facilities whose time series come
    from the area run (SEH site ids, GP post ids, ZCC ids, safety-region codes)."""

    changed_sites: frozenset[str]
    core: frozenset[str]
    simulated: frozenset[str]
    sehs: frozenset[str]
    gp_posts: frozenset[str]
    zccs: frozenset[str]
    regions: frozenset[str]
    population_share: float
    # The core's inhabitants as a share of the study area's: whose journeys can change.
    measured_share: float

    @property
    def facilities(self) -> frozenset[str]:
        """Every facility id whose time series and stop minutes come from the area run."""
        return self.sehs | self.gp_posts | self.zccs | self.regions


def baseline_network(network: NetworkConfig) -> NetworkConfig:
    """The network a change is measured against: the same, without closures and night
    closures."""
    from dataclasses import replace

    return replace(network, closed_sites=[], night_closures=[])


def changed_sites(network: NetworkConfig, baseline: NetworkConfig) -> frozenset[str]:
    """Sites whose opening differs between the two networks: closed in one only, or with other
    night-closure hours."""
    closed = set(network.closed_sites) ^ set(baseline.closed_sites)

    def hours(n: NetworkConfig) -> dict[str, set[tuple[str, str]]]:
        out: dict[str, set[tuple[str, str]]] = {}
        for c in n.night_closures:
            out.setdefault(c.site, set()).add((str(c.close), str(c.open)))
        return out

    a, b = hours(network), hours(baseline)
    return frozenset(closed | {s for s in set(a) | set(b) if a.get(s) != b.get(s)})


def reach(world: Catchments, rank: int) -> np.ndarray:
    """Points x SEHs: True where the SEH is among the point's `rank` nearest by car (from home
    or from its GP post) or by ambulance."""
    return _reach(world, rank, rank)


def _reach(
    world: Catchments, by_car: int, by_ambulance: int, skip: np.ndarray | None = None
) -> np.ndarray:
    """Points x SEHs: the `by_car` nearest by car from home and from the point's GP post (a
    patient referred after a consultation there drives on from the post), and `by_ambulance`
    nearest by ambulance. With `skip` (SEHs that may be closed when a patient comes: limited
    hours, night closures), the nearest that many that are never skipped, and every skipped one
    nearer than the last of them: whichever of the skipped ones are open at the time, the
    patient's choice is inside."""
    out = np.zeros(world.seh_order_car.shape, dtype=bool)
    from_post = world.gp_seh_order_car[world.point_gp]
    for order, k in (
        (world.seh_order_car, by_car),
        (from_post, by_car),
        (world.seh_order_amb, by_ambulance),
    ):
        if skip is None or not skip.any():
            out[np.arange(len(out))[:, None], order[:, :k]] = True
            continue
        keep = ~skip[order]
        count = np.cumsum(keep, axis=1)
        rows, cols = np.nonzero(np.where(keep, count <= k, count < k))
        out[rows, order[rows, cols]] = True
    return out


def _part_time(world: Catchments) -> np.ndarray:
    """SEHs that are not open around the clock in this world (limited hours, night closures)."""
    return np.array([not h.around_the_clock for h in world.sehs["hours"]], dtype=bool)


def _whole(mask: np.ndarray, world: Catchments, muni: np.ndarray, zcc: bool) -> np.ndarray:
    """`mask` widened to whole safety regions (one ambulance fleet each), whole ZCC regions
    when a ZCC takes calls (one desk pool each) and whole municipalities, until none of the
    three widens it further."""
    while True:
        wider = np.isin(world.point_vr, np.unique(world.point_vr[mask]))
        if zcc:
            with_zcc = wider & (world.point_zcc >= 0)
            wider |= np.isin(world.point_zcc, np.unique(world.point_zcc[with_zcc]))
        wider = np.isin(muni, np.unique(muni[wider]))
        if (wider == mask).all():
            return wider
        mask = wider


def aid_regions(world: Catchments, core: np.ndarray, aid_min: float) -> np.ndarray:
    """Points of every safety region whose ambulances can help a core point (a post within
    `aid_min` ambulance minutes of it) or that the core's ambulances can help: in the area run
    these fleets must carry their own calls, or the core's help would come too readily."""
    if not np.isfinite(aid_min) or aid_min < 0:
        raise ValueError(f"aid_min must be a finite number of minutes >= 0, not {aid_min}")
    if aid_min == 0 or not core.any():
        return np.zeros(len(core), dtype=bool)
    near = world.post_point_amb <= aid_min
    post_vr = world.amb_posts["vr_code"].to_numpy(dtype=object)
    helpers = post_vr[near[:, core].any(axis=1)]
    core_posts = np.isin(post_vr, np.unique(world.point_vr[core]))
    helped = world.point_vr[near[core_posts].any(axis=0)]
    return np.isin(world.point_vr, np.union1d(helpers, helped))


def delta_area(
    baseline: Catchments,
    scenario: Catchments,
    changed: frozenset[str],
    rank: int,
    zcc: bool,
    aid_min: float = 0.0,
) -> DeltaArea:
    """The area a change of `changed` sites can reach. Both worlds are built on the whole study
    area (same points in the same order). "Can be taken to": among the choice set (CHOICE_RANKS;
    by car from home or from the point's GP post), passing over SEHs that may be closed at the
    time (part-time in either network, or changed). Touched: the points whose patients can be
    taken to a changed site. The SEHs whose load changes: the changed sites and every SEH the
    touched patients can be taken to instead. The core (measured from the area run): every point
    that can be taken to one of those, widened to whole safety regions (one fleet), whole ZCC
    regions when a ZCC takes calls, and whole municipalities. Simulated with it: every point
    that can be taken (the model's choice set, or `rank` nearest by car and ambulance if more)
    to an SEH a core point can be taken to, in either network; every point sharing a GP post
    with the core; and, when ambulances help across region borders (`aid_min` drive minutes, 0:
    never), every safety region whose fleet can help the core or be helped by the core's fleets."""
    points = baseline.points
    if (
        len(points) != len(scenario.points)
        or not (points["id"].to_numpy() == scenario.points["id"].to_numpy()).all()
    ):
        raise ValueError("the baseline and scenario worlds must have the same demand points")
    muni = points["municipality_code"].to_numpy(dtype=object)
    pop = points["population"].to_numpy(dtype=float)
    base_ids = baseline.sehs["id"].to_numpy(dtype=object)
    scen_ids = scenario.sehs["id"].to_numpy(dtype=object)
    changed_b = np.isin(base_ids, list(changed))
    changed_s = np.isin(scen_ids, list(changed))
    skip_b: np.ndarray = _part_time(baseline)
    skip_s: np.ndarray = _part_time(scenario) | changed_s
    can_b = _reach(baseline, *CHOICE_RANKS, skip=skip_b)
    can_s = _reach(scenario, *CHOICE_RANKS, skip=skip_s)
    touched = can_b[:, changed_b].any(axis=1) | can_s[:, changed_s].any(axis=1)
    load_changes = can_s[touched].any(axis=0) | changed_s
    core = np.asarray(touched | can_s[:, load_changes].any(axis=1))
    core |= can_b[:, np.isin(base_ids, list(scen_ids[load_changes]))].any(axis=1)
    core = _whole(core, baseline, muni, zcc)
    ranks = (max(rank, CHOICE_RANKS[0]), max(rank, CHOICE_RANKS[1]))
    reach_b = _reach(baseline, *ranks, skip=skip_b)
    reach_s = _reach(scenario, *ranks, skip=skip_s)
    sehs_b, sehs_s = reach_b[core].any(axis=0), reach_s[core].any(axis=0)
    shares = reach_b[:, sehs_b].any(axis=1) | reach_s[:, sehs_s].any(axis=1)
    shares |= np.isin(baseline.point_gp, np.unique(baseline.point_gp[core]))
    shares |= aid_regions(baseline, core, aid_min)
    simulated = np.isin(muni, np.unique(muni[core | shares]))
    outside = ~simulated
    gp_ids = baseline.gp_posts["id"].to_numpy(dtype=object)
    zcc_ids = baseline.zcc["zcc_id"].to_numpy(dtype=object)
    # A facility's series comes from the area run when the core reaches it, or when every
    # point that may use it is simulated; otherwise from the baseline.
    sehs_b |= ~can_b[outside].any(axis=0)
    sehs_s |= ~can_s[outside].any(axis=0)
    gp_in = np.ones(len(gp_ids), dtype=bool)
    gp_in[baseline.point_gp[outside]] = False
    zcc_in = np.ones(len(zcc_ids), dtype=bool)
    zcc_in[baseline.point_zcc[outside & (baseline.point_zcc >= 0)]] = False
    vr_out = set(baseline.point_vr[outside])
    return DeltaArea(
        changed_sites=changed,
        core=frozenset(muni[core]),
        simulated=frozenset(muni[simulated]),
        sehs=frozenset(base_ids[sehs_b]) | frozenset(scen_ids[sehs_s]),
        gp_posts=frozenset(gp_ids[gp_in]),
        zccs=frozenset(zcc_ids[zcc_in]),
        regions=frozenset(v for v in baseline.point_vr if v not in vr_out),
        population_share=float(pop[simulated].sum() / pop.sum()) if pop.sum() > 0 else 0.0,
        measured_share=float(pop[core].sum() / pop.sum()) if pop.sum() > 0 else 0.0,
    )
