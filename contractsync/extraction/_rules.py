"""The default, offline extractor: rules over the contract's text plus normalisers.

``RulesExtractor.extract`` runs every field rule over the document's clean text and
keeps, per field, the candidate its rule ranks first; confidences come from the
calibration table (see ``_calibration``). It is deterministic and needs no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from contractsync.documents import DocumentText

from ._calibration import Calibration, load_calibration
from ._candidate import Candidate
from ._rules_commercial import commercial_terms
from ._rules_dates import dates
from ._rules_expiration import term
from ._rules_law import governing_law
from ._rules_obligations import obligations
from ._rules_parties import parties
from ._rules_tables import labelled_lines, table_rows, table_term_end
from ._rules_term import renewal, termination_for_convenience
from ._text import ContractText

RULES_VERSION = "1.0"


class RulesExtractor:
    """Pattern rules for every extractable canonical field; offline and deterministic.

    Args:
        calibration: the confidence table; the shipped one by default. Pass
            ``Calibration()`` for the rules' uncalibrated priors (what calibration is
            fitted on).
    """

    name = "rules"
    version = RULES_VERSION

    def __init__(self, calibration: Calibration | None = None) -> None:
        self.calibration = load_calibration() if calibration is None else calibration

    def extract(self, document: DocumentText) -> Sequence[Candidate]:
        text = ContractText(document)
        found: list[Candidate] = []
        found.extend(parties(text))
        date_candidates = dates(text)
        found.extend(date_candidates)
        # A labelled table row ("Term | 36 months") is the deal's stated value.
        rows = table_rows(text)
        starts: dict[str, date] = {
            c.field: c.value for c in [*rows, *date_candidates] if isinstance(c.value, date)
        }
        found.extend(rows)
        prose_term = term(text, starts)
        found.extend(prose_term)
        if not any(c.field == "expiration_date" for c in prose_term):
            found.extend(table_term_end(rows, starts))
        found.extend(renewal(text))
        found.extend(governing_law(text))
        found.extend(termination_for_convenience(text))
        found.extend(commercial_terms(text))
        found.extend(obligations(text))
        # "Label: value" lines also head schedules and notices: they only fill what the
        # prose left unread.
        found.extend(labelled_lines(text))
        stamped = [replace(c, extractor=self.name, version=self.version) for c in found]
        return self.calibration.apply(_first_per_field(stamped))


def _first_per_field(candidates: list[Candidate]) -> list[Candidate]:
    kept: dict[str, Candidate] = {}
    listed: list[Candidate] = []
    for candidate in candidates:
        if candidate.field == "obligations":
            listed.append(candidate)
        else:
            kept.setdefault(candidate.field, candidate)
    return [*kept.values(), *listed]
