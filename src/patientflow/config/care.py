"""Configuration of complex care: the interventions (clinical parameters, norms) and, per
network configuration, the rule that chooses each intervention's providers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from patientflow.config.distributions import DistConfig, DistName, check_distribution
from patientflow.config.impact import (
    ImpactConfig,
    StageConfig,
    check_impact_config,
    check_stages,
    default_stages,
)
from patientflow.config.ruptured import RupturedAaaConfig, check_ruptured_config
from patientflow.config.validate import Problems
from patientflow.errors import ConfigError


class CareRuleName(Enum):
    """How an intervention's providers are chosen (docs/complex-care.md)."""

    current = "current"
    volume_norm = "volume_norm"
    one_per_network = "one_per_network"
    explicit = "explicit"
    optimal_k = "optimal_k"


@dataclass
class InterventionConfig:
    """One complex intervention: incidence, its age effect, times in hospital (the work-up
    from referral to readiness for the operation, `workup_days`, at the local hospital), and
    norms.
    `incidence_per_100k` is per 100,000 inhabitants per year; times in minutes or days as
    named; a volume norm of 0 means none. `process_norm_days` is a process norm instead (days
    from referral to the operation, e.g. carotid 14), reported as the share operated in time;
    0 means none. An optional volume-outcome relation (an assumption):
    `mortality` (share of patients who die after the operation) and `rr_per_doubling` (relative
    risk when the provider's volume doubles); 0 switches it off. The impact analysis: the
    pathway's `stages` (visits and where, config/impact.py), the production value per
    operation `tariff_eur` (an assumption), and the surgeons a provider needs: its volume over
    `ops_per_surgeon`, at least `min_surgeons` (assumptions)."""

    # Display name (e.g. Pancreatic resection); not read by the model: tables and chapters name
    # an intervention by its key.
    name: str = ""
    # oncology (providers grouped by cancer network) or vascular (by vascular network); also the
    # specialty group whose surgeons the impact analysis counts per hospital.
    group: str = "oncology"
    incidence_per_100k: float = 0.0
    # Age effect: the incidence per inhabitant times 1 + age_beta x (the municipality's 65+ share
    # - the national one), at least 0.05 (an assumption; docs/complex-care.md).
    age_beta: float = 3.0
    # Share of patients who come acutely: by ambulance to a repair centre (care.ruptured), no
    # work-up, taking operating minutes ahead of the waiting list; above 0 the intervention needs
    # a round-the-clock rota. AAA: 0.23 (9 % acute symptomatic + 14 % ruptured, DICA DSAA).
    acute_share: float = 0.0
    # Operating time per patient, minutes.
    or_minutes: DistConfig = field(
        default_factory=lambda: DistConfig(DistName.lognormal, 240.0, 0.3)
    )
    # Ward stay after the operation (after any ICU stay), days.
    stay_days: DistConfig = field(default_factory=lambda: DistConfig(DistName.lognormal, 5.0, 0.6))
    # Share of operated patients who go to the ICU before the ward.
    icu_share: float = 0.2
    # ICU stay of those patients, days.
    icu_days: DistConfig = field(default_factory=lambda: DistConfig(DistName.lognormal, 2.0, 0.8))
    workup_days: DistConfig = field(
        default_factory=lambda: DistConfig(DistName.lognormal, 14.0, 0.5)
    )
    # The old volume norm (operations a year per provider), reported only (norm_old, who meets
    # it today); 0: none.
    norm_current: float = 20.0
    # The proposed volume norm (operations a year per provider): what a volume_norm rule applies
    # when its own `norm` is 0, and what providers are counted against; 0: none.
    norm_proposed: float = 0.0
    # Interventions with the same non-empty norm_group are held to their volume norm together:
    # each provider's volumes of the group are summed for the norm test, and a provider below
    # it stops all of them (oesophagus and stomach: 50 a year for both together, data README).
    norm_group: str = ""
    process_norm_days: float = 0.0
    mortality: float = 0.0
    rr_per_doubling: float = 0.0
    stages: dict[str, StageConfig] = field(default_factory=default_stages)
    tariff_eur: float = 0.0
    ops_per_surgeon: float = 25.0
    min_surgeons: int = 2


