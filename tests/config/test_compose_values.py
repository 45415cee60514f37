"""`compose` applies plain value overrides to a kept composition of the rest: the result must
be Hydra's own composition, node for node, and a bad value must fail as Hydra fails."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf import DictConfig, ListConfig, OmegaConf

import patientflow
from patientflow.config import hydra as pf_hydra


def _hydras_own(overrides: list[str]) -> DictConfig:
    pf_hydra.register_configs()
    return copy.deepcopy(pf_hydra._composed(tuple(overrides), pf_hydra._files_digest()))


def _nodes(cfg, path: str = "") -> list[tuple]:
    """Every node: its path, node class, object type, flags and, for values, the value."""
    out = [
        (
            path,
            type(cfg).__name__,
            OmegaConf.get_type(cfg),
            cfg._get_flag("struct"),
            cfg._get_flag("readonly"),
        )
    ]
    keys = range(len(cfg)) if isinstance(cfg, ListConfig) else cfg.keys()
    for key in keys:
        node = cfg._get_node(key)
        where = f"{path}.{key}"
        if isinstance(node, DictConfig | ListConfig):
            out += _nodes(node, where)
        else:
            out.append((where, type(node).__name__, node._value()))
    return out


def _same_as_hydra(overrides: list[str]) -> None:
    try:
        expected = _hydras_own(overrides)
    except Exception as err:  # noqa: BLE001 - the fast path must fail alike
        with pytest.raises(type(err)) as got:
            patientflow.compose(overrides)
        assert str(got.value) == str(err)
        return
    assert _nodes(patientflow.compose(overrides)) == _nodes(expected)


@pytest.mark.parametrize(
    "overrides",
    [
        ["sim.days=3"],
        ["sim.days=3", "sim.days=4"],
        ["region=nl", "sim.days=2.5", "sim.warmup_days=0.25"],
        ["sim.days=2", "region=nl"],  # a group after a value: Hydra composes groups first
        ["sim=care", "region=nl", "demand=municipality", "network=tranche1_2025", "sim.days=0"],
        ["network.closed_sites=[H100101,H100102]"],
        ["region.level=roaz", "region.codes=[ROAZ01]"],
        ["region=nl", "region.codes=[ROAZ01]"],
        ["scenario.zcc.enabled=true", "scenario=zcc_2025"],
        ["+experiment=seh_sensitivity_acute", "sim.days=1"],
        ["debug=fast", "sim.days=2"],
        ["facilities.seh.stop_queue=null"],
        ["report.norm_min=45", "report.figures=false"],
        ["sim.days=${sim.warmup_days}"],
        ["sim.dayz=3"],  # an unknown key: Hydra's error
        ["sim.days=three"],  # a wrong type: Hydra's error
        ["+sim.hours=7", "sim.days=2"],  # an added key beside a value
        ["sim={days: 2}", "sim.days=3"],  # a group given a dict, then a key within it
        ["sim.days=3", "sim={days: 2}"],  # ... and the other way round: the dict wins
        ["~report.norm_min", "report.norm_min=30"],
    ],
)
@pytest.mark.slow
def test_value_overrides_compose_exactly_as_hydra_composes_them(overrides):
    _same_as_hydra(overrides)


def _leaves(cfg, path: str = "") -> list[tuple[str, object]]:
    out = []
    for key in cfg.keys():
        node = cfg._get_node(key)
        where = f"{path}.{key}" if path else str(key)
        if isinstance(node, DictConfig):
            out += _leaves(node, where)
        elif not isinstance(node, ListConfig) and not node._is_interpolation():
            out.append((where, node._value()))
    return out


VALUES = st.one_of(
    st.integers(-3, 400).map(str),
    st.floats(-2, 500, allow_nan=False).map(lambda x: f"{x:.3f}"),
    st.sampled_from(["true", "false", "null", "abc", "'1'", "[1,2]"]),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), region=st.sampled_from([[], ["region=nl"], ["sim=care"]]))
@pytest.mark.slow
def test_any_leaf_set_to_any_value_composes_as_hydra_composes_it(data, region):
    leaves = _leaves(patientflow.compose([]))
    changes = data.draw(
        st.lists(st.tuples(st.sampled_from(leaves), VALUES), min_size=1, max_size=3)
    )
    _same_as_hydra([*region, *(f"{key}={value}" for (key, _), value in changes)])


def test_a_value_override_reuses_the_composition_of_the_rest():
    patientflow.compose(["region=nl"])
    before = pf_hydra._composed.cache_info()
    a = patientflow.compose(["region=nl", "sim.days=3.5"])
    b = patientflow.compose(["sim.days=4.5", "region=nl"])
    after = pf_hydra._composed.cache_info()
    assert after.misses == before.misses  # no composition by Hydra for either
    assert (a.sim.days, b.sim.days, a.region.level) == (3.5, 4.5, b.region.level)
