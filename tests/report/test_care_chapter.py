"""The impact chapter's words say what its numbers count (units, sessions, where the patients
live), in English and Dutch."""

from __future__ import annotations

import re

import pytest

import patientflow
from patientflow.report.care_chapter import assumptions
from patientflow.report.care_words import WORDS
from patientflow.report.chapter_words import chapter_words
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


@pytest.mark.parametrize("lang, one_way", [("en", r"one.way"), ("nl", r"enkele reis")])
def test_the_patients_headline_says_its_minutes_are_one_way(lang, one_way):
    """Extra minutes per pathway are one-way car minutes summed over the visits (the table
    says so); the headline called them the pathway's travel ("reistijd per zorgpad"), which a
    reader doubles for the way home."""
    say = chapter_words(WORDS, labels_of(lang))
    text = say(
        "patients_headline", moved=10, extra=1.7, p90=51, threshold=60, far_now=1, far_new=2
    )
    assert len(re.findall(one_way, text)) == 2
