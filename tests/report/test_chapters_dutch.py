"""The complex-care and regiobeeld chapters in Dutch (`report.lang=nl`): Dutch headings, no
English heading or sentence left, and the numbers of the English chapter of the same run (each
run writes its Dutch chapter and, from the same frames, the English one beside it)."""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import replace

import pytest

import patientflow
from patientflow.config.schema import ReportLanguage
from patientflow.report import care_chapter, regiobeeld_chapter

NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
NUMERIC_CELL = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%| pt| pp)?")
ENGLISH_WORDS = re.compile(
    r"\b(the|and|today|new|yes|patients|hospitals?|surgeons|inhabitants|share|change|"
    r"intervention|network|providers?|needed|year|within|from|more than)\b"
)


def _run_in_both_languages(tmp_path_factory, module, writer: str, overrides: list[str]):
    """A run with report.lang=nl whose chapter writer also writes the English chapter of the
    same frames to the run folder's en/; the Dutch and the English chapter's text."""
    original = getattr(module, writer)

    def both(*args):
        frames, summary, cfg, out, *rest = args
        path = original(*args)
        english = replace(cfg, report=replace(cfg.report, lang=ReportLanguage.en))
        (out / "en").mkdir()
        both.english = original(frames, summary, english, out / "en", *rest)
        return path

    cfg = patientflow.compose([*overrides, "report.figures=false", "report.lang=nl"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, writer, both)
        result = patientflow.run(cfg, tmp_path_factory.mktemp(writer) / "run")
    path = next(p for k, p in result.paths.items() if k.endswith("_chapter"))
    return path.read_text(encoding="utf-8"), both.english.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def care(tmp_path_factory):
    return _run_in_both_languages(
        tmp_path_factory,
        care_chapter,
        "write_care_chapter",
        ["sim=care", "region=nl", "demand=municipality", "network=tranche1_2025", "sim.days=0"],
    )


@pytest.fixture(scope="module")
def regiobeeld(tmp_path_factory):
    return _run_in_both_languages(
        tmp_path_factory,
        regiobeeld_chapter,
        "write_regiobeeld_chapter",
        [
            "sim=regiobeeld",
            "region.level=zorgkantoor",
            "region.codes=[ZK27]",
            "sim.days=1",
            "sim.warmup_days=0.25",
        ],
    )


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def _tables(text: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of cells (the separator row left out)."""
    tables, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            if not line.startswith("|---"):
                rows.append([c.strip() for c in line.strip("|").split(" | ")])
        elif rows:
            tables.append(rows)
            rows = []
    return tables


def _prose_numbers(text: str) -> Counter:
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("|"))
    return Counter(NUMBER.findall(prose))


def _same_numbers(dutch: str, english: str) -> None:
    """Every number of the English chapter is in the Dutch one: the numbers of the text as a
    whole, and each table's numeric cells in the same place (points are procentpunten)."""
    assert _prose_numbers(dutch) == _prose_numbers(english)
    nl_tables, en_tables = _tables(dutch), _tables(english)
    assert len(nl_tables) == len(en_tables) > 0
    compared = 0
    for nl_rows, en_rows in zip(nl_tables, en_tables, strict=True):
        assert [len(r) for r in nl_rows] == [len(r) for r in en_rows]
        for nl_row, en_row in zip(nl_rows, en_rows, strict=True):
            for nl_cell, en_cell in zip(nl_row, en_row, strict=True):
                if NUMERIC_CELL.fullmatch(en_cell):
                    assert nl_cell == en_cell.replace(" pt", " pp"), (en_row, nl_row)
                    compared += 1
    assert compared > 100


def _no_english_left(dutch: str, english: str) -> None:
    assert not set(_headings(dutch)) & set(_headings(english))
    prose = "\n".join(
        line for line in dutch.splitlines() if not line.startswith("|") and "`" not in line
    )
    assert not ENGLISH_WORDS.findall(prose), ENGLISH_WORDS.findall(prose)
    header_rows = [t[0] for t in _tables(dutch)]
    for header in header_rows:
        assert not ENGLISH_WORDS.findall(" ".join(header)), header


@pytest.mark.slow
def test_the_care_chapter_speaks_dutch(care):
    dutch, english = care
    assert dutch.startswith("# Gevolgen van `tranche1_2025` voor de complexe zorg")
    for section in ("## Patiënten", "## Zorgprofessionals", "## Aanbieders", "## Netwerken"):
        assert section in _headings(dutch)
    assert "## Aannames" in _headings(dutch)
    assert "patiënten per jaar gaan voor hun operatie naar een ander ziekenhuis" in dutch
    assert "| ingreep | patiënten per jaar | waarvan verplaatst |" in dutch
    assert "| pancreasresectie |" in dutch and "| oncologie |" in dutch
    assert "meegeleverde benadering" in dutch  # the runner's note on the embedded volumes
    _no_english_left(dutch, english)


@pytest.mark.slow
def test_the_care_chapter_has_the_numbers_of_the_english_one(care):
    dutch, english = care
    assert english.startswith("# Impact of `tranche1_2025` on complex care")
    _same_numbers(dutch, english)


@pytest.mark.slow
def test_the_regiobeeld_chapter_speaks_dutch(regiobeeld):
    dutch, english = regiobeeld
    assert dutch.startswith("# Regiobeeld Zeeland (ZK27): 2025 en 2035")
    for section in (
        "## Bevolking",
        "## Bereikbaarheid nu",
        "## Aanbieders en hun volumes",
        "## Acute zorgdruk, 2025 en 2035",
        "## Vraag en capaciteit in het zichtjaar",
        "## Werkwijze",
    ):
        assert section in _headings(dutch)
    assert "(Geen kaart: `report.figures=false`.)" in dutch
    assert "| kengetal | 2025 | 2035 | verandering |" in dutch
    assert "| 24/7-SEH | auto |" in dutch and "| longresectie |" in dutch
    _no_english_left(dutch, english)


@pytest.mark.slow
def test_the_regiobeeld_chapter_has_the_numbers_of_the_english_one(regiobeeld):
    dutch, english = regiobeeld
    assert english.startswith("# Regiobeeld Zeeland (ZK27): 2025 and 2035")
    _same_numbers(dutch, english)


@pytest.mark.parametrize("module", [care_chapter, regiobeeld_chapter])
def test_both_languages_fill_the_same_placeholders_the_same_way(module):
    """Each sentence has the same fields with the same format in English and Dutch, so a
    number reads the same in both."""

    def fields(text: str) -> list[tuple[str, str]]:
        return sorted((f, spec) for _, f, spec, _ in string.Formatter().parse(text) if f)

    for key, (en, nl) in module.WORDS.items():
        assert fields(en) == fields(nl), key
        assert nl.strip(), key
