"""MkDocs hooks of the documentation site (mkdocs.yml, `make docs`).

Pages written once elsewhere are generated when the site is built, never copied by hand: the
README as the home page, the data README (tables and their sources), the changelog, the
licences (LICENSE and src/patientflow/data/nl/LICENSE) and the configuration reference from
the structured configs (scripts/config_reference.py). Links that leave docs/ are rewritten:
to the generated page that shows the file, or, for a file the site does not show (conf/,
tests/, ...), to its path as text.
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

from mkdocs.structure.files import File, Files

REPO = Path(__file__).resolve().parents[1]
DOCS = "docs"

# The repository's files the site shows, and the page that shows each.
SITE_PAGES = {
    "README.md": "index.md",
    "src/patientflow/data/README.md": "data.md",
    "CHANGELOG.md": "changelog.md",
    "LICENSE": "licences.md",
    "src/patientflow/data/nl/LICENSE": "licences.md#data",
    "CITATION.cff": "CITATION.cff",
}
# Generated page -> the repository file its links are relative to.
SOURCES = {
    "index.md": "README.md",
    "data.md": "src/patientflow/data/README.md",
    "changelog.md": "CHANGELOG.md",
    "licences.md": "LICENSE",
    "configuration.md": "scripts/config_reference.py",
}
LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)


def read(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def licences_page() -> str:
    """The code's licence and the data's per-file statement, one page."""
    data = read("src/patientflow/data/nl/LICENSE").splitlines()
    demoted = [f"#{line}" if line.startswith("#") else line for line in data]
    if demoted and demoted[0].startswith("## "):
        demoted[0] += " {#data}"
    return "\n".join(
        [
            "# Licences",
            "",
            "patientflow's code and documentation are MIT; the embedded data tables keep their",
            "sources' terms, stated per file below (`src/patientflow/data/nl/LICENSE`). How to",
            "cite patientflow and which version and data a report names: see the",
            "[home page](README.md#how-to-cite) and `CITATION.cff`.",
            "",
            "## Code: MIT {#code}",
            "",
            "```text",
            read("LICENSE").rstrip(),
            "```",
            "",
            *demoted,
            "",
        ]
    )


def configuration_page() -> str:
    scripts = str(REPO / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    from config_reference import reference_markdown

    return reference_markdown()


def on_files(files: Files, config) -> Files:
    """Add the generated pages (and CITATION.cff, which the home page links) to the site."""
    pages = {
        "index.md": read("README.md"),
        "data.md": read("src/patientflow/data/README.md"),
        "changelog.md": read("CHANGELOG.md"),
        "licences.md": licences_page(),
        "configuration.md": configuration_page(),
        "CITATION.cff": read("CITATION.cff"),
    }
    for uri, content in pages.items():
        if files.get_file_from_path(uri) is not None:
            raise ValueError(f"docs/{uri} exists: the site generates this page from its source")
        files.append(File.generated(config, uri, content=content))
    return files


def site_link(target: str, page_uri: str) -> str | None:
    """Where a relative link of a page leads on the site: a path relative to the page, or
    None when the file it names is not part of the site."""
    path, _, fragment = target.partition("#")
    source = SOURCES.get(page_uri, f"{DOCS}/{page_uri}")
    repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if repo_path in SITE_PAGES:
        mapped = SITE_PAGES[repo_path]
        if fragment:
            mapped = mapped.partition("#")[0] + "#" + fragment
    elif repo_path == DOCS or repo_path.startswith(f"{DOCS}/"):
        mapped = posixpath.relpath(repo_path, DOCS) + (f"#{fragment}" if fragment else "")
    else:
        return None
    page_dir = posixpath.dirname(page_uri) or "."
    main, _, frag = mapped.partition("#")
    return posixpath.relpath(main, page_dir) + (f"#{frag}" if frag else "")


def rewrite_links(markdown: str, page_uri: str) -> str:
    """The page's relative links as the site needs them (code blocks left alone)."""

    def one(match: re.Match) -> str:
        bang, text, target = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            return match.group(0)
        if page_uri not in SOURCES and not target.startswith(".."):
            return match.group(0)  # a link within docs/: MkDocs checks it
        found = site_link(target, page_uri)
        if found is not None:
            return f"{bang}[{text}]({found})"
        shown = target.partition("#")[0]
        return text if text.strip("`") != shown else f"`{shown}`"

    out, last = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(LINK.sub(one, markdown[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(LINK.sub(one, markdown[last:]))
    return "".join(out)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return rewrite_links(markdown, page.file.src_uri)
