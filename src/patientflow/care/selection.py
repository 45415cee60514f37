"""Which hospitals provide each intervention under a network configuration, and where the
patients then go: the national rule, each cancer or vascular network's own rule inside it
(the union nationally), volume norms decided together; the rules' building blocks are in
rules.py and optimise.py, the referral model in choice.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from patientflow.care.choice import Referrals, after_change
from patientflow.care.optimise import p_median
from patientflow.care.rules import one_per_network, volume_norm
from patientflow.care.study import CareProblem
from patientflow.config.care import CareConfig, CareRule, CareRuleName, norm_groups
from patientflow.config.schema import NetworkConfig
from patientflow.errors import ConfigError

# The expected volume per candidate hospital when these candidates (column indices) provide.
VolumesOf = Callable[[list[int]], np.ndarray]


def referrals_under(
    problem: CareProblem,
    rule: CareRule,
    ref: Referrals,
    cfg: CareConfig,
    point_network: np.ndarray,
    network_rules: dict[str, CareRule] | None = None,
    hub_volume: np.ndarray | None = None,
) -> Referrals:
    """The referrals when the network's rules choose the providers (the national `rule`, and
    each cancer network's own rule in `network_rules` for the hospitals inside it): the
    patients of a provider that stops move where the referral model sends them; nobody else
    moves. `hub_volume`: today's volume that picks a network's hub (default: this
    intervention's; a norm group's summed, so its interventions share the hub)."""

    move = _mover(problem, ref, cfg, point_network)
    volumes_of: VolumesOf = lambda c: move(c).volume  # noqa: E731
    if network_rules:
        chosen, report = providers_per_network(
            problem, rule, network_rules, volumes_of, point_network, hub_volume
        )
    else:
        chosen, report = providers(problem, rule, volumes_of, hub_volume)
    out = move(chosen)
    out.report = report
    return out


def referrals_of_all(
    problems: dict[str, CareProblem],
    refs: dict[str, Referrals],
    network: NetworkConfig,
    cfg: CareConfig,
) -> dict[str, Referrals]:
    """Every intervention's referrals under the network's rules (national and per network);
    the interventions of a norm group are tested against their norm together."""
    out: dict[str, Referrals] = {}
    for names in norm_groups(list(problems), {n: p.config for n, p in problems.items()}):
        rules = [network.care.get(n, CareRule()) for n in names]
        own = [{net: r[n] for net, r in network.care_per_network.items() if n in r} for n in names]
        news = referrals_of_group(
            [problems[n] for n in names], rules, [refs[n] for n in names], cfg, own
        )
        out.update(zip(names, news, strict=True))
    return {n: out[n] for n in problems}


def referrals_of_group(
    problems: list[CareProblem],
    rules: list[CareRule],
    refs: list[Referrals],
    cfg: CareConfig,
    network_rules: list[dict[str, CareRule]],
) -> list[Referrals]:
    """The referrals of a norm group's interventions (one alone: referrals_under): each
    chooses by its own rules, but its volume norms are tested on the group's volumes summed
    per provider, and a provider below the norm stops every intervention of the group; a
    network's hub is the largest by the group's volume today, so they share it."""
    ids = list(problems[0].candidates["id"])
    for p in problems[1:]:
        if list(p.candidates["id"]) != ids:
            raise ValueError(f"the norm group of {p.name} has different candidate hospitals")
    every_rule = [*rules, *(r for own in network_rules for r in own.values())]
    hubs = sum((r.volume for r in refs), np.zeros(len(ids))) if len(refs) > 1 else None
    if len(problems) == 1 or all(r.rule is not CareRuleName.volume_norm for r in every_rule):
        return [
            referrals_under(p, rule, ref, cfg, p.point_network, own, hubs)
            for p, rule, ref, own in zip(problems, rules, refs, network_rules, strict=True)
        ]
    moves = [_mover(p, r, cfg, p.point_network) for p, r in zip(problems, refs, strict=True)]
    national = not any(network_rules)
    plans = [
        NormPlan([], p.open_current, {}, {})
        if national and rule.rule is CareRuleName.volume_norm
        else network_plan(p, rule, own, _volumes(m), p.point_network, hubs)
        for p, rule, own, m in zip(problems, rules, network_rules, moves, strict=True)
    ]
    allowed = [set(plan.start) | set(plan.fixed) for plan in plans]
    joint = NormPlan(
        sorted(set().union(*(plan.fixed for plan in plans))),
        sorted(set().union(*(plan.start for plan in plans))),
        {k: v for plan in plans for k, v in plan.pools.items()},
        {},
    )

    def group_volumes(chosen: list[int]) -> np.ndarray:
        return sum(
            (m([j for j in chosen if j in a]).volume for m, a in zip(moves, allowed, strict=True)),
            np.zeros(len(ids)),
        )

    total = float(sum(p.weight.sum() for p in problems))
    label = {
        "norm_group": problems[0].config.norm_group,
        "interventions": [p.name for p in problems],
    }
    if national:
        norm = rules[0].norm or problems[0].config.norm_proposed
        chosen, report = volume_norm(group_volumes, joint.start, norm, ids, total)
        reports = [{**report, **label} for _ in problems]
    else:
        norms = norms_of(problems[0], rules[0], network_rules[0])
        chosen, report = decide_norms(joint, group_volumes, norms, ids, problems[0])
        reports = [{**_with_reports(report, plan.reports), **label} for plan in plans]
    out = []
    for m, a, rep in zip(moves, allowed, reports, strict=True):
        new = m([j for j in chosen if j in a])
        new.report = rep
        out.append(new)
    return out


def _with_reports(report: dict, reports: dict) -> dict:
    """A norm group's joint report with one intervention's own reports of its other rules."""
    per_network = {**reports, **report["per_network"]}
    messages = [f"{k}: {r['message']}" for k, r in per_network.items() if r.get("message")]
    return {**report, "per_network": per_network, "message": "; ".join(messages)}


def _volumes(move: Callable[[list[int]], Referrals]) -> VolumesOf:
    """The providers' volumes when these candidates provide."""
    return lambda chosen: move(chosen).volume


