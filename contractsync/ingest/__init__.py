"""Bringing contracts into the store: canonical record files, and documents imported with
their extracted terms, both loaded durably."""

from ._import import ImportOutcome, import_documents, import_files
from ._load import LoadOutcome, load_record_files
from ._record_files import DocumentFile, RecordFile, find_record_files, read_record_file

__all__ = [
    "DocumentFile",
    "ImportOutcome",
    "LoadOutcome",
    "RecordFile",
    "find_record_files",
    "import_documents",
    "import_files",
    "load_record_files",
    "read_record_file",
]
