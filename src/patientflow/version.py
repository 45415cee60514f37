"""patientflow's version, the one place it is written, and the identity of the code that runs
(version and, in a git checkout, the commit): a run records it so that results can be traced,
and a rerun never takes results of other code for its own."""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache
from pathlib import Path

__version__ = "0.2.0"


@cache
def git_commit() -> str | None:
    """The commit of the checkout the package runs from; None outside a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def code_identity() -> dict[str, str | None]:
    """What a run records of the code that made it."""
    return {"version": __version__, "commit": git_commit()}


def source_digest() -> str:
    """A digest of the package's own source files: code edited and not yet committed (the
    version and commit still the same) is other code."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
