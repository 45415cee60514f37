"""docs/complex-care.md counts and names the impact tables a care run writes."""

from __future__ import annotations

import re
from pathlib import Path

from patientflow.care.job import IMPACT_TABLES

DOC = Path(__file__).parents[2] / "docs" / "complex-care.md"
WORDS = {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def test_the_impact_section_counts_and_names_every_impact_table():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    count = re.search(r"Every care run answers with (\w+) tables", text)
    assert count, "the Impact section's count of tables"
    assert WORDS.get(count.group(1)) == len(IMPACT_TABLES), (count.group(1), sorted(IMPACT_TABLES))
    missing = [name for name in IMPACT_TABLES if f"`{name}.csv`" not in text]
    assert not missing, missing
