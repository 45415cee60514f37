"""The shipped tables are exactly what scripts/build_dataset.py derives from the public sources."""

from __future__ import annotations

import pandas as pd
import pytest

from patientflow.data import default_data_dir
from tests.conftest import build_script, shared_sources

SOURCES = shared_sources()


@pytest.mark.slow  # the whole dataset rebuilt from the raw sources: half a minute
@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"raw sources not found at {SOURCES}")
def test_rebuild_equals_the_shipped_tables(tmp_path):
    build_script().build(SOURCES, tmp_path)
    shipped = sorted(p.name for p in default_data_dir().glob("*.csv"))
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == shipped
    for name in shipped:
        new = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        old = pd.read_csv(default_data_dir() / name, dtype=str, keep_default_na=False)
        assert list(new.columns) == list(old.columns), name
        assert len(new) == len(old), name
        for col in new.columns:
            _assert_column_equal(new[col], old[col], f"{name}:{col}")
    boundaries = "municipal_boundaries.geojson"
    assert (tmp_path / boundaries).read_bytes() == (default_data_dir() / boundaries).read_bytes()


def _assert_column_equal(new: pd.Series, old: pd.Series, what: str) -> None:
    """Text exactly; numbers to 1e-6 relative, so another numpy's last digit does not fail it."""
    n_new, n_old = pd.to_numeric(new, errors="coerce"), pd.to_numeric(old, errors="coerce")
    numeric = n_new.notna() & n_old.notna()
    pd.testing.assert_series_equal(new[~numeric], old[~numeric], obj=what)
    pd.testing.assert_series_equal(n_new[numeric], n_old[numeric], rtol=1e-6, obj=what)
