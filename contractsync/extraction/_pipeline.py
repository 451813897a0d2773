"""Extract a document: run the extractors, reconcile, and handle amendments.

    from contractsync.documents import read_document
    from contractsync.extraction import extract_document

    result = extract_document(read_document("supply.pdf"))
    law = result.fields["governing_law"].to_tracked(result.document)

The default extractor list is the offline ``RulesExtractor``; an ``LlmExtractor`` can be
added (see ``default_extractors``). An extractor that fails is reported in
``errors`` and the others' results are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from contractsync.documents import DocumentText
from contractsync.errors import ExtractionError

from ._amendment import changed_terms, recognise_amendment
from ._candidate import Candidate
from ._llm import LlmConfig, LlmExtractor
from ._protocol import DocumentExtraction, Extractor
from ._reconcile import reconcile
from ._rules import RulesExtractor
from ._text import ContractText

logger = logging.getLogger(__name__)


def default_extractors(environ: Mapping[str, str] | None = None) -> list[Extractor]:
    """The rules extractor, plus the LLM extractor when the environment enables it."""
    extractors: list[Extractor] = [RulesExtractor()]
    config = LlmConfig.from_env(environ)
    if config is not None:
        extractors.append(LlmExtractor(config))
    return extractors


def extract_document(
    document: DocumentText, extractors: Sequence[Extractor] | None = None
) -> DocumentExtraction:
    """Every field's reconciled candidate for one document, with evidence and confidence."""
    extractors = list(extractors) if extractors is not None else [RulesExtractor()]
    proposals: list[Candidate] = []
    errors: list[str] = []
    for extractor in extractors:
        try:
            proposals.extend(extractor.extract(document))
        except ExtractionError as error:
            logger.warning("extractor_failed extractor=%s document=%s", extractor.name,
                           document.name)  # fmt: skip
            errors.append(f"{extractor.name}: {error}")
    text = ContractText(document)
    amendment = recognise_amendment(text, proposals)
    if amendment is not None:
        proposals = changed_terms(text, proposals)
    fields, obligations = reconcile(proposals)
    return DocumentExtraction(
        document=document,
        fields=fields,
        obligations=obligations,
        candidates=tuple(proposals),
        amendment=amendment,
        errors=tuple(errors),
    )
