"""Where the Hydra configs live, and composing them from Python."""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig

from patientflow.config import register_configs


def conf_dir() -> Path:
    """The conf/ folder: inside the installed package (wheel) or at the repository root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "conf", here.parent.parent / "conf"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("patientflow's conf/ folder with config.yaml was not found")


def experiments_dir() -> Path | None:
    """The experiments/ folder (ready studies): inside the wheel or at the repository root."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "experiments", here.parent.parent / "experiments"):
        if candidate.is_dir():
            return candidate
    return None


def compose(overrides: list[str] | None = None) -> DictConfig:
    """The composed configuration, as `patientflow` would run it with these overrides."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_configs()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=list(overrides or []))
