"""The words of a sweep's impact report (impact.py and the report templates) in English and
Dutch: key: (English, Nederlands), as the shared words in labels.py, which joins both into one
table for `Labels`."""

from __future__ import annotations

SWEEP_TEXT: dict[str, tuple[str, str]] = {
    "report_title": ("Impact report", "Impactrapport"),
    "jobs_complete": ("{jobs} jobs, {complete} complete.", "{jobs} runs, {complete} voltooid."),
    "contents": ("Contents", "Inhoud"),
    "compared_jobs": ("{n} scenarios: {labels}; ", "{n} scenario's: {labels}; "),
    "compared_replications": (
        "{n} replications each: means with 95 % intervals. ",
        "elk {n} replicaties: gemiddelden met 95%-intervallen. ",
    ),
    "compared_replications_range": (
        "{low} to {high} replications per scenario: means with 95 % intervals where more than "
        "one ran. ",
        "{low} tot {high} replicaties per scenario: gemiddelden met 95%-intervallen waar er meer "
        "dan één liep. ",
    ),
    "compared_single": ("one run each. ", "elk één run. "),
    "compared_against": (
        "Differences are against {base}, paired over common random numbers; 'better' or "
        "'worse' only where the 95 % interval of the difference excludes zero.",
        "Verschillen zijn t.o.v. {base}, gepaard over gemeenschappelijke toevalsgetallen; "
        "'beter' of 'slechter' alleen waar het 95%-interval van het verschil nul uitsluit.",
    ),
    "part_compared": ("What was compared", "Wat is vergeleken"),
    "part_access": ("Accessibility", "Bereikbaarheid"),
    "part_acute": ("Acute care", "Acute zorg"),
    "part_care": ("Complex care", "Complexe zorg"),
    "part_regiobeeld": ("Regiobeeld", "Regiobeeld"),
    "part_regions": ("By region", "Per regio"),
    "regions_intro": (
        "Per ROAZ region with simulated patients: each scenario's indicators in that region, "
        "the mean over its replications with a 95 % interval, and the region's inhabitants "
        "beyond the norm.",
        "Per ROAZ-regio met gesimuleerde patiënten: de indicatoren van elk scenario in die "
        "regio, het gemiddelde over de replicaties met een 95%-interval, en de inwoners van de "
        "regio buiten de norm.",
    ),
    "part_tables": ("All indicators and differences", "Alle indicatoren en verschillen"),
    "part_method": ("Method, data and checklist", "Methode, data en checklist"),
    "caption_forest": (
        "Paired differences against the baseline per scenario: the mean, with its 95 % interval "
        "where more than one replication ran",
        "Gepaarde verschillen t.o.v. de referentie per scenario: het gemiddelde, met 95%-interval "
        "waar meer dan één replicatie liep",
    ),
    "caption_indicators": (
        "Headline indicators against the swept values (means with 95 % intervals)",
        "Kernindicatoren naar de gevarieerde waarden (gemiddelden met 95%-intervallen)",
    ),
    "caption_difference_map": (
        "Scenario minus baseline per municipality: ambulance minutes to a 24/7 SEH",
        "Scenario min referentie per gemeente: ambulanceminuten naar een 24/7-SEH",
    ),
    "sec_beyond_per_region": (
        "Inhabitants beyond {norm} per ROAZ region, per scenario",
        "Inwoners buiten {norm} per ROAZ-regio, per scenario",
    ),
    "sec_hardest_hit": (
        "Who is hit hardest: municipalities whose ambulance minutes to a 24/7 SEH grow most "
        "(with their 65+ share)",
        "Wie het hardst geraakt wordt: gemeenten waarvan de ambulanceminuten naar een 24/7-SEH "
        "het meest groeien (met hun aandeel 65+)",
    ),
    "sec_load_shift": (
        "Load on neighbours: 24/7 SEHs whose ambulance catchment grows most",
        "Druk op de buren: 24/7-SEH's waarvan het ambulanceverzorgingsgebied het meest groeit",
    ),
    "sec_difference_maps": ("Difference maps", "Verschilkaarten"),
    "all_scenarios": ("every scenario", "elk scenario"),
    "access_unchanged": (
        "The same in every scenario: no scenario of this sweep changes the 24/7 emergency "
        "departments (SEHs) the norm is measured to.",
        "Gelijk in elk scenario: geen scenario van deze sweep verandert de 24/7-SEH's waartoe "
        "de norm gemeten wordt.",
    ),
    "access_same": ("The same in every scenario.", "Gelijk in elk scenario."),
    "access_same_count": (
        "The same in every scenario: the ambulance minutes to a 24/7 SEH change (below), but "
        "not the number of inhabitants beyond the norm in any region.",
        "Gelijk in elk scenario: de ambulanceminuten naar een 24/7-SEH veranderen (hieronder), "
        "maar niet het aantal inwoners buiten de norm in een regio.",
    ),
    "access_row_per_scenario": (
        "A row per scenario, a column per ROAZ region (the regions' names are in "
        "regions_by_job.csv).",
        "Een rij per scenario, een kolom per ROAZ-regio (de namen van de regio's staan in "
        "regions_by_job.csv).",
    ),
    "col_region": ("region", "regio"),
    "col_norm": ("norm", "norm"),
    "col_short": ("misses the norm by", "mist de norm met"),
    "col_baseline_value": ("baseline", "referentie"),
    "col_name": ("name", "naam"),
    "col_municipality": ("municipality", "gemeente"),
    "col_inhabitants": ("inhabitants", "inwoners"),
    "col_65plus": ("share 65+", "aandeel 65+"),
    "col_amb_base": ("ambulance min, baseline", "ambulanceminuten, referentie"),
    "col_amb_new": ("ambulance min", "ambulanceminuten"),
    "col_extra_amb": ("extra ambulance min", "extra ambulanceminuten"),
    "col_extra_car": ("extra car min", "extra autominuten"),
    "col_extra_beyond": ("more inhabitants beyond the norm", "meer inwoners buiten de norm"),
    "col_seh": ("24/7 SEH", "24/7-SEH"),
    "col_catch_base": ("catchment, baseline", "verzorgingsgebied, referentie"),
    "col_catch_new": ("catchment", "verzorgingsgebied"),
    "col_catch_extra": ("extra inhabitants", "extra inwoners"),
    "sec_breaches": (
        "Norms breached per ROAZ region and scenario (mean over the replications with its 95 % "
        "interval; the change against the baseline paired, with its interval)",
        "Normen niet gehaald per ROAZ-regio en scenario (gemiddelde over de replicaties met "
        "95%-interval; de verandering t.o.v. de referentie gepaard, met interval)",
    ),
    "sec_care_networks": (
        "Complex care per network (the cancer network for oncological surgery, the vascular "
        "network for vascular surgery), per scenario: {indicator}",
        "Complexe zorg per netwerk (het oncologienetwerk voor oncologische chirurgie, het "
        "vaatnetwerk voor vaatchirurgie), per scenario: {indicator}",
    ),
    "providers_new": ("providers", "aanbieders"),
    "extra_travel_min_mean": (
        "mean extra car minutes per patient",
        "gemiddelde extra autominuten per patiënt",
    ),
    "sec_care_impact": (
        "Impact per stakeholder group (patients, professionals, providers, networks), per "
        "scenario; each job's care_impact.md has the chapter",
        "Effect per groep (patiënten, professionals, aanbieders, netwerken), per scenario; het "
        "hoofdstuk staat in care_impact.md van elke run",
    ),
    "sec_indicators": ("Indicators per scenario", "Indicatoren per scenario"),
    "sec_failed": ("Failed or incomplete jobs", "Mislukte of onvolledige runs"),
    "sec_paired": (
        "Paired differences against the baseline (common random numbers)",
        "Gepaarde verschillen t.o.v. de referentie (gemeenschappelijke toevalsgetallen)",
    ),
    "sec_unpaired": (
        "Jobs not paired with the baseline, and tables left out",
        "Runs niet gepaard met de referentie, en weggelaten tabellen",
    ),
    "sec_common": (
        "Configuration common to every job",
        "Configuratie die alle runs delen",
    ),
    "sec_assumptions": ("Assumptions", "Aannames"),
    "assumptions_text": (
        "The model's assumptions and their sources: docs/acute-model.md, docs/complex-care.md, "
        "docs/travel-model.md and the data README. Each job's full configuration is in its "
        "folder (config.yaml).",
        "De aannames van het model en hun bronnen: docs/acute-model.md, docs/complex-care.md, "
        "docs/travel-model.md en de README van de data. De volledige configuratie van elke run "
        "staat in zijn map (config.yaml).",
    ),
    "sec_sources": ("Data sources", "Databronnen"),
    "sources_text": (
        "Population, municipalities and the Kernprognose: CBS; municipal boundaries: CBS, "
        "Kadaster; hospitals, SEHs and ambulance posts: RIVM (via Eurostat GISCO for the sites); "
        "water barriers and crossings: RIVM and the sources in the data README; volume norms and "
        "quality standards: the professional associations and Zorginstituut figures cited in "
        "docs/complex-care.md. Each table's source, licence and approximations: "
        "src/patientflow/data/README.md.",
        "Bevolking, gemeenten en de Kernprognose: CBS; gemeentegrenzen: CBS, Kadaster; "
        "ziekenhuizen, SEH's en ambulancestandplaatsen: RIVM (de locaties via Eurostat GISCO); "
        "waterbarrières en oeververbindingen: RIVM en de bronnen in de README van de data; "
        "volumenormen en kwaliteitsstandaarden: de beroepsverenigingen en de cijfers van het "
        "Zorginstituut in docs/complex-care.md. Bron, licentie en benaderingen per tabel: "
        "src/patientflow/data/README.md.",
    ),
    "sec_stress_des": ("STRESS-DES checklist", "STRESS-DES-checklist"),
    "sec_software": ("Software", "Software"),
}
