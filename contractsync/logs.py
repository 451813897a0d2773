"""Logging: one event per line to a file in the data folder, with secrets redacted.

The terminal gets one clear line per error; the log file gets the detail (tracebacks,
key=value context). Every handler we install redacts passwords in URLs, bearer tokens,
session ids and OAuth tokens, whatever the code that logged them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

LOG_FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ in URLs
    (re.compile(r"(?P<keep>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:)[^@\s]+(?=@)"), r"\g<keep>***"),
    # Authorization: Bearer <token>
    (re.compile(r"(?P<keep>\bBearer\s+)[A-Za-z0-9!._~+/=-]+", re.IGNORECASE), r"\g<keep>***"),
    # access_token / refresh_token / client_secret / password / sid in JSON, forms or k=v
    (
        re.compile(
            r"(?P<keep>\b(?:access_token|refresh_token|client_secret|password|session_id|sid)"
            r"[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+",
            re.IGNORECASE,
        ),
        r"\g<keep>***",
    ),
    # Salesforce session ids: 00D<org id>!<token>
    (re.compile(r"\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+"), "00D***!***"),
)


def redact(text: str) -> str:
    """``text`` with every secret we know the shape of replaced by ``***``."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(*, log_file: Path | None, level: str, debug: bool) -> Path | None:
    """Send contractsync's (and DBOS's) records to ``log_file``; with ``debug`` to stderr too.

    Returns the log file in use, or None when it cannot be opened (logging then goes nowhere
    rather than failing the command).
    """
    root = logging.getLogger("contractsync")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if debug else level)
    root.propagate = False
    formatter = RedactingFormatter(LOG_FORMAT)
    used: Path | None = None
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            to_file = logging.FileHandler(log_file, encoding="utf-8", delay=True)
            to_file.setFormatter(formatter)
            root.addHandler(to_file)
            used = log_file
        except OSError:
            used = None
    if debug:
        console = logging.StreamHandler()
        console.setFormatter(formatter)
        root.addHandler(console)
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    return used