def _mover(
    problem: CareProblem, ref: Referrals, cfg: CareConfig, point_network: np.ndarray
) -> Callable[[list[int]], Referrals]:
    """The referrals when these candidates provide: patients of a stopped provider move."""
    return lambda chosen: after_change(
        ref,
        problem.minutes,
        problem.weight,
        problem.attraction,
        chosen,
        problem.beta,
        cfg.own_network_preference,
        point_network,
        problem.candidates["network"].to_numpy(),
    )


def norms_of(
    problem: CareProblem, rule: CareRule, network_rules: dict[str, CareRule] | None = None
) -> np.ndarray:
    """The volume norm each candidate hospital is held to: its cancer network's own rule's
    norm where the network has one, else the national rule's (a rule's norm 0: the
    intervention's proposed norm)."""
    own = network_rules or {}
    default = problem.config.norm_proposed
    return np.array(
        [(own.get(net, rule).norm or default) for net in problem.candidates["network"]],
        dtype=float,
    )


def providers(
    problem: CareProblem,
    rule: CareRule,
    volumes_of: VolumesOf,
    hub_volume: np.ndarray | None = None,
) -> tuple[list[int], dict]:
    """The providers a network rule chooses for one intervention, and the rule's report.
    `volumes_of(providers)` gives the expected volume per candidate under those providers."""
    shut = set(problem.closed)
    members = [j for j in range(len(problem.candidates)) if j not in shut]
    return _providers(problem, rule, volumes_of, members, None, hub_volume=hub_volume)