@dataclass
class CareConfig:
    """All interventions, the referral model, and how capacity follows volume. Referral choice
    is a Huff model fitted to today's observed volumes (care/choice.py): `distance_decay_per_min`
    is its decay with car minutes (an assumption); when providers stop, their patients weigh
    providers in their own cancer network `own_network_preference` times (1: no preference).
    `volumes_file`: your own per-hospital volumes (columns hospital, intervention, year,
    volume; hospitals by site id or name), replacing the embedded ones for its interventions.
    `national_rules_on_region`: allow the network's national rules (`network.care`) on a
    regional study area's patients alone, a deliberate thought experiment (off: the run stops,
    since a national norm concentrates one region's few patients in one hospital).
    `share_beds_with_acute`: each hospital's ward beds serve its acute admissions (the acute
    model's expected inpatients through its SEH) and complex care together; false gives
    complex care beds of its own (the pre-0.x behaviour, for comparison). `ruptured`: how
    acute AAA patients reach their operation (config/ruptured.py)."""

    interventions: dict[str, InterventionConfig] = field(default_factory=dict)
    impact: ImpactConfig = field(default_factory=ImpactConfig)
    share_beds_with_acute: bool = True
    national_rules_on_region: bool = False
    distance_decay_per_min: float = 0.1
    own_network_preference: float = 1.0
    volumes_file: str | None = None
    # Car minutes to the hospital of surgery above which a patient counts as one who would
    # refuse the trip (counted in care_paired.csv and care_pathway.csv; still operated).
    refuse_above_min: float = 120.0
    # The Treeknorm for inpatient treatment (80 % within 5 weeks; shared/domain-facts.md): the
    # pathway reports the share of elective patients operated within this many weeks of the end
    # of their work-up.
    treeknorm_weeks: float = 5.0
    # Minutes of one operating session: the impact analysis' sessions a week (volume x mean
    # operating minutes / this / 52), and the least a centre's unused minutes carry over.
    session_minutes: float = 480.0
    # The occupancy a centre's operating minutes are planned at: weekly minutes = expected
    # operations a year x mean operating minutes / 52 / this.
    session_occupancy: float = 0.85
    # Weeks before a centre's operating minutes move from today's expected load to the new
    # network's.
    capacity_lag_weeks: float = 12.0
    # The most a centre's new weekly operating minutes may be, as a multiple of today's (a
    # centre without operations today is not capped).
    capacity_cap: float = 2.0
    ruptured: RupturedAaaConfig = field(default_factory=RupturedAaaConfig)


@dataclass
class CareRule:
    """The rule that chooses one intervention's providers in a network configuration; `norm` 0
    means the intervention's proposed norm. For `optimal_k` (an exact p-median) the optional
    planning constraints: at least one provider per cancer network, sites that must stay
    (`keep_sites`) or go (`drop_sites`), a share of patients within `max_minutes` by car
    (0: none), and the solver's time limit (beyond it the best choice and its proven gap)."""

    rule: CareRuleName = CareRuleName.current
    norm: float = 0.0
    # optimal_k: the number of providers to choose (at least 1).
    k: int = 0
    # explicit: the site ids (sites.csv) that provide; required for that rule.
    sites: list[str] = field(default_factory=list)
    # optimal_k, national rule only: every cancer network (vascular network, for a vascular
    # intervention) keeps at least one provider.
    at_least_one_per_network: bool = False
    keep_sites: list[str] = field(default_factory=list)
    drop_sites: list[str] = field(default_factory=list)
    max_minutes: float = 0.0
    # optimal_k with `max_minutes` above 0: the least share of patients within that many car
    # minutes of their nearest provider (1: all).
    max_minutes_share: float = 1.0
    # optimal_k: the seconds the solver may take; beyond them the best choice found and its
    # proven gap are reported.
    time_limit_s: float = 60.0


