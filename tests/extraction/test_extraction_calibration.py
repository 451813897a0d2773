"""Calibration: the fitting rule, and the calibration error measured on CUAD."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.extraction import (
    Calibration,
    expected_calibration_error,
    fit_calibration,
    load_calibration,
)
from contractsync.extraction.evaluation import evaluate_cuad


def test_fitting_shrinks_rare_rules_towards_the_field() -> None:
    outcomes = [("f", "common", True)] * 90 + [("f", "common", False)] * 10
    outcomes += [("f", "rare", False)]
    table = fit_calibration(outcomes)
    common = table.lookup("f", "common", 0.5)
    rare = table.lookup("f", "rare", 0.5)
    assert common == pytest.approx(0.9, abs=0.01)
    assert 0.5 < rare < common  # one miss does not make a rule worthless
    assert Calibration().lookup("f", "unknown", 0.95) == 0.8  # uncalibrated: capped


def test_ece() -> None:
    assert expected_calibration_error([(0.9, True)] * 9 + [(0.9, False)]) == pytest.approx(0.0)
    assert expected_calibration_error([(1.0, False)]) == pytest.approx(1.0)
    assert expected_calibration_error([]) is None


def test_shipped_table_round_trips(tmp_path: Path) -> None:
    table = load_calibration()
    assert table.rules, "calibration.json ships with the package"
    table.save(tmp_path / "c.json")
    assert load_calibration(tmp_path / "c.json").rules == table.rules


@pytest.mark.slow
def test_calibration_error_on_a_cuad_subset(cuad: Path) -> None:
    report = evaluate_cuad(cuad, limit=80, workers=2)
    assert report.ece is not None
    assert report.ece_cross_validated is not None
    # Measured: 0.009 in-sample and 0.034 cross-validated on all 236 contracts.
    assert report.ece < 0.08
    assert report.ece_cross_validated < 0.12
