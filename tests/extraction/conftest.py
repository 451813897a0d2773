"""Fixtures for the extraction tests: the CUAD development set and small contract cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CUAD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cuad-dev"
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(autouse=True)
def _hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CONTRACTSYNC_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def cuad() -> Path:
    if not (CUAD / "master_clauses.csv").is_file():
        pytest.skip(f"the CUAD development set is not at {CUAD}")
    return CUAD


@pytest.fixture(scope="session")
def cases() -> Path:
    return CASES