def check_care_config(
    care: CareConfig,
    rules: dict[str, CareRule],
    problems: Problems,
    per_network: dict[str, dict[str, CareRule]] | None = None,
) -> None:
    """Domain checks of complex care, each problem naming its key."""
    for name, iv in care.interventions.items():
        key = f"care.interventions.{name}"
        problems.non_negative(f"{key}.incidence_per_100k", iv.incidence_per_100k)
        problems.number(f"{key}.age_beta", iv.age_beta, low=-100, high=100)
        for attr in ("acute_share", "icu_share", "mortality"):
            problems.share(f"{key}.{attr}", getattr(iv, attr))
        for attr in ("norm_current", "norm_proposed", "process_norm_days", "rr_per_doubling"):
            problems.non_negative(f"{key}.{attr}", getattr(iv, attr))
        for attr in ("or_minutes", "stay_days", "icu_days", "workup_days"):
            try:
                check_distribution(getattr(iv, attr), f"{key}.{attr}")
            except ConfigError as err:
                problems.extend([err])
        check_stages(name, iv.stages, problems)
        problems.non_negative(f"{key}.tariff_eur", iv.tariff_eur)
        problems.positive(f"{key}.ops_per_surgeon", iv.ops_per_surgeon)
        problems.number(f"{key}.min_surgeons", iv.min_surgeons, low=0, high=100)
    check_impact_config(care.impact, problems)
    _check_rules(care, rules, "network.care", problems)
    _check_norm_groups(care, rules, per_network or {}, problems)
    _check_care_numbers(care, problems)
    check_ruptured_config(care.ruptured, problems)
    for network, own in (per_network or {}).items():
        _check_rules(care, own, f"network.care_per_network.{network}", problems)
        for name, rule in own.items():
            if rule.at_least_one_per_network:
                problems.add(
                    f"network.care_per_network.{network}.{name}.at_least_one_per_network",
                    True,
                    "belongs to the national rule: a network's own rule covers one network",
                )


def _check_rules(
    care: CareConfig, rules: dict[str, CareRule], prefix: str, problems: Problems
) -> None:
    for name, rule in rules.items():
        key = f"{prefix}.{name}"
        if name not in care.interventions:
            known = ", ".join(sorted(care.interventions))
            problems.add(key, name, f"is not an intervention in care.interventions ({known})")
        if rule.rule is CareRuleName.optimal_k:
            problems.number(f"{key}.k", rule.k, low=1)
            problems.non_negative(f"{key}.max_minutes", rule.max_minutes)
            problems.share(f"{key}.max_minutes_share", rule.max_minutes_share)
            problems.number(f"{key}.time_limit_s", rule.time_limit_s, low=1, high=86_400)
        _check_unread_options(rule, key, problems)
        iv = care.interventions.get(name)
        if rule.rule is CareRuleName.volume_norm and iv and not (rule.norm or iv.norm_proposed):
            problems.add(
                f"{key}.norm",
                rule.norm,
                f"the volume_norm rule needs a norm: care.interventions.{name}.norm_proposed is "
                "0 (none), so every provider would stay and the norm read as met",
            )
        if rule.rule is CareRuleName.explicit and not rule.sites:
            problems.add(f"{key}.sites", rule.sites, "must list site ids for the explicit rule")
        for field_name in ("sites", "keep_sites", "drop_sites"):
            listed = getattr(rule, field_name)
            for i, site in enumerate(listed):
                if site in listed[:i]:
                    problems.add(
                        f"{key}.{field_name}[{i}]",
                        site,
                        f"is listed twice (also {field_name}[{listed.index(site)}]): a site "
                        "provides once, and a second entry would count its patients twice",
                    )
        problems.non_negative(f"{key}.norm", rule.norm)


# The options only one rule reads (`norm` is read by every rule: providers are counted against it).
RULE_OPTIONS = {
    "sites": CareRuleName.explicit,
    **dict.fromkeys(
        (
            "k",
            "at_least_one_per_network",
            "keep_sites",
            "drop_sites",
            "max_minutes",
            "max_minutes_share",
            "time_limit_s",
        ),
        CareRuleName.optimal_k,
    ),
}