def providers_per_network(
    problem: CareProblem,
    rule: CareRule,
    network_rules: dict[str, CareRule],
    volumes_of: VolumesOf,
    point_network: np.ndarray,
    hub_volume: np.ndarray | None = None,
) -> tuple[list[int], dict]:
    """The union of each cancer network's own choice (its rule applied to the hospitals and,
    for the p-median, the patients inside it) and the national rule's choice for the rest of
    the country. Volume norms decide together, since patients of a stopped provider may move
    across a network border: each network that applies a norm drops its own providers below
    it, never its last one, while the other networks' choices stay fixed."""
    plan = network_plan(problem, rule, network_rules, volumes_of, point_network, hub_volume)
    norms = norms_of(problem, rule, network_rules)
    return decide_norms(plan, volumes_of, norms, list(problem.candidates["id"]), problem)


@dataclass
class NormPlan:
    """One intervention's choice before its volume norms: the providers other rules chose
    (`fixed`, never dropped), today's providers under a norm (`start`), the pool each of those
    decides in, and the other rules' reports per network."""

    fixed: list[int]
    start: list[int]
    pools: dict[int, str]
    reports: dict


def network_plan(
    problem: CareProblem,
    rule: CareRule,
    network_rules: dict[str, CareRule],
    volumes_of: VolumesOf,
    point_network: np.ndarray,
    hub_volume: np.ndarray | None = None,
) -> NormPlan:
    """Each network's rule other than a volume norm applied inside it; the providers of the
    networks under a volume norm left to decide together (decide_norms)."""
    nets = problem.candidates["network"].to_numpy()
    n = len(problem.candidates)
    groups: dict[str | None, tuple[CareRule, list[int]]] = {
        net: (own, [j for j in range(n) if nets[j] == net])
        for net, own in sorted(network_rules.items())
    }
    groups[None] = (rule, [j for j in range(n) if nets[j] not in network_rules])
    shut = set(problem.closed)
    groups = {k: (r, [j for j in m if j not in shut]) for k, (r, m) in groups.items()}
    plan = NormPlan([], [], {}, {})
    for net, (own, members) in groups.items():
        label = net or "rest of the country"
        if not members:
            continue
        if own.rule is CareRuleName.volume_norm:
            mine = [j for j in problem.open_current if j in set(members)]
            plan.start += mine
            plan.pools.update({j: label for j in mine})
            continue
        chosen, rep = _providers(problem, own, volumes_of, members, point_network, net, hub_volume)
        plan.fixed += chosen
        plan.reports[label] = {"rule": own.rule.value, **rep}
    return plan


def decide_norms(
    plan: NormPlan, volumes_of: VolumesOf, norms: np.ndarray, ids: list[str], problem: CareProblem
) -> tuple[list[int], dict]:
    """The volume norms of a plan decided together (rules.volume_norm), with the report of
    every network's rule."""
    reports = dict(plan.reports)
    if plan.start:
        chosen, rep = volume_norm(
            volumes_of,
            plan.start,
            norms,
            ids,
            float(problem.weight.sum()),
            pools=plan.pools,
            fixed=plan.fixed,
        )
        reports["volume norms"] = rep
    else:
        chosen = sorted(plan.fixed)
    messages = [f"{k}: {r['message']}" for k, r in reports.items() if r.get("message")]
    return sorted(chosen), {
        "per_network": {
            k: {x: y for x, y in v.items() if x != "dropped"} for k, v in reports.items()
        },
        "message": "; ".join(messages),
        "dropped": reports.get("volume norms", {}).get("dropped", []),
    }


