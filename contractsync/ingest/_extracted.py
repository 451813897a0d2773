"""From one document's extraction to a canonical contract record, and back into the store.

Pure functions, no I/O: the import workflow (``_import``) calls them between its steps.

* ``document_title`` and ``contract_key_for`` give a document a title and a stable key:
  the same bytes always get the same key, so importing a file twice finds its record.
* ``contract_from_extraction`` turns each extracted field into a ``Tracked`` value with
  its provenance and the review gate's decision.
* ``merge_reimport`` keeps what people decided: a value a reviewer approved, edited or
  rejected, or typed in, is never overwritten by a machine reading of the same document.
* ``amendment_from_extraction`` and ``find_amended`` attach an amendment to the contract
  it amends, when its title, date and parties say which one that is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from contractsync.documents import DocumentText
from contractsync.extraction import AmendmentInfo, DocumentExtraction, value_json
from contractsync.model import (
    Amendment,
    Contract,
    ContractType,
    DocumentRef,
    LifecycleStatus,
    ReviewState,
    field_dictionary,
)
from contractsync.review import ReviewPolicy, gate

_TITLE_WORDS = re.compile(
    r"\b(?:agreement|contract|amendment|addendum|license|licence|lease|memorandum|deed|"
    r"terms\s+and\s+conditions|statement\s+of\s+work|order\s+form|understanding)\b",
    re.IGNORECASE,
)
_NOT_TITLE = re.compile(
    r"^(?:exhibit|schedule|annex|appendix|attachment)\b[\s\d.\-()A-Za-z]{0,12}$|confidential|"
    r"redacted|omitted|^source:|^page\s+\d|^\[?\*|table\s+of\s+contents|^execution\s+"
    r"(?:copy|version)|witness|^(?:section|article)\b|^[\d•\-\u2013(]|^[A-Z]\.\s|contract\s+(?:no|number)"
    r"|\b(?:shall|will|may|agrees?|hereby|herein|undersigned)\b|^form\s+of\b|[:;]\s*$",
    re.IGNORECASE,
)
_LEADING_EXHIBIT = re.compile(r"^exhibit\s+[\w.()-]+\s+", re.IGNORECASE)
_TRAILING_PAGE = re.compile(r"\s*[-\u2013]?\s*page\s+\d+(?:\s+of\s+\d+)?\s*$", re.IGNORECASE)
_SENTENCE = re.compile(r"^(?:this|these|the\s+parties|whereas|now,?\s+therefore)\b", re.IGNORECASE)
_THIS_AGREEMENT = re.compile(
    r"\bThis\s+(?P<title>(?:[A-Z][\w&/-]*\s+){0,6}?(?:Agreement|Contract|Amendment|License|Lease))\b"
)
_SMALL_WORDS = frozenset({"and", "of", "the", "to", "for", "in", "on", "a", "an", "or", "by"})
_HEAD_LINES = 40
_TITLE_LIMIT = 120
_HUMAN = frozenset({ReviewState.APPROVED, ReviewState.EDITED, ReviewState.REJECTED})
_TYPES = (
    (re.compile(r"master\s+services?", re.I), ContractType.MASTER_SERVICES),
    (re.compile(r"statement\s+of\s+work", re.I), ContractType.STATEMENT_OF_WORK),
    (re.compile(r"non-?disclosure|confidentiality", re.I), ContractType.NDA),
    (re.compile(r"subscription", re.I), ContractType.SUBSCRIPTION),
    (re.compile(r"licen[cs]e|franchise", re.I), ContractType.LICENSE),
    (re.compile(r"supply|manufactur", re.I), ContractType.SUPPLY),
    (re.compile(r"distribut", re.I), ContractType.DISTRIBUTION),
    (re.compile(r"resell", re.I), ContractType.RESELLER),
    (re.compile(r"sponsor|endorse", re.I), ContractType.SPONSORSHIP),
    (re.compile(r"maintenance|support", re.I), ContractType.MAINTENANCE),
    (re.compile(r"partner|joint\s+venture|collaborat|alliance", re.I), ContractType.PARTNERSHIP),
    (re.compile(r"servic|consult|outsourc|hosting", re.I), ContractType.SERVICES),
)


def document_title(document: DocumentText) -> str:
    """The document's title: its first heading that names a kind of agreement.

    Falls back to ``This … Agreement`` in the opening sentence, then to the file name.
    Titles in capitals are put in title case (``SUPPLY AGREEMENT`` → ``Supply Agreement``).
    """
    text = document.clean_text()[:6000]
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_HEAD_LINES]
    for line in lines:
        # Multi-column layouts put the title and other text on one line, far apart.
        head = re.split(r"\s{3,}", line)[0].strip(" .,")
        head = _TRAILING_PAGE.sub("", _LEADING_EXHIBIT.sub("", head)).strip(" .,")
        if _is_heading(head):
            return _title_case(head)
    opening = _THIS_AGREEMENT.search(text)
    if opening is not None:
        return _title_case(opening["title"])
    stem = re.sub(r"[_\s]+", " ", document.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip()
    return stem[:_TITLE_LIMIT] or "Untitled contract"


def _is_heading(line: str) -> bool:
    """A short line naming a kind of agreement, in capitals or title case, not a sentence."""
    if not 3 <= len(line) <= _TITLE_LIMIT or not _TITLE_WORDS.search(line) or line[0] in "\"“'":
        return False
    if _NOT_TITLE.search(line) or _SENTENCE.match(line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'&-]*", line) if w.casefold() not in _SMALL_WORDS]
    capitalised = sum(1 for word in words if word[0].isupper())
    return bool(words) and capitalised / len(words) >= 0.75 and len(words) <= 14


def _title_case(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    if title != title.upper():
        return title
    words = [
        w.lower() if w.lower() in _SMALL_WORDS else w.capitalize() if w.isalpha() else w
        for w in title.split()
    ]
    if words:
        words[0] = words[0].capitalize()
    return " ".join(words)


def contract_key_for(title: str, sha256: str, prefix: str | None = None) -> str:
    """A stable key: ``[prefix-]slug-of-the-title-<first 10 hex digits of the SHA-256>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:40].strip("-") or "contract"
    parts = [_key_part(prefix)] if prefix else []
    parts += [slug, sha256[:10]]
    return "-".join(part for part in parts if part)[:80]