def _check_unread_options(rule: CareRule, key: str, problems: Problems) -> None:
    """An option set under a rule that does not read it, or a share of patients within
    max_minutes without max_minutes, would be ignored without a word: refuse it."""
    default = CareRule()
    for option, reader in RULE_OPTIONS.items():
        value = getattr(rule, option)
        if rule.rule is not reader and value != getattr(default, option):
            problems.add(
                f"{key}.{option}",
                value,
                f"is read only by the {reader.value} rule, not by {rule.rule.value}: it would "
                "be ignored",
            )
    if rule.rule is CareRuleName.optimal_k and not rule.max_minutes:
        if rule.max_minutes_share != default.max_minutes_share:
            problems.add(
                f"{key}.max_minutes_share",
                rule.max_minutes_share,
                "needs max_minutes above 0 (the minutes the share is within): it would be ignored",
            )


def norm_groups(names: list[str], interventions: dict[str, InterventionConfig]) -> list[list[str]]:
    """The interventions grouped by their `norm_group` (one group each without one), in the
    order of `names`."""
    groups: dict[str, list[str]] = {}
    for name in names:
        iv = interventions[name]
        groups.setdefault(f"group:{iv.norm_group}" if iv.norm_group else name, []).append(name)
    return list(groups.values())


def _check_norm_groups(
    care: CareConfig,
    rules: dict[str, CareRule],
    per_network: dict[str, dict[str, CareRule]],
    problems: Problems,
) -> None:
    """The interventions of a norm group share one norm and, wherever one of them is under a
    volume norm, all are under the same one: the norm is tested on their summed volumes."""
    ivs = care.interventions
    for names in norm_groups(list(ivs), ivs):
        first, group = names[0], ivs[names[0]].norm_group
        for other in names[1:]:
            for attr in ("norm_proposed", "group"):
                mine, theirs = getattr(ivs[other], attr), getattr(ivs[first], attr)
                if mine != theirs:
                    problems.add(
                        f"care.interventions.{other}.{attr}",
                        mine,
                        f"differs from care.interventions.{first}.{attr} ({theirs}): the norm "
                        f"group {group} is tested together",
                    )
        places: list[tuple[str, dict[str, CareRule]]] = [("network.care", {})] + [
            (f"network.care_per_network.{net}", own) for net, own in sorted(per_network.items())
        ]
        for prefix, own in places:
            effective = {n: own.get(n, rules.get(n, CareRule())) for n in names}
            normed = {
                n: r.norm or ivs[n].norm_proposed
                for n, r in effective.items()
                if r.rule is CareRuleName.volume_norm
            }
            if normed and (len(normed) < len(names) or len(set(normed.values())) > 1):
                ref = next(iter(normed))
                bad = next(n for n in names if normed.get(n) != normed[ref])
                problems.add(
                    f"{prefix}.{bad}",
                    effective[bad].rule.value,
                    f"must be the same volume_norm as {prefix}.{ref}: the norm group {group} "
                    f"({', '.join(names)}) is tested on its summed volumes",
                )


def _check_care_numbers(care: CareConfig, problems: Problems) -> None:
    problems.number("care.distance_decay_per_min", care.distance_decay_per_min, low=0, high=1)
    problems.number(
        "care.own_network_preference", care.own_network_preference, low=0, high=1e3, low_open=True
    )
    problems.positive("care.refuse_above_min", care.refuse_above_min)
    problems.positive("care.treeknorm_weeks", care.treeknorm_weeks)
    problems.positive("care.session_minutes", care.session_minutes)
    problems.number("care.session_occupancy", care.session_occupancy, low=0, high=1, low_open=True)
    problems.non_negative("care.capacity_lag_weeks", care.capacity_lag_weeks)
    problems.number("care.capacity_cap", care.capacity_cap, low=1)
