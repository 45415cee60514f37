"""A Hydra callback for sweeps: a progress bar of the jobs, and the sweep's report when the
multirun ends. Hydra calls `on_multirun_end` only when every job succeeded; after a failure run
`patientflow-report` on the sweep folder yourself (it lists failed jobs)."""

from __future__ import annotations

import logging
from pathlib import Path

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

log = logging.getLogger(__name__)


def sweep_size(config: DictConfig) -> int | None:
    """Number of jobs of a basic sweep: the product of the sweep lists on the command line and
    in hydra.sweeper.params; None when the sweep syntax is not one we can count."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    items = list(config.hydra.overrides.task)
    params = config.hydra.sweeper.get("params") or {}
    items += [f"{k}={v}" for k, v in params.items()]
    try:
        parsed = OverridesParser.create().parse_overrides(items)
        total = 1
        for o in parsed:
            if o.is_sweep_override():
                total *= len(list(o.sweep_string_iterator()))
    except Exception:  # noqa: BLE001 - an exotic sweep: the bar counts without a total
        return None
    return total


class SweepReport(Callback):
    """Progress of the sweep's jobs in the launching process (serial sweeps; parallel workers
    stay quiet), then the sweep folder aggregated into tables and the impact report."""

    def __init__(self) -> None:
        self.bar = None

    def __getstate__(self) -> dict:
        """Parallel launchers pickle the callbacks into their workers: the bar stays home."""
        return {**self.__dict__, "bar": None}

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=sweep_size(config), unit="job", desc="sweep")

    def on_job_end(self, config: DictConfig, job_return=None, **kwargs) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        from patientflow.report.cli import build_report

        if self.bar is not None:
            self.bar.close()
        result = build_report(Path(config.hydra.sweep.dir))
        log.info(
            "%d of %d jobs complete; report in %s",
            result["complete"],
            result["jobs"],
            result["report"],
        )
