"""A Hydra callback for sweeps: a progress bar of the jobs, and the sweep's report when the
multirun ends. A job that fails leaves its error in its folder and the sweep goes on (cli.py);
at the end the report lists it and the sweep exits 1, as it does when the report cannot be
built (Hydra would only warn of an error in a callback). Should Hydra itself stop (a launcher
error), `on_multirun_end` is not reached: run `patientflow-report` on the sweep folder."""

from __future__ import annotations

import logging
import math
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

if TYPE_CHECKING:
    from hydra.core.utils import JobReturn
    from tqdm import tqdm

log = logging.getLogger(__name__)


def sweep_size(config: DictConfig) -> int | None:
    """Number of jobs of a basic sweep: the product of the sweep lists of hydra.sweeper.params
    and the command line, each key counted once with its last value, as Hydra's basic sweeper
    takes them (the command line after the params: `key=0.3` pins a key the params sweep);
    None when the sweep syntax is not one we can count."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params = config.hydra.sweeper.get("params") or {}
    items = [f"{k}={v}" for k, v in params.items()]
    items += list(config.hydra.overrides.task)
    try:
        sizes: dict[str, int] = {}
        for o in OverridesParser.create().parse_overrides(items):
            swept = o.is_sweep_override()
            sizes[o.get_key_element()] = len(list(o.sweep_string_iterator())) if swept else 1
    except Exception:  # noqa: BLE001 - an exotic sweep: the bar counts without a total
        return None
    return math.prod(sizes.values())


class SweepReport(Callback):
    """Progress of the sweep's jobs in the launching process (serial sweeps; parallel workers
    stay quiet), then the sweep folder aggregated into tables and the impact report."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.started = 0.0

    def __getstate__(self) -> dict:
        """Parallel launchers pickle the callbacks into their workers: the bar stays home."""
        return {**self.__dict__, "bar": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from tqdm import tqdm

        self.started = time.time()
        self.bar = tqdm(total=sweep_size(config), unit="job", desc="sweep")

    def on_job_end(
        self, config: DictConfig, job_return: JobReturn | None = None, **kwargs: Any
    ) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Aggregate what succeeded, then fail the sweep (exit 1) when any of its jobs failed
        or refused to relabel old results: a sweep with a failed job is not a success."""
        from patientflow.report.cli import build_report

        if self.bar is not None:
            self.bar.close()
        root = Path(config.hydra.sweep.dir)
        try:
            result = build_report(root)
        except Exception as err:  # noqa: BLE001 - Hydra would only warn and exit 0
            print(
                f"patientflow: the sweep's jobs ran, but its report could not be built "
                f"({type(err).__name__}: {err}). The job folders under {root} are kept; "
                f"`patientflow-report {root}` builds the report again.",
                file=sys.stderr,
            )
            raise SystemExit(1) from err
        log.info(
            "%d of %d jobs complete; report in %s",
            result["complete"],
            result["jobs"],
            result["report"],
        )
        failed = failed_jobs(root, self.started)
        if failed:
            print(
                f"patientflow: {len(failed)} job(s) of this sweep failed: "
                + ", ".join(failed)
                + " (see error.txt or refused.txt in each; the report lists them)",
                file=sys.stderr,
            )
            raise SystemExit(1)


def failed_jobs(root: Path, since: float) -> list[str]:
    """Job folders under `root` that failed (error.txt) or refused (refused.txt) since `since`."""
    out = []
    for marker in ("error.txt", "refused.txt"):
        for path in root.glob(f"*/{marker}"):
            if path.stat().st_mtime >= since - 1.0:
                out.append(path.parent.name)
    return sorted(set(out), key=lambda n: (len(n), n))
