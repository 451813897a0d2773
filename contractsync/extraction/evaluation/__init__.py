"""The CUAD evaluation harness: gold answers, scoring rules, and the runner."""

from ._gold import COLUMNS, SCORED_FIELDS, GoldAnswer, GoldContract, load_gold, normalise
from ._runner import EvalReport, evaluate_cuad
from ._scoring import FieldScore, is_correct, match_parties

__all__ = [
    "COLUMNS",
    "SCORED_FIELDS",
    "EvalReport",
    "FieldScore",
    "GoldAnswer",
    "GoldContract",
    "evaluate_cuad",
    "is_correct",
    "load_gold",
    "match_parties",
    "normalise",
]
