"""Extraction: from a contract's text to canonical field values a reviewer can check.

    from contractsync.documents import read_document
    from contractsync.extraction import extract_document

    result = extract_document(read_document("supply.pdf"))
    for field, candidate in result.fields.items():
        print(field, candidate.value, candidate.confidence, candidate.snippet)

Each ``Candidate`` has a normalised value (ISO dates, ``Duration``, ``Money``, ISO 3166
``GoverningLaw``), a calibrated confidence, its evidence span and the extractor that
read it, and converts to the model's ``Tracked`` value with ``to_tracked(document)``.
Extractors implement the ``Extractor`` protocol (``name``, ``version``, ``extract``);
the default is the offline ``RulesExtractor``; ``LlmExtractor`` is optional and
configured from ``CONTRACTSYNC_LLM_*``. The CUAD harness is ``extraction.evaluation``.
"""

from ._calibration import (
    AUTO_APPROVE_THRESHOLD,
    UNCALIBRATED_CAP,
    Calibration,
    expected_calibration_error,
    fit_calibration,
    load_calibration,
)
from ._candidate import Candidate
from ._dates import parse_date
from ._durations import parse_duration
from ._jsonl import extraction_json, failure_json, value_json
from ._jurisdiction import resolve_jurisdiction
from ._llm import LlmConfig, LlmExtractor
from ._money import parse_money
from ._numbers import parse_number
from ._pipeline import default_extractors, extract_document
from ._protocol import AmendmentInfo, DocumentExtraction, Extractor
from ._reconcile import reconcile
from ._rules import RULES_VERSION, RulesExtractor

__all__ = [
    "AUTO_APPROVE_THRESHOLD",
    "RULES_VERSION",
    "UNCALIBRATED_CAP",
    "AmendmentInfo",
    "Calibration",
    "Candidate",
    "DocumentExtraction",
    "Extractor",
    "LlmConfig",
    "LlmExtractor",
    "RulesExtractor",
    "default_extractors",
    "expected_calibration_error",
    "extract_document",
    "extraction_json",
    "failure_json",
    "fit_calibration",
    "load_calibration",
    "parse_date",
    "parse_duration",
    "parse_money",
    "parse_number",
    "reconcile",
    "resolve_jurisdiction",
    "value_json",
]
