"""Hydra's basic sweeper, whose check of every job's composition before launching is quicker.

Hydra composes each job of a batch once in the launching process, to stop a sweep with a bad
job before any job runs (`validate_batch_is_legal`), and again in the job itself. For the SEH
sensitivity study that is 77 compositions of some 0.2 s each in one process before the first
job starts. Jobs that differ only in plain values (`network.closed_sites=[H100101]`) share
their composition: it is made once per combination of the other overrides, and each job's
values are applied to a copy as Hydra applies them after composing the groups
(`patientflow.config.hydra.split_value_overrides`, held equal to Hydra's composition by
tests/config/test_compose_values.py). A job whose values do not apply is composed by Hydra,
so a bad job still stops the sweep with Hydra's own error.

No `from __future__ import annotations` here: Hydra loads plugin modules without registering
them in sys.modules, and a dataclass with string annotations then cannot be built; and
Optional, as OmegaConf 2.3 reads it."""

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf


@dataclass
class PatientflowSweeperConf:
    _target_: str = "hydra_plugins.patientflow_sweeper.sweeper.PatientflowSweeper"
    max_batch_size: Optional[int] = None  # noqa: UP045 - OmegaConf 2.3 reads Optional
    params: Optional[dict[str, str]] = None  # noqa: UP045


ConfigStore.instance().store(
    group="hydra/sweeper", name="patientflow", node=PatientflowSweeperConf, provider="patientflow"
)


class PatientflowSweeper(BasicSweeper):
    """Hydra's basic sweeper (the same jobs, in the same order and batches); only the check
    of a batch's compositions shares the composition of jobs that differ in values alone."""

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        from patientflow.config.hydra import split_value_overrides

        loader = self.hydra_context.config_loader if self.hydra_context else self.config_loader
        assert loader is not None and self.config is not None
        shared: dict[tuple[str, ...], DictConfig] = {}

        def compose(overrides: list[str]) -> DictConfig:
            return loader.load_sweep_config(master_config=self.config, sweep_overrides=overrides)

        for job in batch:
            overrides = list(job)
            split = split_value_overrides(overrides)
            if split is None:
                compose(overrides)
                continue
            rest, values = split
            key = tuple(rest)
            if key not in shared:
                shared[key] = compose(rest)
            if not _values_apply(shared[key], values):
                compose(overrides)  # Hydra's own error for this job


def _values_apply(cfg: DictConfig, values: list[tuple[str, Any]]) -> bool:
    """Whether the job's value overrides apply to a copy of its shared composition."""
    job = copy.deepcopy(cfg)
    try:
        for key, value in values:
            OmegaConf.update(job, key, value, merge=True)
    except Exception:  # noqa: BLE001 - Hydra's composition of the job says what is wrong
        return False
    return True
