"""The impact chapter's words say what its numbers count (units, sessions, where the patients
live), in English and Dutch."""

from __future__ import annotations

import pytest

import patientflow
from patientflow.report.care_chapter import assumptions
from patientflow.report.care_words import WORDS
from patientflow.report.labels import labels_of


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_operating_sessions_are_named_with_their_length(lang):
    """The sessions a week are volume x minutes / care.session_minutes (480: a whole day); the
    Dutch chapter called them OK-dagdelen (half days), twice as many as it counted."""
    cfg = patientflow.compose(["sim=care", "care.session_minutes=480"])
    lines = assumptions(cfg, labels_of(lang))
    assert any("480" in line and "care.session_minutes" in line for line in lines)
    dutch = " ".join(nl for _, nl in WORDS.values())
    assert "dagde" not in dutch.lower()