def _key_part(prefix: str) -> str:
    return re.sub(r"[^A-Za-z0-9._:-]+", "-", prefix).strip("-._:")[:24]


def contract_type_for(title: str) -> ContractType:
    """The contract type its title names, or ``other``."""
    for pattern, kind in _TYPES:
        if pattern.search(title):
            return kind
    return ContractType.OTHER


def document_ref(document: DocumentText, *, name: str, size: int, role: str) -> DocumentRef:
    return DocumentRef.model_validate(
        {
            "sha256": document.sha256,
            "name": name[:255],
            "media_type": str(document.media_type),
            "size_bytes": size,
            "pages": len(document.pages),
            "role": role,
        }
    )


def contract_from_extraction(
    extraction: DocumentExtraction,
    *,
    key: str,
    title: str,
    document: DocumentRef,
    policy: ReviewPolicy,
) -> tuple[Contract, list[str]]:
    """The canonical record for one document, and the fields dropped as inconsistent.

    Every field is ``Tracked`` with provenance (source, confidence, evidence) and the gate's
    review. The record is ``in_review`` when any value waits for a person, else ``draft``.
    """
    source = extraction.document
    base: dict[str, Any] = {
        "contract_key": key,
        "title": title[:255],
        "contract_type": contract_type_for(title).value,
        "documents": [document.model_dump(mode="json")],
    }
    fields: dict[str, Any] = {}
    for name, candidate in sorted(extraction.fields.items()):
        if name not in Contract.model_fields or name == "obligations":
            continue
        tracked = candidate.to_tracked(source).model_copy(
            update={"review": gate(policy, name, candidate.confidence)}
        )
        fields[name] = tracked.model_dump(mode="json")
    obligations = []
    keys: set[str] = set()
    for candidate in extraction.obligations:
        tracked = candidate.to_tracked(source).model_copy(
            update={"review": gate(policy, "obligations", candidate.confidence)}
        )
        data = tracked.model_dump(mode="json")
        data["value"]["key"] = _unique(str(data["value"]["key"]), keys)
        obligations.append(data)
    if obligations:
        fields["obligations"] = obligations
    kept, dropped = _consistent_fields(base, fields)
    pending = _pending(kept)
    status = LifecycleStatus.IN_REVIEW if pending else LifecycleStatus.DRAFT
    record = Contract.parse_record(
        {**base, **kept, "status": status.value}, source=f"document '{source.name}'"
    )
    return record, dropped


