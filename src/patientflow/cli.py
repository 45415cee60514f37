"""The `patientflow` command: a Hydra app that runs one job into a timestamped run folder."""

from __future__ import annotations

import atexit
import json
import logging
import multiprocessing
import os
import sys
import threading
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, open_dict

from patientflow.config.checks import check_config
from patientflow.config.debug import apply_fast
from patientflow.config.hydra import conf_dir, register_configs
from patientflow.errors import PatientflowError
from patientflow.version import __version__, code_identity

EXIT_USER_ERROR = 2
PARALLEL_LAUNCHERS = ("joblib", "submitit", "ray")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


_STATE = {"task_started": False}


def _task(cfg: DictConfig) -> None:
    _STATE["task_started"] = True
    print("patientflow: loading the data and building the run", flush=True)
    hc = HydraConfig.get()
    out_dir = hc.runtime.output_dir
    overrides = [str(o) for o in hc.overrides.task]
    in_sweep = hc.mode == RunMode.MULTIRUN
    fast = apply_fast(cfg)  # before the check: a complete run recorded the shrunk config
    if cfg.sim.skip_complete:
        earlier = previous_run(Path(out_dir))
        planned = _planned(cfg) if earlier is not None else None
        # planned is None without an earlier run, or when the config is wrong (the run says so)
        if earlier is not None and planned is not None:
            why = differs(earlier, overrides, code_identity(), *planned)
            if not why:
                Path(out_dir, "refused.txt").unlink(missing_ok=True)
                print(f"{out_dir}: complete already, skipped (sim.skip_complete=false reruns it)")
                return
            _refuse(out_dir, why, in_sweep)
            return
    if any(k in str(hc.launcher.get("_target_", "")) for k in PARALLEL_LAUNCHERS):
        with open_dict(cfg):
            cfg.sim.progress = False
    for line in fast:
        print(f"debug=fast: {line}")
    for stale in ("error.txt", "refused.txt"):
        Path(out_dir, stale).unlink(missing_ok=True)
    try:
        check_config(cfg)  # a configuration error is told before the runner's second of imports
        from patientflow.runner import run

        result = run(cfg, out_dir, overrides=overrides)
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


def previous_run(folder: Path) -> dict | None:
    """The summary of a complete run in this folder, or None (absent or unreadable)."""
    path = folder / "summary.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def _planned(cfg: DictConfig) -> tuple[dict, str] | None:
    """The data files' checksums and the config digest this job would record; None when its
    config is invalid."""
    from patientflow.data.checksums import planned_data_checksums
    from patientflow.runner import as_run_config, config_digest

    try:
        run = as_run_config(cfg)[0]
    except PatientflowError:
        return None
    return planned_data_checksums(run), config_digest(run)


def differs(
    summary: dict,
    overrides: list[str],
    code: dict,
    data_checksums: dict | None = None,
    config: str | None = None,
) -> str:
    """Why a complete run's results may not stand for this job ("" when they may): other
    overrides, another version of the code, other data files (when `data_checksums`, the
    files this job would read, are given), or another configuration or source (when `config`,
    this job's `config_digest`, is given)."""
    ran = summary.get("overrides")
    if ran is None:
        return "it does not record the overrides it ran with (an older patientflow)"
    if sorted(ran) != sorted(overrides):
        return f"it ran with overrides {sorted(ran)}, this job has {sorted(overrides)}"
    if summary.get("code") != code:
        return f"it ran with code {summary.get('code')}, this is {code}"
    if data_checksums is not None:
        ran = summary.get("data_checksums")
        if ran is None:
            return "it does not record the checksums of the data it read"
        changed = sorted(
            k for k in set(ran) | set(data_checksums) if ran.get(k) != data_checksums.get(k)
        )
        if changed:
            return f"its data files differ from this job's: {', '.join(changed)}"
    if config is not None:
        ran = summary.get("config_digest")
        if ran is None:
            return "it does not record the digest of its configuration (an older patientflow)"
        if ran != config:
            return (
                "it ran with another configuration or source code under the same overrides "
                "(a config file or the code edited since, or another config name or path)"
            )
    return ""


def _refuse(out_dir: str, why: str, in_sweep: bool) -> None:
    """Never let old results stand for a job they did not run: keep them, say why, fail."""
    message = (
        f"{out_dir} holds a complete run whose results would be relabelled: {why}. "
        "Run into a new folder (hydra.sweep.dir=... or hydra.run.dir=...), or set "
        "sim.skip_complete=false to overwrite it."
    )
    Path(out_dir, "refused.txt").write_text(message + "\n", encoding="utf-8")
    print(f"patientflow: error: {message}", file=sys.stderr)
    if not in_sweep:
        sys.exit(EXIT_USER_ERROR)


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
        f"{summary['norm_min']:g} minutes to a 24/7 SEH "
        f"({ind['population_beyond_norm_municipal']:,} by whole municipalities)"
    ]
    acute = summary.get("acute")
    if acute:
        nat = acute["national"]

        def pct(key: str) -> str:
            return "n/a" if nat[key] is None else f"{nat[key]:.1%}"

        lines.append(
            f"{summary.get('region_title', summary['region'])} / scenario {acute['scenario']}, "
            f"{acute['days']:g} day{'' if acute['days'] == 1 else 's'} "
            f"({acute['arrivals']:,} "
            f"patients): A1 on scene within 15 min {pct('a1_share_on_scene_15min')}, SEH triage "
            f"within 10 min {pct('share_seh_triage_10min')}, urgent calls answered within 30 s "
            f"{pct('share_urgent_answered_30s')}"
        )
    lines.append(f"run folder {out_dir}")
    return "\n".join(lines)


def main() -> None:
    """Console entry point. BLAS threads are pinned to one (jobs run side by side in a sweep;
    our numpy work is not BLAS-bound) unless the user set them. Every configuration error
    exits 2, Hydra's own (an unknown key, a bad override) included; a failure inside a job
    that is not the user's exits 1."""
    if any(a in ("--version", "-V") for a in sys.argv[1:]):
        print(f"patientflow {__version__}")
        return
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, "1")
    register_configs()
    app = hydra.main(config_path=str(conf_dir()), config_name="config", version_base="1.3")
    try:
        app(_task)()
    except SystemExit as stop:
        if stop.code == 1 and not _STATE["task_started"]:
            sys.exit(EXIT_USER_ERROR)
        raise


def entry() -> None:
    """The `patientflow` command and `python -m patientflow`: main(), then an exit that skips
    tearing down the interpreter's ~1,500 modules and ~180,000 objects (half a second that
    buys nothing once the run's files are closed): exit handlers run, logs and output are
    flushed first. A process that is not alone (a parallel sweep leaves the launcher's
    workers and their manager thread, whose shutdown runs only in a normal exit) exits the
    normal way. Tests call main() and keep their interpreter."""
    code: object = 0
    try:
        main()
    except SystemExit as stop:
        code = 0 if stop.code is None else stop.code
    if threading.active_count() > 1 or multiprocessing.active_children():
        raise SystemExit(code)
    if not isinstance(code, int):  # sys.exit("message"): print it as Python would
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
