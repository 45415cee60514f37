"""patientflow: simulate patient flows through the Dutch care landscape.

`compose(overrides)` gives the configuration the `patientflow` command would use;
`run(cfg, out_dir)` does what the command does and returns a RunResult.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patientflow.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from omegaconf import DictConfig

    from patientflow.config.schema import RunConfig
    from patientflow.runner import RunResult

__all__ = ["__version__", "compose", "run"]


def compose(overrides: list[str] | None = None) -> DictConfig:
    """The composed configuration (an OmegaConf DictConfig) for these Hydra overrides."""
    from patientflow.config.hydra import compose as _compose

    return _compose(overrides)


def run(cfg: DictConfig | RunConfig, out_dir: str | Path) -> RunResult:
    """Run the configured job into out_dir; returns a RunResult (summary, table paths)."""
    from patientflow.runner import run as _run

    return _run(cfg, out_dir)
