"""The options every command that reads contract documents shares: PDF password, limits.

``extract`` and ``import`` read the same files, so they take the same options, with the
same names, defaults and help.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer

from contractsync.documents import ReadLimits

PASSWORD_ENV = "CONTRACTSYNC_PDF_PASSWORD"  # noqa: S105 - a variable name, not a secret
DEFAULT_LIMITS = ReadLimits()
_MIB = 1 << 20

PasswordOption = Annotated[
    str | None,
    typer.Option(
        help=(
            f"Password for encrypted PDFs, kept in memory only. Prefer {PASSWORD_ENV} or "
            "--ask-password: a value typed here is visible to other users of this machine."
        ),
        envvar=PASSWORD_ENV,
        show_default=False,
    ),
]
AskPasswordOption = Annotated[
    bool, typer.Option("--ask-password", help="Ask for the PDF password, without echo.")
]
MaxSizeOption = Annotated[
    int, typer.Option("--max-size-mb", help="Refuse files larger than this many MiB.", min=1)
]
MaxPagesOption = Annotated[
    int, typer.Option("--max-pages", help="Refuse documents with more pages than this.", min=1)
]
DEFAULT_MAX_SIZE_MB = DEFAULT_LIMITS.max_bytes // _MIB
DEFAULT_MAX_PAGES = DEFAULT_LIMITS.max_pages


def read_limits(max_size_mb: int, max_pages: int) -> ReadLimits:
    """The default limits with the size and page bounds given on the command line."""
    return replace(DEFAULT_LIMITS, max_bytes=max_size_mb * _MIB, max_pages=max_pages)


def pdf_password(password: str | None, ask: bool) -> str | None:
    """The password given, or asked for without echo when ``ask``."""
    if ask:
        return str(typer.prompt("PDF password", hide_input=True))
    return password
