"""Flate bombs in PDFs: the file's compressed streams are measured before PDFium opens it.

PDFium inflates a page's content streams and fonts whole when it loads the page, and has
no hook to stop it: 200 KB of Flate data holding drawing operators inflated to 200 MB and
cost 2 GB of memory and 7 s in one page load. So every Flate stream in the file is inflated
here first, a chunk at a time with the output counted and dropped, and a file whose
streams inflate past ``ReadLimits`` is refused. Nested Flate layers
(``/Filter [/FlateDecode /FlateDecode]``) are followed, since each multiplies the last, and
Flate behind an ASCII85 or hex armour (``/Filter [/ASCII85Decode /FlateDecode]``) is
measured after the armour is taken off. (LZW, rare and with a bounded ratio, is not.)

Images are not inflated here: PDFium decodes an image only to render it, row by row and
no further than its declared size, and ``_pdf`` checks that size before rendering. (A
content stream that claims to be an image would slip past; PDFium offers no way to tell
which streams a page uses before it loads the page.) Streams of an encrypted PDF are
ciphertext and cannot be measured.
"""

from __future__ import annotations

import base64
import binascii
import mmap
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from contractsync.documents._limits import ReadLimits
from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError

# PDFium takes "stream" followed by anything up to the end of the line as the keyword;
# "endstream" is excluded by the look-behind.
_STREAM_KEYWORD = re.compile(rb"(?<![A-Za-z0-9])stream(?![A-Za-z0-9])[^\r\n]*(?:\r\n?|\n)")
_IMAGE_SUBTYPE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z0-9])")
_FIRST_FILTER = re.compile(rb"/Filter\s*\[?\s*/(?P<name>[A-Za-z0-9]+)")
_ARMOUR = frozenset({b"ASCII85Decode", b"A85", b"ASCIIHexDecode", b"AHx"})
# How far before the keyword a stream's dictionary is looked for; image dictionaries are
# a few hundred bytes.
_DICTIONARY_WINDOW = 4096
_CHUNK = 1 << 16
# Real files never nest Flate; a bomb nests it to multiply its ratio.
_MAX_LAYERS = 4

_Buffer = bytes | mmap.mmap


def check_pdf_streams(source: DocumentSource, limits: ReadLimits) -> None:
    """Refuse a PDF whose compressed streams inflate past ``max_stream_bytes`` each or
    ``max_unzipped_bytes`` in all, without holding any of them inflated."""
    total = 0
    with _mapped(source) as data:
        position = 0
        for match in _STREAM_KEYWORD.finditer(data):
            start = match.end()
            if start < position or _is_image(data, match.start()):
                continue
            budget = min(limits.max_stream_bytes, limits.max_unzipped_bytes - total)
            if _is_zlib(data[start : start + 2]):
                size, position = _inflated_size(data, start, budget)
            elif (armoured := _armoured_flate(data, match.start(), start)) is not None:
                # Flate behind ASCII85 or hex: decoded (at most the file's size), then
                # measured like any other Flate data.
                size, _ = _inflated_size(armoured, 0, budget)
            else:
                continue
            if size > limits.max_stream_bytes:
                raise _stream_bomb(source, match.start(), limits.max_stream_bytes)
            total += size
            if total > limits.max_unzipped_bytes:
                raise _document_bomb(source, limits.max_unzipped_bytes)


@contextmanager
def _mapped(source: DocumentSource) -> Iterator[_Buffer]:
    """The file's bytes, mapped rather than read, so a large PDF is never held whole."""
    if source.data is not None:
        yield source.data
        return
    with source.open() as stream:
        if source.size() == 0:
            yield b""
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def _is_zlib(data: bytes) -> bool:
    # PDFium's Flate decoder wants zlib's two-byte header (RFC 1950): deflate, a valid
    # window, no preset dictionary, and the check bits. Anything else is not Flate to it.
    if len(data) < 2:
        return False
    method, flags = data[0], data[1]
    return (
        method & 0x0F == 8
        and method >> 4 <= 7
        and not flags & 0x20
        and ((method << 8) | flags) % 31 == 0
    )


