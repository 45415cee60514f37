"""Files that are complete or absent: every output is written under a hidden temporary name in
its folder and renamed into place when whole, so an interrupted run never leaves half a file
under a final name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


def part_path(path: Path) -> Path:
    """The temporary name of `path` while it is written (same folder, same suffix)."""
    path = Path(path)
    return path.with_name(f".{path.stem}.part{path.suffix}")


@contextmanager
def written(path: Path) -> Iterator[Path]:
    """Yield the temporary path to write; rename it to `path` only when the block succeeds."""
    path = Path(path)
    tmp = part_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_frame(df: pd.DataFrame, path: Path) -> Path:
    """A table as parquet or CSV (by its suffix), complete or absent."""
    with written(path) as tmp:
        if Path(path).suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            df.to_csv(tmp, index=False, lineterminator="\n")
    return Path(path)


def write_text(path: Path, text: str) -> Path:
    """A text file, complete or absent."""
    with written(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
