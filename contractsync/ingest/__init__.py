"""Bringing contracts into the store: canonical record files, loaded durably."""

from ._load import LoadOutcome, load_record_files
from ._record_files import DocumentFile, RecordFile, find_record_files, read_record_file

__all__ = [
    "DocumentFile",
    "LoadOutcome",
    "RecordFile",
    "find_record_files",
    "load_record_files",
    "read_record_file",
]
