"""A user's per-hospital volumes plug in: hospitals by site id or name; every row that does not
fit is one message naming file, row and the candidates (exit 2); the run uses the volumes."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import patientflow
from patientflow.data import load_dataset
from patientflow.data.volumes import load_volumes, normalised
from patientflow.errors import DataError


def _write(tmp_path, rows):
    path = tmp_path / "volumes.csv"
    pd.DataFrame(rows, columns=["hospital", "intervention", "year", "volume"]).to_csv(
        path, index=False
    )
    return path


def test_hospitals_by_id_and_by_name_replace_the_interventions_in_the_file(tmp_path, dataset):
    site = dataset.sites.iloc[0]
    rows = [
        (site["site_id"], "lung_resection", 2023, 80),
        (site["name"].upper() + " ", "lung_resection", 2024, 91),
        (site["site_id"], "lung_resection", 2024 - 2, 5),
    ]
    data = load_volumes(_write(tmp_path, rows), dataset)
    lung = data.site_interventions[data.site_interventions["intervention"] == "lung_resection"]
    assert lung.set_index("site_id")["annual_volume"].to_dict() == {site["site_id"]: 91}
    other = data.site_interventions[data.site_interventions["intervention"] != "lung_resection"]
    before = dataset.site_interventions
    assert len(other) == len(before[before["intervention"] != "lung_resection"])


def test_every_row_that_does_not_fit_is_named_with_candidates(tmp_path, dataset):
    sites = dataset.sites
    shared = sites["organisation"].value_counts()
    org = shared[shared > 1].index[0]
    rows = [
        ("Nowhere Hospital", "lung_resection", 2024, 10),
        (org, "lung_resection", 2024, 10),
        (sites["site_id"].iat[0], "brain_surgery", 2024, 10),
        (sites["site_id"].iat[1], "lung_resection", "last year", 10),
        (sites["site_id"].iat[2], "lung_resection", 2024, -3),
        (sites["name"].iat[3][:-2], "lung_resection", 2024, 10),
    ]
    path = _write(tmp_path, rows)
    with pytest.raises(DataError) as err:
        load_volumes(path, dataset)
    lines = err.value.lines()
    assert len(lines) == 6
    assert f"{path}, row 2, column 'hospital': 'Nowhere Hospital' matches no site" in lines[0]
    assert "row 3, column 'hospital'" in lines[1] and "ambiguous" in lines[1]
    assert sum(s in lines[1] for s in sites.loc[sites["organisation"] == org, "site_id"]) >= 2
    assert "row 4, column 'intervention'" in lines[2]
    assert "row 5, column 'year'" in lines[3]
    assert "row 6, column 'volume'" in lines[4]
    assert "row 7" in lines[5] and sites["site_id"].iat[3] in lines[5]


def test_each_hospital_takes_its_own_latest_year(tmp_path, dataset, caplog):
    """A hospital whose figures stop a year earlier keeps them (it was dropped, ending at zero
    volume, when only the intervention's latest year counted), and the log says so."""
    a, b, c = dataset.sites["site_id"].iloc[:3]
    rows = [
        (a, "aaa_repair", 2023, 90),
        (b, "aaa_repair", 2022, 170),
        (c, "aaa_repair", 2023, 80),
        (c, "aaa_repair", 2022, 75),
    ]
    with caplog.at_level("WARNING", logger="patientflow.data.volumes"):
        data = load_volumes(_write(tmp_path, rows), dataset)
    si = data.site_interventions
    aaa = si[si["intervention"] == "aaa_repair"].set_index("site_id")["annual_volume"]
    assert aaa.to_dict() == {a: 90, b: 170, c: 80}
    assert f"aaa_repair: {b} (2022)" in caplog.text


def test_two_volumes_for_one_site_and_year_are_refused_in_any_year(tmp_path, dataset):
    site = dataset.sites["site_id"].iat[0]
    rows = [
        (site, "aaa_repair", 2022, 90),
        (site, "aaa_repair", 2022, 95),
        (site, "aaa_repair", 2023, 91),
    ]
    path = _write(tmp_path, rows)
    with pytest.raises(DataError) as err:
        load_volumes(path, dataset)
    assert err.value.lines() == [
        f"{path}, row 3, column 'hospital': a second volume for {site}, aaa_repair and 2022 "
        "(the first is on row 2): one volume per site, intervention and year is expected"
    ]


def test_names_match_without_accents_case_or_punctuation():
    assert normalised("Sint-Antonius  Ziekenhuis, Nieuwegein") == normalised(
        "sint antonius ziekenhuis nieuwegein"
    )
    assert normalised("Zuyderland Medisch Centrum Heerlen") != normalised("Zuyderland MC")


@pytest.mark.slow
def test_a_bad_volumes_file_exits_2_naming_the_row(tmp_path):
    path = _write(tmp_path, [("Nowhere Hospital", "lung_resection", 2024, 10)])
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "patientflow",
            "sim=care",
            "debug=fast",
            f"care.volumes_file={path}",
            f"hydra.run.dir={tmp_path / 'run'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "row 2, column 'hospital'" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_the_care_run_uses_the_users_volumes(tmp_path):
    data = load_dataset()
    si = data.site_interventions
    lung = si[si["intervention"] == "lung_resection"]
    rows = [(s, "lung_resection", 2024, 100) for s in lung["site_id"]]
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            "demand=municipality",
            "sim.days=0",
            "report.figures=false",
            "demand.year=2024",  # the volumes' year: reproduced exactly
            f"care.volumes_file={_write(tmp_path, rows)}",
        ]
    )
    result = patientflow.run(cfg, tmp_path / "run")
    s = result.summary["care"]["lung_resection"]
    assert s["patients_per_year"] == 100 * len(lung)
    assert s["meeting_norm_observed"] == len(lung)
    assert result.summary["care_volumes"].endswith("volumes.csv")


