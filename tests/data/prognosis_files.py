"""A user's prognosis file for the tests: one row per (municipality, year, population, 65+
share), written as the CSV `demand.prognosis_file` reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUMNS = ["municipality_code", "year", "population", "share_65plus"]


def prognosis_file(path: Path, *rows: tuple[str, int, float, float]) -> Path:
    """Write the rows to `path` and return it."""
    pd.DataFrame(list(rows), columns=COLUMNS).to_csv(path, index=False)
    return path
