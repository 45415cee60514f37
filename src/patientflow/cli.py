"""The `patientflow` command: a Hydra app that runs one job into a timestamped run folder."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, open_dict

from patientflow.config.hydra import conf_dir, register_configs
from patientflow.errors import PatientflowError

EXIT_USER_ERROR = 2
PARALLEL_LAUNCHERS = ("joblib", "submitit", "ray")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _task(cfg: DictConfig) -> None:
    from patientflow.runner import run

    hc = HydraConfig.get()
    out_dir = hc.runtime.output_dir
    if cfg.sim.skip_complete and (Path(out_dir) / "summary.json").is_file():
        print(f"{out_dir}: complete already, skipped (sim.skip_complete=false reruns it)")
        return
    if any(k in str(hc.launcher.get("_target_", "")) for k in PARALLEL_LAUNCHERS):
        with open_dict(cfg):
            cfg.sim.progress = False
    in_sweep = hc.mode == RunMode.MULTIRUN
    try:
        result = run(cfg, out_dir)
    except PatientflowError as err:
        _leave_error(out_dir, "\n".join(err.lines()))
        for line in err.lines():
            print(f"patientflow: error: {line}", file=sys.stderr)
        if in_sweep:  # the other jobs go on; patientflow-report lists this one as failed
            return
        sys.exit(EXIT_USER_ERROR)
    except Exception:
        _leave_error(out_dir, traceback.format_exc())
        if in_sweep:
            print(
                f"patientflow: job {out_dir} failed; the error is in its error.txt", file=sys.stderr
            )
            return
        raise
    print(headline(result.summary, out_dir))


def _leave_error(out_dir: str, text: str) -> None:
    """A failed job keeps its config (Hydra's .hydra/) and the error in its folder."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    (Path(out_dir) / "error.txt").write_text(text + "\n", encoding="utf-8")


def headline(summary: dict, out_dir: str) -> str:
    """The run's key numbers in a few lines, for the terminal."""
    ind = summary["indicators"]
    lines = [
        f"{summary['accessibility_area']} / {summary['network']}: "
        f"{ind['share_beyond_norm']:.2%} of {ind['population']:,} inhabitants beyond "
        f"{summary['norm_min']:g} minutes to a 24/7 SEH"
    ]
    acute = summary.get("acute")
    if acute:
        nat = acute["national"]

        def pct(key: str) -> str:
            return "n/a" if nat[key] is None else f"{nat[key]:.1%}"

        lines.append(
            f"{summary['region']} / scenario {acute['scenario']}, {acute['days']:g} days "
            f"({acute['arrivals']:,} "
            f"patients): A1 on scene within 15 min {pct('a1_share_on_scene_15min')}, SEH triage "
            f"within 10 min {pct('share_seh_triage_10min')}, urgent calls answered within 30 s "
            f"{pct('share_urgent_answered_30s')}"
        )
    lines.append(f"run folder {out_dir}")
    return "\n".join(lines)


def main() -> None:
    """Console entry point. BLAS threads are pinned to one (jobs run side by side in a sweep;
    our numpy work is not BLAS-bound) unless the user set them."""
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, "1")
    register_configs()
    hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")(_task)()


if __name__ == "__main__":
    main()
