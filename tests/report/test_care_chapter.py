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
    text = say("patients_headline", moved=10, extra=1.7, p90=51, threshold=60, far_now=1, far_new=2)
    assert len(re.findall(one_way, text)) == 2


@pytest.mark.slow
def test_a_regional_chapter_says_its_hospitals_volumes_are_the_regions_patients(tmp_path):
    """In a run of one region every hospital's volume is its patients from that region: the
    Limburg run counted 650 surgeons needed for 1,069 patients (teams of 2 and rotas of 6 at
    the 61 hospitals that receive a fraction of one), and called its study area national."""
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=limburg",
            "network=current",
            "demand=municipality",
            "sim.days=0",
            "report.figures=false",
        ]
    )
    text = patientflow.run(cfg, tmp_path / "run").paths["care_impact_chapter"].read_text("utf-8")
    assert "The study area is one region" in text and "(region=nl)" in text
    assert "nationally" not in text