def _unique(key: str, seen: set[str]) -> str:
    candidate, number = key, 1
    while candidate in seen:
        number += 1
        candidate = f"{key}-{number}"
    seen.add(candidate)
    return candidate


def _consistent_fields(
    base: dict[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The fields that make a valid record together; one that cannot is dropped.

    Each value is valid on its own (the extractors produce canonical types), but two can
    disagree (an expiration read before the effective date): the later field is dropped
    and reported, rather than losing the whole document.
    """
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for name, value in fields.items():
        trial = {**base, **kept, name: value}
        try:
            Contract.model_validate(trial)
        except ValueError:
            dropped.append(name)
            continue
        kept[name] = value
    return kept, dropped


def _pending(fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        items = value if name == "obligations" else [value]
        if any(item["review"]["state"] == ReviewState.PENDING.value for item in items):
            return True
    return False


def review_counts(contract: Contract) -> tuple[int, int]:
    """``(auto-approved, pending)`` values of a record, obligations included."""
    auto = pending = 0
    for name in field_dictionary().names():
        value = getattr(contract, name, None)
        items = value if isinstance(value, tuple) else [value] if value is not None else []
        for item in items:
            state = item.review.state
            auto += state is ReviewState.AUTO_APPROVED
            pending += state is ReviewState.PENDING
    return auto, pending


def merge_reimport(stored: Contract, imported: Contract) -> Contract:
    """The stored record updated with a new reading of its document.

    Machine values are replaced by the new reading; values a person decided on (approved,
    edited, rejected) or typed in are kept. Identity, type, owners, amendments and the
    lifecycle status stay as stored, except that a draft with values now waiting for review
    moves to ``in_review``.
    """
    data = stored.model_dump(mode="json")
    fresh = imported.model_dump(mode="json")
    for name in field_dictionary().names():
        if name not in Contract.model_fields:
            continue
        if name == "obligations":
            if not any(_decided_by_person(item) for item in data.get(name) or []):
                data[name] = fresh.get(name) or []
            continue
        current = data.get(name)
        if current is None or not _decided_by_person(current):
            data[name] = fresh.get(name)
    known = {document["sha256"] for document in data["documents"]}
    data["documents"] += [d for d in fresh["documents"] if d["sha256"] not in known]
    if stored.status is LifecycleStatus.DRAFT and imported.status is LifecycleStatus.IN_REVIEW:
        data["status"] = LifecycleStatus.IN_REVIEW.value
    return Contract.parse_record(data, source=f"contract '{stored.contract_key}'")


def _decided_by_person(tracked: dict[str, Any]) -> bool:
    source = str((tracked.get("provenance") or {}).get("source", ""))
    return tracked["review"]["state"] in _HUMAN or source.startswith("person:")


def amendment_from_extraction(
    extraction: DocumentExtraction, *, key: str, document: DocumentRef
) -> Amendment | None:
    """The ``Amendment`` an amendment document makes, or None without its effective date."""
    info = extraction.amendment
    if info is None or info.effective_date is None:
        return None
    changes = {
        name: value_json(candidate.value)
        for name, candidate in sorted(extraction.fields.items())
        if name in Contract.model_fields and name != "obligations"
    }
    summary = f"Amends the {info.amends or 'agreement'}"
    if info.amended_agreement_date is not None:
        summary += f" dated {info.amended_agreement_date.isoformat()}"
    summary += ": changes " + (", ".join(changes) if changes else "no term the extractors read")
    sources = sorted({c.source for c in extraction.fields.values()})
    if sources:
        summary += f" (read by {', '.join(sources)}; check against the document)"
    provenance = {
        name: candidate.to_tracked(extraction.document).provenance
        for name, candidate in extraction.fields.items()
        if name in changes
    }
    return Amendment(
        key=f"amendment-{document.sha256[:12]}",
        title=info.title[:255] or "Amendment",
        effective_date=info.effective_date,
        document_sha256=document.sha256,
        summary=summary,
        changes=changes,
        provenance={name: p for name, p in provenance.items() if p is not None},
    )


def with_amendment(contract: Contract, amendment: Amendment, document: DocumentRef) -> Contract:
    """The contract with ``amendment`` (replacing one with the same key) and its document."""
    amendments = [a for a in contract.amendments if a.key != amendment.key] + [amendment]
    amendments.sort(key=lambda a: (a.effective_date, a.key))
    documents = list(contract.documents)
    if all(d.sha256 != document.sha256 for d in documents):
        documents.append(document)
    update: dict[str, Any] = {"amendments": tuple(amendments), "documents": tuple(documents)}
    if contract.status is LifecycleStatus.DRAFT:
        update["status"] = LifecycleStatus.IN_REVIEW
    return contract.model_copy(update=update)


def find_amended(info: AmendmentInfo, contracts: Iterable[Contract]) -> Contract | None:
    """The one contract an amendment amends, or None when none or several fit.

    Three kinds of evidence count: the amended agreement's date (its agreement or effective
    date), its title, and its parties. A match needs two kinds, and a single best score.
    """
    scored: list[tuple[int, Contract]] = []
    for contract in contracts:
        kinds = [_date_score(info, contract), _title_score(info, contract),
                 _party_score(info, contract)]  # fmt: skip
        if sum(1 for score in kinds if score) >= 2:
            scored.append((sum(kinds), contract))
    if not scored:
        return None
    scored.sort(key=lambda item: -item[0])
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _date_score(info: AmendmentInfo, contract: Contract) -> int:
    if info.amended_agreement_date is None:
        return 0
    dates = {
        tracked.value
        for tracked in (contract.agreement_date, contract.effective_date)
        if tracked is not None
    }
    return 2 if info.amended_agreement_date in dates else 0


def _title_score(info: AmendmentInfo, contract: Contract) -> int:
    if not info.amends:
        return 0
    amends, title = _words(info.amends), _words(contract.title)
    meaningful = amends - {"agreement", "contract", "the", "that", "certain"}
    if not meaningful:
        return 0
    if amends == title:
        return 2
    return 1 if meaningful <= title else 0


def _party_score(info: AmendmentInfo, contract: Contract) -> int:
    if not info.parties or contract.parties is None:
        return 0
    theirs = [_name(p.name) for p in contract.parties.value]
    shared = sum(
        1 for party in info.parties if any(_same_name(_name(party.name), n) for n in theirs)
    )
    return min(shared, 2)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


def _name(name: str) -> str:
    key = re.sub(r"[^a-z0-9 ]+", " ", name.casefold())
    key = re.sub(r"\b(?:the|inc|incorporated|llc|ltd|limited|corp|corporation|co|plc)\b", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def _same_name(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)))
