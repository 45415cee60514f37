"""The data README's "this build" figures are those of the shipped tables, so a rebuild that
changes a table cannot leave the README describing the previous one."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from patientflow.data.schema import TABLES
from tests.conftest import REPO

README = REPO / "src/patientflow/data/README.md"
# The README's short names of the sites it quotes.
SHORT = {
    "H101305": "Alrijne Leiderdorp",
    "H101801": "Erasmus MC",
    "H102401": "HagaZiekenhuis Leyweg",
    "H102801": "Ikazia",
    "H103401": "Martini",
    "H103903": "Maasstad",
    "H107501": "Radboudumc",
    "H107601": "UMC Utrecht",
    "H102902": "Isala Zwolle",
    "H103701": "Noordwest Alkmaar",
    "H103802": "HMC Westeinde",
    "H104002": "MST",
    "H107304": "ETZ Elisabeth",
    "H107805": "Franciscus Gasthuis",
    "H108301": "Zaans MC",
}


@pytest.fixture(scope="module")
def text() -> str:
    return " ".join(README.read_text(encoding="utf-8").split())


def spread(values: pd.Series) -> str:
    """'<total> over <n> sites, <min>-<max>, median <median>', as the capacity table has it."""
    v = values.astype(int)
    return f"{v.sum():,} over {len(v)} sites, {v.min():,}-{v.max():,}, median {int(v.median())}"


def sentence(text: str, start: str) -> str:
    """The README text from `start` to the next full stop after it."""
    return text.split(start, 1)[1].split(".", 1)[0]


def test_capacity_table_quotes_the_shipped_sites(dataset, text):
    s = dataset.sites
    open_ = s[s["status_2025"] == "open"]
    assert spread(open_["beds"]) in text
    assert spread(s.loc[s["icu_beds"] > 0, "icu_beds"]) in text
    assert spread(s.loc[s["seh"] == 1, "seh_bays"]) in text
    assert f"minimum 2 per open site | {s['operating_rooms'].sum():,} |" in text
    assert f"Smallest: Zorgsaam Oostburg {open_['beds'].min()} beds" in text


def test_the_gp_posts_paragraph_names_the_dropped_seh_sites(dataset, text):
    s = dataset.sites
    dropped = set(s.loc[s["seh"] == 1, "site_id"]) - set(dataset.gp_posts["site_id"])
    named = sentence(text, "This build dropped the SEH sites")
    assert {i for i, n in SHORT.items() if n in named} == dropped


def test_the_zwolle_zcc_host_is_the_shipped_one(dataset, text):
    z = dataset.zcc_options
    host = z.loc[(z["level"] == "roaz") & (z["region_code"] == "ZWOLLE"), "site_id"].item()
    assert f"ZWOLLE {dataset.sites.set_index('site_id').loc[host, 'name']}." in text


def test_the_complex_care_paragraphs_quote_the_shipped_providers(dataset, text):
    si, umc = dataset.site_interventions, dataset.sites.set_index("site_id")["umc"]
    assert f"{si['site_id'].nunique()} distinct provider sites" in text
    hn = set(si.loc[si["intervention"] == "head_neck_surgery", "site_id"])
    partners = {i for i in hn if umc[i] == 0}
    named = sentence(text, "| head-neck providers | 8 centres + 6 partners |")
    assert {i for i, n in SHORT.items() if n in named} == partners


def test_the_readme_counts_and_names_every_table():
    """The table count and the names `data.tables.<name>` takes are the schema's tables."""
    text = README.read_text(encoding="utf-8")
    words = {11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen"}
    assert f"The {words[len(TABLES)]} CSV tables in `nl/`" in text
    assert len(list((REPO / "src/patientflow/data/nl").glob("*.csv"))) == len(TABLES)
    names = " ".join(text.split()).split("`data.tables.ambulance_posts=real_posts.csv` (names:")[1]
    assert set(re.findall(r"`(\w+)`", names.split(")", 1)[0])) == {t.name for t in TABLES}
