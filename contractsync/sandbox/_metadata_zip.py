"""Deploy zips: bounded extraction, package folders and ``package.xml`` manifests.

The Metadata API takes at most 10,000 files and 39 MB compressed / 400 MB uncompressed per
deploy (Metadata API Developer Guide, "Metadata Limits"). The limits are enforced on the
bytes actually inflated, not on the sizes a zip declares, so a zip bomb stops at the limit.
With ``singlePackage`` (what simple-salesforce sends) ``package.xml`` sits at the zip root;
without it every top-level folder is a package of its own (salesforce-api.md 9.2).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._metadata_xml import XmlError, child_text, children, local_name, parse_xml

__all__ = ["Manifest", "PackageFiles", "ZipLimits", "ZipRefusedError", "read_zip", "split_packages"]

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What one deploy may carry."""

    max_zip_bytes: int = 39 * _MB
    max_unzipped_bytes: int = 400 * _MB
    max_files: int = 10_000
    max_xml_bytes: int = 20 * _MB


class ZipRefusedError(ValueError):
    """A zip the org will not open: corrupt, encrypted, or over a limit."""


@dataclass(frozen=True, slots=True)
class PackageFiles:
    """One package: its folder inside the zip ('' at the root) and its files by path."""

    prefix: str
    files: Mapping[str, bytes]


def read_zip(data: bytes, limits: ZipLimits) -> dict[str, bytes]:
    """Every file of the zip by normalised path; directories are skipped.

    Raises:
        ZipRefusedError: not a zip, encrypted or unreadable entries, or over a limit.
    """
    if len(data) > limits.max_zip_bytes:
        raise ZipRefusedError(
            f"The zip file exceeds the maximum size of {limits.max_zip_bytes // _MB} MB."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ZipRefusedError("The deploy file is not a valid zip file.") from None
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > limits.max_files:
        raise ZipRefusedError(f"The zip file contains more than {limits.max_files} files.")
    files: dict[str, bytes] = {}
    budget = limits.max_unzipped_bytes
    for info in entries:
        path = _normalise(info.filename)
        if info.flag_bits & 0x1:
            raise ZipRefusedError(f"Encrypted zip entries are not supported: {path}")
        try:
            with archive.open(info) as stream:
                content = stream.read(budget + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as bad:
            raise ZipRefusedError(f"Unable to read {path} from the zip file: {bad}") from None
        if len(content) > budget:
            raise ZipRefusedError(
                "The unzipped content exceeds the maximum size of"
                f" {limits.max_unzipped_bytes // _MB} MB."
            )
        budget -= len(content)
        files[path] = content
    return files


def _normalise(name: str) -> str:
    """Forward slashes, no leading './' or '/', no '..' escapes (the zip is never unpacked)."""
    path = posixpath.normpath("/" + name.replace("\\", "/")).lstrip("/")
    return "" if path == "." else path


def split_packages(files: Mapping[str, bytes], *, single_package: bool) -> list[PackageFiles]:
    """The packages of a zip: the root, or each top-level folder when not ``singlePackage``."""
    if single_package:
        return [PackageFiles("", dict(files))]
    groups: dict[str, dict[str, bytes]] = {}
    for path, content in files.items():
        folder, _, rest = path.partition("/")
        if rest:
            groups.setdefault(folder + "/", {})[rest] = content
    return [PackageFiles(prefix, group) for prefix, group in sorted(groups.items())]


@dataclass(slots=True)
class Manifest:
    """``package.xml``: the members named per metadata type, and the API version."""

    members: dict[str, list[str]] = field(default_factory=dict)
    version: str | None = None

    def names(self, metadata_type: str, full_name: str) -> bool:
        """Whether the manifest names this component (``*`` names every one of its type)."""
        listed = self.members.get(metadata_type, [])
        return "*" in listed or full_name.lower() in {m.lower() for m in listed}

    @classmethod
    def parse(cls, data: bytes, limits: ZipLimits) -> Manifest:
        """Read a manifest; raises ``XmlError`` when it is not a ``Package`` document."""
        document = parse_xml(data, max_bytes=limits.max_xml_bytes)
        if local_name(document.root) != "Package":
            raise XmlError(f"Unexpected root element '{local_name(document.root)}'", 1, 1)
        manifest = cls(version=child_text(document.root, "version"))
        for types in children(document.root, "types"):
            name = child_text(types, "name")
            if name is None:
                continue
            names = [m.text.strip() for m in children(types, "members") if m.text]
            manifest.members.setdefault(name, []).extend(names)
        return manifest
