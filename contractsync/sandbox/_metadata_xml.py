"""Guarded XML reading for the Metadata API: SOAP envelopes and the files inside deploy zips.

Both come from clients, so the parser refuses any document type declaration (and with it
every entity definition: no "billion laughs", no external entities) the way Salesforce's
Xerces does, and bounds the input size. It builds ordinary ``ElementTree`` elements with
``{namespace}local`` tags and remembers where each element starts, because deploy failures
report ``lineNumber``/``columnNumber`` (salesforce-api.md 9).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

__all__ = [
    "METADATA_NS",
    "UnsafeXmlError",
    "XmlDocument",
    "XmlError",
    "child",
    "child_text",
    "children",
    "local_name",
    "parse_xml",
]

METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
# Salesforce parses with Xerces and "disallow-doctype-decl"; this is the message it returns.
_DOCTYPE_REFUSED = (
    'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/'
    'disallow-doctype-decl" set to true.'
)


class XmlError(ValueError):
    """A document that is not well-formed XML."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class UnsafeXmlError(XmlError):
    """A document with a DTD, entity declarations or over the size limit."""


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed document and the (line, column) where each element starts (1-based)."""

    root: ET.Element
    positions: dict[ET.Element, tuple[int, int]]

    def position(self, element: ET.Element) -> tuple[int, int]:
        return self.positions.get(element, (0, 0))


def _refuse_doctype(*_args: object) -> None:
    raise UnsafeXmlError(_DOCTYPE_REFUSED)


def parse_xml(data: bytes, *, max_bytes: int) -> XmlDocument:
    """Parse ``data`` with expat, refusing DTDs and entity declarations.

    Raises:
        UnsafeXmlError: the document declares a DTD or entities, or exceeds ``max_bytes``.
        XmlError: the document is not well-formed.
    """
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"document of {len(data)} bytes exceeds the {max_bytes} byte limit")
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[ET.Element] = []
    text: list[list[str]] = []
    positions: dict[ET.Element, tuple[int, int]] = {}
    roots: list[ET.Element] = []

    def qualified(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attributes: dict[str, str]) -> None:
        element = ET.Element(qualified(name), {qualified(k): v for k, v in attributes.items()})
        positions[element] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        if stack:
            stack[-1].append(element)
        else:
            roots.append(element)
        stack.append(element)
        text.append([])

    def end(_name: str) -> None:
        element = stack.pop()
        content = "".join(text.pop())
        if len(element):
            # Mixed content does not occur in metadata; keep only leaf text.
            content = content if content.strip() else ""
        element.text = content or None

    def characters(data: str) -> None:
        if text:
            text[-1].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except expat.ExpatError as bad:
        raise XmlError(expat.errors.messages[bad.code], bad.lineno, bad.offset + 1) from None
    if not roots:
        raise XmlError("Premature end of file.")
    return XmlDocument(roots[0], positions)


def local_name(element: ET.Element) -> str:
    """The tag without its namespace."""
    return element.tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children named ``name`` in any namespace."""
    return (c for c in element if local_name(c) == name)


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next(children(element, name), None)


def child_text(element: ET.Element, name: str) -> str | None:
    """Stripped text of the first child named ``name``; None when absent or empty."""
    found = child(element, name)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None
