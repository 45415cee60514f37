"""The words of the complex-care impact chapter (care_chapter.py) in English and Dutch."""

from __future__ import annotations

# The chapter's words, key: (English, Nederlands), as TEXT in report/labels.py. Sentences have
# keys of their own; table headers and the identifiers in the run's tables (groups, roles,
# criteria, stages) are keyed by their English text, and one missing here is shown as it is.
# Numbers keep the decimal point and the thousands comma in Dutch too, with the same format
# specification in both languages: md_table (report/markdown.py) writes every table of the
# report that way, so the sentences do as well, and the Dutch template says so once.
WORDS: dict[str, tuple[str, str]] = {
    # sentences
    "patients_headline": (
        "{moved:,.0f} patients a year change hospital for their operation; over all patients a "
        "pathway's one-way car minutes (summed over its visits) change by {extra:+.1f} on "
        "average, and for the 10 % of movers hit hardest by {p90:+.0f} or more. Patients more "
        "than {threshold:g} car minutes one way from their hospital of surgery: {far_now:,.0f} "
        "today, {far_new:,.0f} in the network.",
        "{moved:,.0f} patiënten per jaar gaan voor hun operatie naar een ander ziekenhuis; "
        "gemiddeld over alle patiënten veranderen de autominuten enkele reis per zorgpad "
        "(opgeteld over de bezoeken) met {extra:+.1f}, en voor de 10 % van de verplaatste "
        "patiënten die het zwaarst getroffen zijn met {p90:+.0f} of meer. Patiënten op meer dan "
        "{threshold:g} autominuten enkele reis van het ziekenhuis waar ze geopereerd worden: "
        "{far_now:,.0f} nu, {far_new:,.0f} in het netwerk.",
    ),
    "professionals_headline": (
        "Surgeons needed: {now:,.0f} today, {new:,.0f} in the network; {released:,.0f} FTE "
        "released at hospitals that lose work, {recruit:,.0f} FTE to recruit or share at the "
        "hospitals that gain it. Operating sessions a week: {or_now:,.1f} today, {or_new:,.1f} "
        "in the network.",
        "Benodigde chirurgen: {now:,.0f} nu, {new:,.0f} in het netwerk; {released:,.0f} fte komt "
        "vrij in de ziekenhuizen die werk verliezen, {recruit:,.0f} fte moet worden geworven of "
        "gedeeld in de ziekenhuizen die het werk krijgen. OK-sessies per week: {or_now:,.1f} nu, "
        "{or_new:,.1f} in het netwerk.",
    ),
    "providers_headline": (
        "{now} hospitals provide complex care today, {new} in the network; {lose_all} lose every "
        "complex operation and {lose_function} lose their regional function for complex care. "
        "Under shared care {kept:,.0f} visits a year of work-up and follow-up stay at the "
        "hospitals that lose the operation.",
        "{now} ziekenhuizen bieden nu complexe zorg, {new} in het netwerk; {lose_all} verliezen "
        "alle complexe operaties en {lose_function} verliezen hun regiofunctie voor complexe "
        "zorg. Bij gedeelde zorg (shared care) blijven {kept:,.0f} bezoeken per jaar voor "
        "diagnostiek en nacontrole in de ziekenhuizen die de operatie verliezen.",
    ),
    "networks_headline": (
        "{referred:,.0f} patients a year are referred from today's hospital to another for "
        "their operation. Of {networks} vascular networks, {meet_now} meet the quality standard "
        "today and {meet_new} in the network.",
        "{referred:,.0f} patiënten per jaar worden voor hun operatie van het huidige ziekenhuis "
        "naar een ander verwezen. Van de {networks} vaatnetwerken voldoen er {meet_now} nu aan "
        "de kwaliteitsstandaard en {meet_new} in het netwerk.",
    ),
    "The per-hospital volumes are the embedded approximation rebuilt from public aggregates "
    "(data README); for a real analysis give your own (care.volumes_file).": (
        "The per-hospital volumes are the embedded approximation rebuilt from public aggregates "
        "(data README); for a real analysis give your own (care.volumes_file).",
        "De volumes per ziekenhuis zijn de meegeleverde benadering, herleid uit openbare "
        "totalen (data-README); geef voor een echte analyse uw eigen volumes op "
        "(care.volumes_file).",
    ),
    "regional_note": (
        "The study area is one region, so a hospital's volumes here are its patients from this "
        "area alone: surgeons needed (teams of at least `min_surgeons`, 24/7 rotas), hospitals "
        "with complex care, their regional function and the vascular standard treat a hospital "
        "that receives a fraction of a patient a year as if that were its whole volume. For "
        "these figures run the whole country (region=nl); the patients' figures hold as they are.",
        "Het studiegebied is één regio, dus de volumes van een ziekenhuis zijn hier alleen zijn "
        "patiënten uit dit gebied: benodigde chirurgen (teams van minstens `min_surgeons`, "
        "24/7-roosters), ziekenhuizen met complexe zorg, hun regiofunctie en de "
        "kwaliteitsstandaard vaatnetwerk behandelen een ziekenhuis dat een fractie van een "
        "patiënt per jaar krijgt alsof dat zijn hele volume is. Draai voor deze getallen het "
        "hele land (region=nl); de getallen over patiënten gelden zoals ze zijn.",
    ),
    "Some interventions' per-hospital volumes are the embedded approximation rebuilt from "
    "public aggregates (summary.json care_volumes names them); the others are from your file.": (
        "Some interventions' per-hospital volumes are the embedded approximation rebuilt from "
        "public aggregates (summary.json care_volumes names them); the others are from your "
        "file.",
        "De volumes per ziekenhuis van sommige ingrepen zijn de meegeleverde benadering, "
        "herleid uit openbare totalen (summary.json care_volumes noemt ze); de andere komen uit "
        "uw bestand.",
    ),
    # assumptions
    "far": (
        "Far: more than {threshold:g} car minutes one way to the hospital of surgery.",
        "Ver weg: meer dan {threshold:g} autominuten enkele reis naar het ziekenhuis van de "
        "operatie.",
    ),
    "rota": (
        "Round-the-clock services need a rota of {rota} surgeons per provider; {fte:g} FTE per "
        "surgeon.",
        "Een dienst die dag en nacht beschikbaar is, vraagt per aanbieder een rooster van {rota} "
        "chirurgen; {fte:g} fte per chirurg.",
    ),
    "session": (
        "One operating session: {minutes:g} minutes (care.session_minutes).",
        "Eén OK-sessie: {minutes:g} minuten (care.session_minutes).",
    ),
    "regional_function": (
        "Regional function for complex care lost: a 24/7 SEH hospital that loses every complex "
        "operation or {share:.0%} or more of its production value in complex care (the less "
        "complex care it receives or gives under `network.spread` counted in).",
        "Regiofunctie voor complexe zorg verloren: een ziekenhuis met een 24/7-SEH dat alle "
        "complexe operaties verliest, of {share:.0%} of meer van zijn productiewaarde in "
        "complexe zorg (de minder complexe zorg die het via `network.spread` krijgt of afstaat "
        "meegeteld).",
    ),
    "shared_care": (
        "Shared care: {on}{per_network}; spreading: {spreading}.",
        "Gedeelde zorg: {on}{per_network}; spreiding: {spreading}.",
    ),
    "per_network": (" (per network: {networks})", " (per netwerk: {networks})"),
    "on": ("on", "aan"),
    "off": ("off", "uit"),
    "moves": ("{n} moves of less complex care", "{n} verplaatsingen van minder complexe zorg"),
    "none": ("none", "geen"),
    "intervention_line": (
        "{name}: {stages}; €{tariff:,.0f} per operation; {ops:g} operations per surgeon, teams "
        "of at least {team}.",
        "{name}: {stages}; €{tariff:,.0f} per operatie; {ops:g} operaties per chirurg, teams van "
        "minstens {team}.",
    ),
    "stage": ("{stage} {visits:g}× at {place}", "{stage} {visits:g}× {place}"),
    "workup": ("workup", "diagnostiek"),
    "operation": ("operation", "operatie"),
    "followup": ("followup", "nacontrole"),
    "systemic": ("systemic", "systemische therapie"),
    "centre": ("centre", "in het centrum"),
    "shared": ("shared", "in gedeelde zorg"),
    "local": ("local", "dichtbij huis"),
    "vascular_standard": (
        "Vascular standard: network volume ≥ {volume:g}, repair centres ≥ {centres}, surgeons "
        "supported ≥ {rota}, interventional radiology at a centre ({ir}), ≥ {share:.0%} of "
        "patients within {minutes:g} ambulance minutes.",
        "Kwaliteitsstandaard vaatnetwerk: netwerkvolume ≥ {volume:g}, AAA-centra ≥ {centres}, "
        "vaatchirurgen die het netwerkvolume draagt ≥ {rota}, interventieradiologie in een centrum "
        "({ir}), ≥ {share:.0%} van de patiënten binnen {minutes:g} ambulanceminuten.",
    ),
    "listed sites": ("listed sites", "opgegeven locaties"),
    "assumed at every centre": ("assumed at every centre", "aangenomen in elk centrum"),
    # table headers
    "intervention": ("intervention", "ingreep"),
    "patients a year": ("patients a year", "patiënten per jaar"),
    "of whom move": ("of whom move", "waarvan verplaatst"),
    "extra min per visit": ("extra min per visit", "extra min per bezoek"),
    "extra min per pathway": ("extra min per pathway", "extra min per zorgpad"),
    "p90 of those who move": ("p90 of those who move", "p90 verplaatste patiënten"),
    "max": ("max", "max"),
    "extra min per pathway, 65+": (
        "extra min per pathway, 65+",
        "extra min per zorgpad, 65+",
    ),
    "far today": ("far today", "ver weg nu"),
    "far new": ("far new", "ver weg nieuw"),
    "cancer network": ("cancer network", "oncologienetwerk"),
    "indicator": ("indicator", "indicator"),
    "today": ("today", "nu"),
    "new": ("new", "nieuw"),
    "difference": ("difference", "verschil"),
    "wait weeks p50": ("wait weeks p50", "wachttijd in weken, mediaan"),
    "share within treeknorm": ("share within treeknorm", "aandeel binnen de Treeknorm"),
    "group": ("group", "groep"),
    "oncology": ("oncology", "oncologie"),
    "vascular": ("vascular", "vaatchirurgie"),
    "OR sessions a week today": ("OR sessions a week today", "OK-sessies per week nu"),
    "OR sessions a week new": ("OR sessions a week new", "OK-sessies per week nieuw"),
    "surgeons needed today": ("surgeons needed today", "benodigde chirurgen nu"),
    "surgeons needed new": ("surgeons needed new", "benodigde chirurgen nieuw"),
    "FTE released": ("FTE released", "fte vrij"),
    "FTE to recruit": ("FTE to recruit", "fte te werven"),
    "hospital": ("hospital", "ziekenhuis"),
    "surgeons today": ("surgeons today", "chirurgen nu"),
    "surgeons new": ("surgeons new", "chirurgen nieuw"),
    "change": ("change", "verandering"),
    "hospitals with complex care today": (
        "hospitals with complex care today",
        "ziekenhuizen met complexe zorg nu",
    ),
    "losing regional function": ("losing regional function", "verliezen regiofunctie"),
    "operations lost": ("operations lost", "operaties verloren"),
    "gained": ("gained", "gewonnen"),
    "operations today": ("operations today", "operaties nu"),
    "stage visits kept (shared care)": (
        "stage visits kept (shared care)",
        "behouden bezoeken (gedeelde zorg)",
    ),
    "care received": ("care received", "ontvangen zorg (spreiding)"),
    "value change": ("value change", "verandering productiewaarde"),
    "24/7 SEH": ("24/7 SEH", "24/7-SEH"),
    "loses regional function": ("loses regional function", "verliest regiofunctie"),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "hub": ("hub", "hub"),
    "provider": ("provider", "aanbieder"),
    "spoke": ("spoke", "spoke"),
    "stopped": ("stopped", "gestopt"),
    "vascular network": ("vascular network", "vaatnetwerk"),
    "none with patients in the study area": (
        "none with patients in the study area",
        "geen met patiënten in het studiegebied",
    ),
    "name": ("name", "naam"),
    "volume new": ("volume new", "volume nieuw"),
    "repair centres today": ("repair centres today", "AAA-centra nu"),
    "meets today": ("meets today", "voldoet nu"),
    "meets new": ("meets new", "voldoet nieuw"),
    "failing (new)": ("failing (new)", "niet gehaald (nieuw)"),
    "network_volume": ("network_volume", "netwerkvolume"),
    "repair_centres": ("repair_centres", "AAA-centra"),
    "rota_surgeons_supported": ("rota_surgeons_supported", "vaatchirurgen voor het rooster"),
    "interventional_radiology_centres": (
        "interventional_radiology_centres",
        "interventieradiologie",
    ),
    "share_within_max_minutes": (
        "share_within_max_minutes",
        "aandeel binnen de maximale ambulancetijd",
    ),
}
