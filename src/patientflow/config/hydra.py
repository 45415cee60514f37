"""Hydra's side of the configuration: where conf/ and experiments/ live, the schema and the
ready studies in Hydra's ConfigStore, and composing a configuration from Python."""

from __future__ import annotations

import copy
import functools
import hashlib
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from patientflow.config.schema import RunConfig

_PACKAGE = Path(__file__).resolve().parents[1]


def conf_dir() -> Path:
    """The conf/ folder: inside the installed package (wheel) or at the repository root."""
    for candidate in (_PACKAGE / "conf", _PACKAGE.parent.parent / "conf"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("patientflow's conf/ folder with config.yaml was not found")


def experiments_dir() -> Path | None:
    """The experiments/ folder (ready studies): inside the wheel or at the repository root."""
    for candidate in (_PACKAGE / "experiments", _PACKAGE.parent.parent / "experiments"):
        if candidate.is_dir():
            return candidate
    return None


def compose(overrides: list[str] | None = None) -> DictConfig:
    """The composed configuration, as `patientflow` would run it with these overrides. A
    process that composes the same overrides again over the same files gets a copy of the
    configuration it composed before (a copy costs a twentieth of Hydra's composition); the
    files of conf/ and experiments/ are compared by content, so an edit is composed anew.
    Plain value overrides (`sim.days=3`) are applied, as Hydra applies them after composing
    the groups, to a copy of the kept composition of the other overrides
    (`split_value_overrides`)."""
    register_configs()
    overrides = list(overrides or [])
    digest = _files_digest()
    split = split_value_overrides(overrides)
    if split is not None:
        rest, values = split
        cfg = copy.deepcopy(_composed(tuple(rest), digest))
        try:
            for key, value in values:
                OmegaConf.update(cfg, key, value, merge=True)
        except Exception:  # noqa: BLE001 - Hydra's own composition below says what is wrong
            pass
        else:
            return cfg
    return copy.deepcopy(_composed(tuple(overrides), digest))


def split_value_overrides(overrides: list[str]) -> tuple[list[str], list[tuple[str, Any]]] | None:
    """The overrides split into those Hydra must compose and the plain value overrides that
    can be applied afterwards, or None when there is nothing to split off or when applying
    them afterwards could differ from Hydra. Hydra composes the groups first and then applies
    the value overrides in order with `OmegaConf.update(cfg, key, value, merge=True)`; split
    off are only `dotted.key=value` changes outside `hydra.` that no other override's key
    contains or lies within (except a group's choice, which Hydra also composes first)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import OverrideType
    from hydra.errors import HydraException

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except HydraException:
        return None
    rest: list[str] = []
    values: list[tuple[str, Any]] = []
    others: list[str] = []
    for line, o in zip(overrides, parsed, strict=True):
        key = o.key_or_group
        plain = (
            o.type == OverrideType.CHANGE
            and o.package is None
            and not o.is_sweep_override()
            and "." in key
            and not key.startswith("hydra.")
        )
        if plain:
            values.append((key, o.value()))
            continue
        rest.append(line)
        # a group given a dict is a value override for Hydra too (`region={level: roaz}`)
        if not _is_group(key) or (not o.is_sweep_override() and isinstance(o.value(), dict)):
            others.append(key)
    if not values:
        return None
    for key, _ in values:
        for other in others:
            if key == other or key.startswith(other + ".") or other.startswith(key + "."):
                return None
    return rest, values


def _is_group(key: str) -> bool:
    """A config group of conf/ or of Hydra's store (`experiment`, `hydra/launcher`, ...)."""
    if "/" in key or "@" in key:
        return True
    return (conf_dir() / key).is_dir() or key in ConfigStore.instance().repo


@functools.lru_cache(maxsize=32)
def _composed(overrides: tuple[str, ...], files_digest: str) -> DictConfig:
    """Hydra's composition of the overrides over conf/ and experiments/ as `files_digest`
    finds them; a process keeps its last 32."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=list(overrides))


def _files_digest() -> str:
    """A digest of every YAML file of conf/ and experiments/, names and bytes."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in (conf_dir(), experiments_dir()):
        if folder is None:
            continue
        for path in sorted(folder.rglob("*.yaml")):
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_REGISTERED: dict[str, object] = {}


def register_configs() -> None:
    """Put the schema in Hydra's ConfigStore (idempotent; config.yaml lists it first), and the
    studies of experiments/ as the `experiment` group (`+experiment=NAME`). Done once per
    process, and again only when an experiment file is added or edited (a removed one stays in
    the store until the process ends; Hydra copies what it loads from the store, so a stored
    node is never changed by a composition)."""
    folder = experiments_dir()
    paths = sorted(folder.glob("*.yaml")) if folder else []
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    cs = ConfigStore.instance()
    if _REGISTERED.get("stamp") == stamp and _REGISTERED.get("store") is cs:
        return
    cs.store(name="run_schema", node=RunConfig)
    for path in paths:
        cs.store(group="experiment", name=path.stem, node=OmegaConf.load(path), package="_global_")
    _REGISTERED.update(stamp=stamp, store=cs)
