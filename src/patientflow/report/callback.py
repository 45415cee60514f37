"""A Hydra callback that writes the sweep's report when a multirun ends. Hydra calls
`on_multirun_end` only when every job succeeded; after a failure run `patientflow-report` on the
sweep folder yourself (it lists failed jobs)."""

from __future__ import annotations

import logging
from pathlib import Path

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

log = logging.getLogger(__name__)


class SweepReport(Callback):
    """Report each finished job of a sweep, then aggregate the sweep folder into comparison
    tables and the impact report."""

    def __init__(self) -> None:
        self.done = 0

    def on_job_end(self, config: DictConfig, job_return=None, **kwargs) -> None:
        if config.hydra.mode is None or str(config.hydra.mode) != "RunMode.MULTIRUN":
            return
        self.done += 1
        status = getattr(getattr(job_return, "status", None), "name", "?")
        log.info(
            "sweep: job %s finished (%s); %d done in this process",
            config.hydra.job.num,
            status,
            self.done,
        )

    def on_multirun_end(self, config: DictConfig, **kwargs) -> None:
        from patientflow.report.cli import build_report

        root = Path(config.hydra.sweep.dir)
        result = build_report(root)
        log.info(
            "%d of %d jobs complete; report in %s",
            result["complete"],
            result["jobs"],
            result["report"],
        )
