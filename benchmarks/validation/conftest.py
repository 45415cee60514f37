"""The long validation runs share the fast suite's helpers (tests/validation): make the
repository root importable when pytest is started as `pytest benchmarks/validation` too."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
