"""docs/python.md's code blocks run, in order, against the sample: the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "python.md"


def blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_python_md_runs_against_the_sample(store, store_home, monkeypatch, tmp_path, capsys):
    from kg.build import build

    build([ROOT / "data" / "sample" / "hf-papers-listing.txt"], store)
    monkeypatch.setenv("KG_STORE", str(store_home))
    monkeypatch.setenv("KG_DATABASE", store.database)
    monkeypatch.chdir(tmp_path)
    found = blocks(DOC.read_text())
    assert len(found) >= 8
    namespace: dict = {}
    for number, code in enumerate(found, 1):
        try:
            exec(compile(code, f"docs/python.md block {number}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"docs/python.md block {number} failed: {error!r}\n{code}") from error
    shown = capsys.readouterr().out
    assert "OV-DINO" in shown and "refused:" in shown
    assert (tmp_path / "coco-ap.html").exists()
