"""Calibrated confidence: per extractor rule, the share of its values that were right.

Each rule of the rules extractor (``governing_law`` / ``laws_of.governed``, …) is a bin.
Its confidence is the rule's accuracy on the labelled development set, shrunk towards
the field's accuracy when the rule fired only a few times:

    confidence = (correct_rule + M * field_rate) / (fired_rule + M),
    field_rate = (correct_field + 1) / (fired_field + 2),       M = 4

(a beta-binomial posterior mean; with many firings it is the rule's plain hit rate, with
few it leans on the field). A rule that fired fewer than ``MIN_EVIDENCE`` times on the
labelled set is also capped at ``UNCALIBRATED_CAP``: two right out of two says little, and
such rules, cross-validated, were where auto-approved values went wrong. The fitted table
is the small data file ``calibration.json`` shipped beside this module; ``contractsync eval cuad DIR
--write-calibration`` refits it. A rule the table has never seen, or a field the
development set has no labels for, gets the extractor's prior capped at
``UNCALIBRATED_CAP``, so it can never pass an auto-approve threshold on a guess.

The measure of calibration is the expected calibration error (ECE): candidates are put
in ten equal-width confidence bins and ECE is the average, weighted by bin size, of
``|accuracy(bin) - mean confidence(bin)|``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ._candidate import Candidate

AUTO_APPROVE_THRESHOLD = 0.9
"""Confidence at or above which a standard-criticality value may skip human review.

Chosen on the CUAD development set as the lowest threshold whose auto-approved values
are at least 97% right (measured: see ``bench/results/extraction.json``)."""
SHRINKAGE = 4.0
UNCALIBRATED_CAP = 0.8
MIN_EVIDENCE = 12
"""Firings a rule needs on the labelled set before its values may be auto-approved.

Chosen by 5-fold cross-validation on CUAD dev: auto-approved precision was 97.1% with 8
firings and 97.5% with 12, at 66% and 64% coverage; the review target is 97%, and a wrong
value that skips review costs more than a right one that waits."""
CALIBRATION_FILE = "calibration.json"


@dataclass(frozen=True, slots=True)
class RuleStats:
    fired: int
    correct: int
    confidence: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """Confidence per (field, rule), fitted on labelled documents."""

    rules: dict[str, dict[str, RuleStats]] = field(default_factory=dict)
    fitted_on: str = ""

    def confidence(self, candidate: Candidate) -> float:
        """The calibrated confidence for a candidate, or its capped prior."""
        return self.lookup(candidate.field, candidate.rule, candidate.confidence)

    def lookup(self, field_name: str, rule: str, prior: float) -> float:
        """The calibrated confidence of ``rule`` for ``field_name``, or the capped prior."""
        stats = self.rules.get(field_name, {}).get(rule)
        if stats is None:
            return min(prior, UNCALIBRATED_CAP)
        return stats.confidence

    def apply(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        return [c.with_confidence(self.confidence(c)) for c in candidates]

    def to_json(self) -> dict[str, Any]:
        return {
            "method": (
                "per-rule beta-binomial (shrinkage M=4 towards the field's hit rate), capped "
                f"at {UNCALIBRATED_CAP} below {MIN_EVIDENCE} firings"
            ),
            "fitted_on": self.fitted_on,
            "rules": {
                name: {
                    rule: {"fired": s.fired, "correct": s.correct, "confidence": s.confidence}
                    for rule, s in sorted(rules.items())
                }
                for name, rules in sorted(self.rules.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        rules = {
            name: {
                rule: RuleStats(int(s["fired"]), int(s["correct"]), float(s["confidence"]))
                for rule, s in entries.items()
            }
            for name, entries in data.get("rules", {}).items()
        }
        return cls(rules=rules, fitted_on=str(data.get("fitted_on", "")))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


def load_calibration(path: Path | None = None) -> Calibration:
    """The shipped calibration table, or one from ``path``."""
    if path is not None:
        return Calibration.from_json(json.loads(path.read_text("utf-8")))
    resource = resources.files("contractsync.extraction").joinpath(CALIBRATION_FILE)
    if not resource.is_file():
        return Calibration()
    return Calibration.from_json(json.loads(resource.read_text("utf-8")))


def fit_calibration(
    outcomes: Iterable[tuple[str, str, bool]], *, fitted_on: str = ""
) -> Calibration:
    """Fit the table from ``(field, rule, correct)`` outcomes of uncalibrated candidates."""
    by_rule: defaultdict[str, defaultdict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for name, rule, right in outcomes:
        counts = by_rule[name][rule]
        counts[0] += 1
        counts[1] += int(right)
    rules: dict[str, dict[str, RuleStats]] = {}
    for name, entries in by_rule.items():
        fired = sum(c[0] for c in entries.values())
        correct = sum(c[1] for c in entries.values())
        field_rate = (correct + 1) / (fired + 2)
        rules[name] = {
            rule: RuleStats(n, k, _confidence(n, k, field_rate)) for rule, (n, k) in entries.items()
        }
    return Calibration(rules=rules, fitted_on=fitted_on)


def _confidence(fired: int, correct: int, field_rate: float) -> float:
    posterior = (correct + SHRINKAGE * field_rate) / (fired + SHRINKAGE)
    if fired < MIN_EVIDENCE:
        posterior = min(posterior, UNCALIBRATED_CAP)
    return round(posterior, 4)


def expected_calibration_error(
    pairs: Sequence[tuple[float, bool]], *, bins: int = 10
) -> float | None:
    """ECE over ``(confidence, correct)`` pairs with ``bins`` equal-width bins."""
    if not pairs:
        return None
    grouped: defaultdict[int, list[tuple[float, bool]]] = defaultdict(list)
    for confidence, correct in pairs:
        grouped[min(bins - 1, int(confidence * bins))].append((confidence, correct))
    total = len(pairs)
    error = 0.0
    for members in grouped.values():
        accuracy = sum(1 for _, ok in members if ok) / len(members)
        mean_confidence = sum(c for c, _ in members) / len(members)
        error += len(members) / total * abs(accuracy - mean_confidence)
    return error
