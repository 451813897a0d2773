"""The one interface every extractor implements, and what extracting a document returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from contractsync.documents import DocumentText
from contractsync.model import Party

from ._candidate import Candidate


@runtime_checkable
class Extractor(Protocol):
    """Reads candidates for canonical fields out of a document's text.

    An extractor never raises for a field it cannot find: it proposes nothing for it.
    It raises ``ExtractionError`` only when it cannot work at all (an endpoint refused).
    """

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def extract(self, document: DocumentText) -> Sequence[Candidate]: ...


@dataclass(frozen=True, slots=True)
class AmendmentInfo:
    """What an amendment document says about itself: its title, what it amends, and who.

    ``parties`` are the parties the amendment names; they are not a change it makes, but
    they help find the agreement it amends.
    """

    title: str
    amends: str | None = None
    amended_agreement_date: date | None = None
    effective_date: date | None = None
    parties: tuple[Party, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentExtraction:
    """The reconciled outcome for one document: one candidate per field, plus obligations.

    ``fields`` holds one candidate per single-valued field; ``obligations`` the obligations
    found; ``candidates`` every proposal made, for review screens that show alternatives.
    For an amendment, ``amendment`` is set and ``fields`` holds only what it changes.
    """

    document: DocumentText
    fields: dict[str, Candidate]
    obligations: tuple[Candidate, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    amendment: AmendmentInfo | None = None
    errors: tuple[str, ...] = field(default=())

    @property
    def is_amendment(self) -> bool:
        return self.amendment is not None
