"""The `patientflow` command: a Hydra app that runs one job into a timestamped run folder."""

from __future__ import annotations

import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from patientflow.app import conf_dir
from patientflow.config import register_configs
from patientflow.errors import PatientflowError

EXIT_USER_ERROR = 2


def _task(cfg: DictConfig) -> None:
    from patientflow.runner import run

    out_dir = HydraConfig.get().runtime.output_dir
    try:
        result = run(cfg, out_dir)
    except PatientflowError as err:
        for line in err.lines():
            print(f"patientflow: error: {line}", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
    ind = result.summary["indicators"]
    print(
        f"{result.summary['region']} / {result.summary['network']}: "
        f"{ind['share_beyond_norm']:.2%} of {ind['population']:,} inhabitants beyond "
        f"{result.summary['norm_min']:g} minutes to a 24/7 SEH; run folder {out_dir}"
    )


def main() -> None:
    """Console entry point."""
    register_configs()
    hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")(_task)()


if __name__ == "__main__":
    main()