def test_a_row_after_a_blank_line_is_named_by_its_line_in_the_file(tmp_path, dataset):
    site = dataset.sites["site_id"].iat[0]
    path = tmp_path / "volumes.csv"
    path.write_text(
        f"hospital,intervention,year,volume\n{site},lung_resection,2023,90\n\n"
        f"{site},lung_resection,2024,-5\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_volumes(path, dataset)
    assert len(err.value.lines()) == 1
    assert err.value.lines()[0].startswith(
        f"{path}, row 4, column 'volume': '-5' is not a whole number >= 0"
    )


def test_a_thousands_dot_in_a_volume_or_year_is_refused(tmp_path, dataset):
    """'51.000' is Dutch for 51000: read as 51 it would pass silently; only digits pass."""
    site = dataset.sites["site_id"].iat[0]
    rows = [
        (site, "lung_resection", 2024, "51.000"),
        (site, "lung_resection", "2023.0", 5),
        (site, "lung_resection", 2022, "1,000"),
    ]
    path = _write(tmp_path, rows)
    with pytest.raises(DataError) as err:
        load_volumes(path, dataset)
    expected = "digits only are expected, without decimals or a thousands separator"
    assert err.value.lines() == [
        f"{path}, row 2, column 'volume': '51.000' is not a whole number >= 0: {expected}",
        f"{path}, row 3, column 'year': '2023.0' is not a year: a whole number from 1990 to "
        "2100 is expected",
        f"{path}, row 4, column 'volume': '1,000' is not a whole number >= 0: {expected}",
    ]


def test_a_volume_at_a_site_closed_in_2025_is_refused_not_dropped(tmp_path, dataset):
    """Today's providers are the open sites: a closed site's volume silently left the national
    total (Tergooi Blaricum's 100 lung resections: 2,782 patients instead of 2,882)."""
    closed = dataset.sites[dataset.sites["status_2025"] != "open"].iloc[0]
    open_site = dataset.sites[dataset.sites["status_2025"] == "open"]["site_id"].iat[0]
    rows = [
        (open_site, "lung_resection", 2024, 80),
        (closed["name"], "lung_resection", 2022, 100),
        (closed["site_id"], "aaa_repair", 2022, 30),
        (closed["site_id"], "aaa_repair", 2023, 0),
    ]
    path = _write(tmp_path, rows)
    with pytest.raises(DataError) as err:
        load_volumes(path, dataset)
    assert err.value.lines() == [
        f"{path}, row 3, column 'hospital': {closed['site_id']} ({closed['name']}) is closed in "
        "2025 (sites status_2025), so its lung_resection volume of 100 in 2022 would drop out "
        "of today's patients: give it to the site that took over its care, or a later year's "
        "row of 0"
    ]


def test_a_file_of_some_interventions_leaves_the_others_named_as_embedded(tmp_path, dataset):
    """A lung-only file labelled the whole run with the user's file and silenced the warning,
    while seven of eight interventions kept the embedded approximation."""
    from patientflow.data.volumes import embedded_volumes, volumes_source

    names = list(dataset.interventions["intervention"])
    assert embedded_volumes(dataset, names) == names
    site = dataset.sites["site_id"].iat[0]
    data = load_volumes(_write(tmp_path, [(site, "lung_resection", 2024, 80)]), dataset)
    others = [n for n in names if n != "lung_resection"]
    assert embedded_volumes(data, names) == others
    assert embedded_volumes(data, ["lung_resection"]) == []
    label = volumes_source(data, names)
    assert label.startswith("embedded approximation") and ", ".join(others) in label
    assert volumes_source(data, ["lung_resection"]) == str(tmp_path / "volumes.csv")
