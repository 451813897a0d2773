"""The package's public door exports what we mean to export."""

from __future__ import annotations

from contractsync import extraction
from contractsync.extraction import evaluation


def test_exports() -> None:
    assert set(extraction.__all__) == {
        "AUTO_APPROVE_THRESHOLD", "RULES_VERSION", "UNCALIBRATED_CAP", "AmendmentInfo",
        "Calibration", "Candidate", "DocumentExtraction", "Extractor", "LlmConfig",
        "LlmExtractor", "RulesExtractor", "default_extractors", "expected_calibration_error",
        "extract_document", "extraction_json", "failure_json", "fit_calibration",
        "load_calibration", "parse_date", "parse_duration", "parse_money", "parse_number",
        "reconcile", "resolve_jurisdiction", "value_json",
    }  # fmt: skip
    for name in extraction.__all__:
        assert hasattr(extraction, name)
    for name in evaluation.__all__:
        assert hasattr(evaluation, name)


def test_extractors_follow_the_protocol() -> None:
    assert isinstance(extraction.RulesExtractor(), extraction.Extractor)