def _providers(
    problem: CareProblem,
    rule: CareRule,
    volumes_of: VolumesOf,
    members: list[int],
    point_network: np.ndarray | None,
    network: str | None = None,
    hub_volume: np.ndarray | None = None,
) -> tuple[list[int], dict]:
    """A rule's choice among the candidate hospitals `members` (all of them nationally, or
    those of one cancer network) for the patients of those hospitals' networks; a hub is the
    largest by `hub_volume` (default: this intervention's volume today)."""
    iv, cand = problem.config, problem.candidates
    ids = list(cand["id"])
    inside = set(members)
    key = (
        f"network.care_per_network.{network}.{problem.name}"
        if network
        else (f"network.care.{problem.name}")
    )
    if rule.rule is CareRuleName.current:
        return sorted(j for j in problem.open_current if j in inside), {}
    if rule.rule is CareRuleName.volume_norm:
        norm = rule.norm or iv.norm_proposed
        start = [j for j in problem.open_current if j in inside]
        return volume_norm(volumes_of, start, norm, ids, float(problem.weight.sum()))
    if rule.rule is CareRuleName.one_per_network:
        today_volume = volumes_of(sorted(problem.current)) if hub_volume is None else hub_volume
        hubs = one_per_network(
            today_volume, list(cand["network"]), members, cand["beds"].to_numpy(dtype=float)
        )
        return sorted(hubs), {}
    if rule.rule is CareRuleName.explicit:
        missing = [s for s in rule.sites if s not in ids or ids.index(s) not in inside]
        if missing:
            raise ConfigError(
                f"{key}.sites",
                missing[0],
                "is not an open hospital that can provide this intervention"
                + (f" in network {network}" if network else ""),
            )
        return sorted(ids.index(s) for s in rule.sites), {}
    return _optimal(problem, rule, ids, members, point_network, key)


def _optimal(
    problem: CareProblem,
    rule: CareRule,
    ids: list[str],
    members: list[int],
    point_network: np.ndarray | None,
    key: str,
) -> tuple[list[int], dict]:
    """The exact p-median under the rule's planning constraints (care/optimise.py) among the
    candidate hospitals `members`, for the patients of their cancer networks: the optimum, or
    at the time limit the best choice found with its proven gap."""
    shut = {ids[j] for j in problem.closed}
    for field_name in ("keep_sites", "drop_sites"):
        unknown = [s for s in getattr(rule, field_name) if s not in ids or s in shut]
        if unknown:
            raise ConfigError(
                f"{key}.{field_name}",
                unknown[0],
                "is not an open hospital that can provide this intervention",
            )
    weight = problem.weight
    if len(members) < len(ids) and point_network is not None:
        networks = set(problem.candidates["network"].to_numpy()[members])
        weight = np.where(np.isin(point_network, list(networks)), weight, 0.0)
    local = {j: i for i, j in enumerate(members)}
    for field_name in ("keep_sites", "drop_sites"):
        outside = [s for s in getattr(rule, field_name) if ids.index(s) not in local]
        if outside:
            raise ConfigError(
                f"{key}.{field_name}",
                outside[0],
                "lies in a cancer network that applies its own rule",
            )
    result = p_median(
        problem.minutes[:, members],
        weight,
        rule.k,
        groups=[str(n) for n in problem.candidates["network"].to_numpy()[members]],
        at_least_one_per_group=rule.at_least_one_per_network,
        must_keep=[local[ids.index(s)] for s in rule.keep_sites],
        must_drop=[local[ids.index(s)] for s in rule.drop_sites],
        max_minutes=rule.max_minutes or None,
        max_minutes_share=rule.max_minutes_share,
        time_limit_s=rule.time_limit_s,
    )
    if result.status == "infeasible":
        raise ConfigError(key, rule.k, f"the optimal_k rule cannot be met: {result.message}")
    if not result.providers:
        raise ConfigError(
            f"{key}.time_limit_s",
            rule.time_limit_s,
            f"the solver stopped without a feasible choice ({result.message}): raise "
            f"{key}.time_limit_s, or relax max_minutes / max_minutes_share",
        )
    return sorted(members[i] for i in result.providers), {
        "method": "p-median (exact MILP)",
        "status": result.status,
        "cost": result.cost,
        "lower_bound": result.lower_bound,
        "gap": result.gap,
        "message": result.message,
    }
