"""The README's Python examples run as written, so they cannot drift from the API."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO


def python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_has_python_examples():
    assert python_blocks()


@pytest.mark.slow
def test_every_python_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for block in python_blocks():
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    found = re.search(r"beyond 45 minutes: ([\d,]+) -> ([\d,]+)", out)
    before, after = (int(n.replace(",", "")) for n in found.groups())
    assert after > before  # closing the Terneuzen SEH puts more people beyond the norm
    assert "Zeeland" in out