def _armoured_flate(data: _Buffer, keyword: int, start: int) -> bytes | None:
    """The Flate data of a stream whose first filter is ASCII85 or ASCIIHex, if any."""
    window = bytes(data[max(0, keyword - _DICTIONARY_WINDOW) : keyword])
    dictionary = window[window.rfind(b"obj") + 1 :]
    first = _FIRST_FILTER.search(dictionary)
    if first is None or first["name"] not in _ARMOUR:
        return None
    end = data.find(b"endstream", start)
    if end < 0:
        return None
    text = bytes(data[start:end])
    try:
        if first["name"] in {b"ASCII85Decode", b"A85"}:
            body = text.strip()
            body = body.removesuffix(b"~>") if body.endswith(b"~>") else body
            decoded = base64.a85decode(body, ignorechars=b" \t\r\n\f\x00")
        else:
            hex_digits = re.sub(rb"\s", b"", text).removesuffix(b">")
            decoded = binascii.unhexlify(hex_digits + b"0" * (len(hex_digits) % 2))
    except (ValueError, binascii.Error):
        return None  # PDFium would fail to decode it as well
    return decoded if _is_zlib(decoded[:2]) else None


def _is_image(data: _Buffer, keyword: int) -> bool:
    window = bytes(data[max(0, keyword - _DICTIONARY_WINDOW) : keyword])
    # The dictionary starts after this object's "N 0 obj" header.
    dictionary = window[window.rfind(b"obj") + 1 :]
    return _IMAGE_SUBTYPE.search(dictionary) is not None


@dataclass(slots=True)
class _Layers:
    """Nested Flate decoders, each fed the output of the one before. Their sizes are
    summed: PDFium holds every layer's output at once while it decodes."""

    limit: int
    decoders: list[Any] = field(default_factory=lambda: [zlib.decompressobj()])
    sizes: list[int] = field(default_factory=lambda: [0])

    @property
    def total(self) -> int:
        return sum(self.sizes)

    def feed(self, level: int, chunk: bytes) -> None:
        decoder = self.decoders[level]
        while chunk and not decoder.eof and self.total <= self.limit:
            out = decoder.decompress(chunk, _CHUNK)
            chunk = decoder.unconsumed_tail
            if not out:
                return
            first_output = self.sizes[level] == 0
            if first_output and len(self.decoders) == level + 1 < _MAX_LAYERS and _is_zlib(out):
                self.decoders.append(zlib.decompressobj())
                self.sizes.append(0)
            self.sizes[level] += len(out)
            if level + 1 < len(self.decoders):
                self._feed_inner(level + 1, out)

    def _feed_inner(self, level: int, chunk: bytes) -> None:
        try:
            self.feed(level, chunk)
        except zlib.error:
            # Output that merely began like zlib: it is this layer's data, not a layer.
            del self.decoders[level:]
            del self.sizes[level:]


def _inflated_size(data: _Buffer, start: int, limit: int) -> tuple[int, int]:
    """What the Flate data at ``start`` inflates to (counted until past ``limit``), and
    where its compressed data ends."""
    layers = _Layers(limit)
    position = start
    end = len(data)
    while position < end and not layers.decoders[0].eof and layers.total <= limit:
        chunk = bytes(data[position : position + _CHUNK])
        position += len(chunk)
        try:
            layers.feed(0, chunk)
        except zlib.error:
            # Damaged or not Flate after all: PDFium would stop here too.
            return layers.total, start
    if layers.decoders[0].eof:
        position -= len(layers.decoders[0].unused_data)
    return layers.total, position


def _stream_bomb(source: DocumentSource, offset: int, limit: int) -> DocumentError:
    return DocumentError(
        f"PDF {source.name!r} holds a compressed stream (at byte {offset:,}) that inflates "
        f"to more than {limit:,} bytes, over ReadLimits.max_stream_bytes: a possible "
        "decompression bomb. Ask the sender for the original file, or raise "
        "ReadLimits.max_stream_bytes if the file is trusted.",
        document=source.name,
        offset=offset,
    )


def _document_bomb(source: DocumentSource, limit: int) -> DocumentError:
    return DocumentError(
        f"PDF {source.name!r} holds compressed streams that inflate to more than {limit:,} "
        "bytes in all, over ReadLimits.max_unzipped_bytes: a possible decompression bomb. "
        "Ask the sender for the original file, or raise ReadLimits.max_unzipped_bytes if "
        "the file is trusted.",
        document=source.name,
    )
