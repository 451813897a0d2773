"""Run the rules extractor over a CUAD folder and score it, in parallel, memory bounded.

Each worker process reads and extracts one contract at a time and sends back only the
chosen values (a few hundred bytes per contract), so memory stays flat whatever the
corpus size. Extraction runs uncalibrated (rule priors); the calibration table is
applied here, which lets one pass give the shipped table's figures, a refit table, and
a cross-validated calibration error (each fold's confidences come from a table fitted
on the other folds).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractsync.documents import read_document
from contractsync.errors import ConfigurationError
from contractsync.extraction._calibration import (
    AUTO_APPROVE_THRESHOLD,
    Calibration,
    expected_calibration_error,
    fit_calibration,
    load_calibration,
)
from contractsync.extraction._rules import RulesExtractor

from ._gold import SCORED_FIELDS, GoldContract, load_gold
from ._scoring import FieldScore

_FOLDS = 5
Proposal = tuple[Any, str, float]  # value, rule, prior confidence


@dataclass(frozen=True, slots=True)
class _Extracted:
    path: Path
    proposals: dict[str, Proposal]
    pages: int
    characters: int
    seconds: float
    error: str | None = None


@dataclass(slots=True)
class EvalReport:
    """Every figure of one evaluation run; ``to_json`` is what ``--json`` prints."""

    fields: dict[str, FieldScore]
    threshold: float
    documents: int = 0
    pages: int = 0
    characters: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    workers: int = 1
    ece: float | None = None
    ece_cross_validated: float | None = None
    auto_cross_validated: dict[str, dict[str, float | None]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    refit: Calibration | None = None

    def totals(self) -> dict[str, float | None]:
        proposed = sum(s.proposed for s in self.fields.values())
        right = sum(s.right for s in self.fields.values())
        auto = sum(s.auto_proposed for s in self.fields.values())
        auto_right = sum(s.auto_right for s in self.fields.values())
        answered = sum(s.answered for s in self.fields.values())
        return {
            "proposed": proposed,
            "precision": right / proposed if proposed else None,
            "recall": right / answered if answered else None,
            "auto_proposed": auto,
            "auto_precision": auto_right / auto if auto else None,
            "auto_coverage": auto / proposed if proposed else None,
            "auto_share_of_answers": auto_right / answered if answered else None,
        }

    def to_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name, score in self.fields.items():
            entry: dict[str, Any] = {
                "scored": score.scored,
                "unscorable": score.unscorable,
                "answered": score.answered,
                "proposed": score.proposed,
                "right": score.right,
                "accuracy": score.accuracy,
                "precision": score.precision,
                "recall": score.recall,
                "coverage": score.coverage,
                "auto_proposed": score.auto_proposed,
                "auto_precision": score.auto_precision,
                "auto_coverage": score.auto_coverage,
            }
            if name == "parties":
                precision, recall, f1 = score.name_f1()
                entry["names"] = {"precision": precision, "recall": recall, "f1": f1}
            fields[name] = entry
        per_core = self.cpu_seconds or self.seconds
        return {
            "documents": self.documents,
            "pages": self.pages,
            "characters": self.characters,
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
            "pages_per_second_per_core": self.pages / per_core if per_core else None,
            "characters_per_second_per_core": self.characters / per_core if per_core else None,
            "threshold": self.threshold,
            "fields": fields,
            "overall": self.totals(),
            "ece": self.ece,
            "ece_cross_validated": self.ece_cross_validated,
            "auto_cross_validated": self.auto_cross_validated,
            "errors": self.errors,
        }


def evaluate_cuad(
    root: Path,
    *,
    threshold: float = AUTO_APPROVE_THRESHOLD,
    workers: int | None = None,
    calibration: Calibration | None = None,
    limit: int | None = None,
    on_document: Callable[[], None] | None = None,
) -> EvalReport:
    """Extract every contract of the CUAD folder ``root`` and score the values.

    Args:
        threshold: the auto-approve confidence threshold the ``auto_*`` figures use.
        workers: processes (default: the CPU count); 1 runs in this process.
        calibration: the table to score with (default: the shipped one).
        limit: only the first ``limit`` contracts (quick checks, tests).
        on_document: called after each contract (progress bars).
    """
    if not (root / "master_clauses.csv").is_file():
        raise ConfigurationError(
            f"{root} is not a CUAD folder: it has no master_clauses.csv. Point to the folder "
            "holding master_clauses.csv and full_contract_txt/."
        )
    gold = load_gold(root)[:limit]
    table = load_calibration() if calibration is None else calibration
    workers = workers or os.cpu_count() or 1
    report = EvalReport(fields={name: FieldScore(name) for name in SCORED_FIELDS},
                        threshold=threshold, workers=workers)  # fmt: skip
    started = time.perf_counter()
    by_path = {contract.path: contract for contract in gold}
    outcomes: list[tuple[int, str, str, float, bool]] = []
    for index, extracted in enumerate(_extract_all([c.path for c in gold], workers)):
        contract = by_path[extracted.path]
        report.documents += 1
        report.pages += extracted.pages
        report.characters += extracted.characters
        report.cpu_seconds += extracted.seconds
        if extracted.error:
            report.errors.append(f"{contract.name}: {extracted.error}")
        _score(report, contract=contract, extracted=extracted, table=table,
               threshold=threshold, outcomes=outcomes, index=index)  # fmt: skip
        if on_document is not None:
            on_document()
    report.seconds = time.perf_counter() - started
    pairs = [(confidence, correct) for _, _, _, confidence, correct in outcomes]
    report.ece = expected_calibration_error(pairs)
    report.ece_cross_validated = _cross_validated_ece(outcomes)
    report.auto_cross_validated = _cross_validated_auto(outcomes, threshold)
    report.refit = fit_calibration(
        ((name, rule, correct) for _, name, rule, _, correct in outcomes),
        fitted_on=f"CUAD dev: {root.name}, {report.documents} contracts",
    )
    return report


def _score(
    report: EvalReport,
    *,
    contract: GoldContract,
    extracted: _Extracted,
    table: Calibration,
    threshold: float,
    outcomes: list[tuple[int, str, str, float, bool]],
    index: int,
) -> None:
    for name in SCORED_FIELDS:
        proposal = extracted.proposals.get(name)
        value, rule, prior = proposal if proposal else (None, "", 0.0)
        confidence = table.lookup(name, rule, prior) if proposal else None
        correct = report.fields[name].add(
            value, confidence, rule, contract.answers[name], threshold
        )
        if correct is not None and confidence is not None:
            outcomes.append((index, name, rule, confidence, correct))


def _cross_validated_ece(outcomes: list[tuple[int, str, str, float, bool]]) -> float | None:
    pairs: list[tuple[float, bool]] = []
    for fold in range(_FOLDS):
        table = fit_calibration(
            (name, rule, ok) for index, name, rule, _, ok in outcomes if index % _FOLDS != fold
        )
        pairs.extend(
            (table.lookup(name, rule, 0.5), ok)
            for index, name, rule, _, ok in outcomes
            if index % _FOLDS == fold
        )
    return expected_calibration_error(pairs)


def _cross_validated_auto(
    outcomes: list[tuple[int, str, str, float, bool]], threshold: float
) -> dict[str, dict[str, float | None]]:
    """Auto-approve precision and coverage per field and overall (``"all"``), each value
    judged by a table fitted on the other folds, so a rule is not credited with its own hits.
    """
    counts: dict[str, list[int]] = {}  # proposed, auto, auto right
    for fold in range(_FOLDS):
        table = fit_calibration(
            (name, rule, ok) for index, name, rule, _, ok in outcomes if index % _FOLDS != fold
        )
        for index, name, rule, _, ok in outcomes:
            if index % _FOLDS != fold:
                continue
            auto = table.lookup(name, rule, 0.5) >= threshold
            for key in (name, "all"):
                entry = counts.setdefault(key, [0, 0, 0])
                entry[0] += 1
                entry[1] += auto
                entry[2] += auto and ok
    return {
        key: {
            "auto_precision": right / auto if auto else None,
            "auto_coverage": auto / proposed if proposed else None,
        }
        for key, (proposed, auto, right) in counts.items()
    }


def _extract_all(paths: list[Path], workers: int) -> Iterator[_Extracted]:
    if workers <= 1:
        yield from map(_extract_one, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_extract_one, paths, chunksize=2)


_EXTRACTOR: RulesExtractor | None = None


def _extract_one(path: Path) -> _Extracted:
    global _EXTRACTOR  # noqa: PLW0603 - one extractor per worker process, built on first use
    if _EXTRACTOR is None:
        _EXTRACTOR = RulesExtractor(calibration=Calibration())
    started = time.process_time()
    try:
        document = read_document(path)
        candidates = _EXTRACTOR.extract(document)
    except Exception as error:  # noqa: BLE001 - one bad contract is reported, not fatal
        return _Extracted(
            path, {}, 0, 0, time.process_time() - started, f"{type(error).__name__}: {error}"
        )
    proposals = {
        c.field: (c.value, c.rule, c.confidence) for c in candidates if c.field in SCORED_FIELDS
    }
    seconds = time.process_time() - started
    return _Extracted(path, proposals, len(document.pages), len(document.text), seconds)
