"""Decisions per cancer network: each network's own rule inside it, the national rule for the
rest of the country, and the union as the national result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.care.choice import after_change, today
from patientflow.care.selection import providers_per_network
from patientflow.care.study import CareProblem
from patientflow.config.care import CareRule, CareRuleName, InterventionConfig
from patientflow.errors import ConfigError, ConfigErrors

NETWORKS = ["A", "B", "C"]


def _problem(seed: int, norm: float) -> tuple[CareProblem, np.ndarray]:
    """Nine hospitals, three per network, every one a provider today; patients near them."""
    rng = np.random.default_rng(seed)
    sites = rng.random((9, 2)) * 100
    pts = rng.random((60, 2)) * 100
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    weight = rng.integers(1, 10, 60).astype(float)
    cand = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(9)],
            "network": [NETWORKS[i // 3] for i in range(9)],
            "beds": rng.integers(100, 900, 9),
        }
    )
    point_network = np.array([NETWORKS[int(np.argmin(m)) // 3] for m in minutes])
    iv = InterventionConfig(name="x", norm_proposed=norm)
    problem = CareProblem(
        name="x",
        config=iv,
        weight=weight,
        candidates=cand,
        minutes=minutes,
        ambulance=minutes,
        current=list(range(9)),
        observed=np.zeros(9),
        attraction=np.ones(9),
        beta=0.05,
        fit={},
    )
    return problem, point_network


def _volumes_of(problem: CareProblem):
    ref = today(problem.minutes, problem.weight, problem.attraction, problem.current, 0.05)
    return lambda chosen: (
        after_change(ref, problem.minutes, problem.weight, problem.attraction, chosen, 0.05).volume
    )


RULES = st.sampled_from(
    [
        CareRule(rule=CareRuleName.current),
        CareRule(rule=CareRuleName.volume_norm),
        CareRule(rule=CareRuleName.volume_norm, norm=15.0),
        CareRule(rule=CareRuleName.one_per_network),
        CareRule(rule=CareRuleName.optimal_k, k=2),
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 5000),
    norm=st.floats(10, 120),
    national=RULES,
    own=st.dictionaries(st.sampled_from(NETWORKS), RULES, max_size=3),
)
def test_each_network_applies_its_own_rule_and_the_union_is_national(seed, norm, national, own):
    problem, point_network = _problem(seed, norm)
    volumes_of = _volumes_of(problem)
    chosen, report = providers_per_network(problem, national, own, volumes_of, point_network)
    volume = volumes_of(chosen)
    for k, net in enumerate(NETWORKS):
        rule = own.get(net, national)
        mine = [j for j in chosen if j // 3 == k]
        members = list(range(3 * k, 3 * k + 3))
        if rule.rule is CareRuleName.current:
            assert mine == members
        elif rule.rule is CareRuleName.one_per_network:
            assert len(mine) == 1
        elif rule.rule is CareRuleName.optimal_k and net in own:
            assert len(mine) == 2
        elif rule.rule is CareRuleName.volume_norm and net in own:
            limit = rule.norm or norm
            below = [j for j in mine if volume[j] < limit - 1e-6]
            assert mine, "a network never drops its last provider"
            assert not below or mine == below and len(mine) == 1, (mine, volume[mine], limit)
    assert chosen == sorted(set(chosen))
    assert volume[chosen].sum() == pytest.approx(problem.weight.sum())


def test_every_network_keeping_todays_providers_changes_nothing():
    problem, point_network = _problem(3, 80.0)
    own = {net: CareRule(rule=CareRuleName.current) for net in NETWORKS}
    chosen, _ = providers_per_network(
        problem,
        CareRule(rule=CareRuleName.volume_norm),
        own,
        _volumes_of(problem),
        point_network,
    )
    assert chosen == list(range(9))


def test_a_network_rule_naming_a_hospital_of_another_network_is_refused():
    problem, point_network = _problem(3, 80.0)
    own = {"A": CareRule(rule=CareRuleName.explicit, sites=["s4"])}
    with pytest.raises(ConfigError, match="care_per_network.A.x.sites='s4'.*network A"):
        providers_per_network(problem, CareRule(), own, _volumes_of(problem), point_network)


def _run(tmp_path, network, *extra):
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            "demand=municipality",
            f"network={network}",
            "sim.days=0",
            "report.figures=false",
            *extra,
        ]
    )
    return patientflow.run(cfg, tmp_path / network)


@pytest.mark.slow
def test_the_decide_example_applies_each_networks_choice(decide_example):
    r = decide_example
    prov = pd.read_csv(r.paths["care_providers"])

    def new(iv, net):
        p = prov[(prov["intervention"] == iv) & (prov["network"] == net)]
        return set(p.loc[p["provider_new"], "site_id"]), p

    assert new("pancreas_resection", "NOORDOOST")[0] == {"H107401", "H102902"}
    assert len(new("oesophagus_resection", "ONCONOVO")[0]) == 1
    ozon, _ = new("pancreas_resection", "ONCOZON")
    assert len(ozon) == 2 and "H100201" in ozon
    _, lung_west = new("lung_resection", "ROWEST")
    assert (lung_west["provider_new"] == lung_west["provider_current"]).all()
    assert (lung_west["volume_new"] < 60).any(), "RO West keeps providers below the norm"
    assert (lung_west["own_network_rule"] == "current").all()
    # Elsewhere the national norm holds for every remaining provider.
    rest = prov[(prov["intervention"] == "lung_resection") & (prov["network"] != "ROWEST")]
    assert (rest.loc[rest["provider_new"], "volume_new"] >= 60 - 1e-6).all()
    s = r.summary["care"]["lung_resection"]
    assert s["rules_per_network"] == {"ROWEST": {"rule": "current", "norm": 60.0}}


def test_unknown_network_and_a_site_of_another_network_are_named(tmp_path):
    with pytest.raises(ConfigErrors) as err:
        _run(
            tmp_path,
            "tranche1_2025",
            "+network.care_per_network={ONCOMID:{pancreas_resection:{rule:explicit,"
            "sites:[H107401]}},NOWHERE:{lung_resection:{rule:current}}}",
        )
    text = "\n".join(err.value.lines())
    assert "network.care_per_network.NOWHERE='NOWHERE': is not a cancer network (" in text
    assert "ONCOMID.pancreas_resection.sites[0]='H107401': lies in cancer network NOORDOOST" in text


@pytest.mark.slow
def test_vascular_interventions_are_decided_per_vascular_network(tmp_path):
    r = _run(
        tmp_path,
        "tranche1_2025",
        "+network.care_per_network={ZUIDWEST:{aaa_repair:{rule:one_per_network}}}",
        "+network.vascular_networks={ZUIDWEST:[H100501]}",
    )
    prov = pd.read_csv(r.paths["care_providers"])
    aaa = prov[prov["intervention"] == "aaa_repair"]
    zw = aaa[aaa["network"] == "ZUIDWEST"]
    assert zw["provider_new"].sum() == 1
    assert "H100501" in set(zw["site_id"]), "the network config moved Amphia Breda in"
    assert set(aaa["network"]) <= set(
        pd.read_csv(r.paths["care_impact_vascular"])["vascular_network"]
    )
    paired = pd.read_csv(r.paths["care_paired"])
    assert "ZUIDWEST" in set(paired.loc[paired["intervention"] == "aaa_repair", "region"])


def test_a_cancer_network_cannot_decide_a_vascular_intervention(tmp_path):
    with pytest.raises(ConfigErrors) as err:
        _run(
            tmp_path,
            "tranche1_2025",
            "+network.care_per_network={ONCOMID:{aaa_repair:{rule:current}},"
            "MIDDEN:{lung_resection:{rule:current}}}",
        )
    text = "\n".join(err.value.lines())
    assert "ONCOMID.aaa_repair='aaa_repair': is decided per vascular network" in text
    assert "MIDDEN.lung_resection='lung_resection': is decided per cancer network" in text


@pytest.mark.slow
def test_shared_care_for_an_unknown_network_is_named(tmp_path):
    with pytest.raises(ConfigError, match="network.shared_care_per_network.NOWHERE='NOWHERE'"):
        _run(tmp_path, "tranche1_2025", "+network.shared_care_per_network={NOWHERE:false}")


@pytest.mark.parametrize("field_name", ["sites", "keep_sites", "drop_sites"])
def test_a_site_listed_twice_in_a_rule_is_refused(field_name):
    from patientflow.config.care import check_care_config
    from patientflow.config.checks import check_config
    from patientflow.config.validate import Problems

    run = check_config(patientflow.compose(["sim=care", "region=nl", "network=current"]))
    rule = (
        CareRule(rule=CareRuleName.explicit, sites=["H100103"])
        if field_name == "sites"
        else CareRule(rule=CareRuleName.optimal_k, k=2)
    )
    setattr(rule, field_name, ["H100103", "H101801", "H100103"])
    with pytest.raises(
        ConfigError, match=rf"pancreas_resection.{field_name}\[2\]='H100103': is listed twice"
    ):
        problems = Problems()
        check_care_config(run.care, {"pancreas_resection": rule}, problems, {})
        problems.raise_if_any()


@pytest.mark.parametrize("own", [False, True])
def test_an_optimal_k_solve_without_a_choice_at_the_time_limit_is_an_error(monkeypatch, own):
    import math

    import patientflow.care.selection as selection
    from patientflow.care.optimise import PMedianResult

    message = "time limit of 1 s reached after 1 MILP solve(s) without a feasible choice"
    monkeypatch.setattr(
        selection,
        "p_median",
        lambda *a, **k: PMedianResult([], math.inf, 0.0, math.inf, "time_limit", message),
    )
    problem, point_network = _problem(3, 80.0)
    rule = CareRule(rule=CareRuleName.optimal_k, k=2, max_minutes=10.0, time_limit_s=1.0)
    key = "care_per_network.A.x" if own else "network.care.x"
    with pytest.raises(ConfigError, match=rf"{key}.time_limit_s=1.0: the solver stopped"):
        if own:
            providers_per_network(
                problem, CareRule(), {"A": rule}, _volumes_of(problem), point_network
            )
        else:
            selection.providers(problem, rule, _volumes_of(problem))
