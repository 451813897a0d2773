"""``contractsync extract PATH...`` and ``contractsync eval cuad DIR``.

The lead mounts these on the root app:

    app.command("extract")(extract)
    app.add_typer(eval_app, name="eval")
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from contractsync.documents import (
    DocumentReader,
    ReadResult,
    document_paths,
    read_documents,
)
from contractsync.errors import ContractSyncError
from contractsync.extraction import (
    AUTO_APPROVE_THRESHOLD,
    Extractor,
    default_extractors,
    extract_document,
    extraction_json,
    failure_json,
    value_json,
)
from contractsync.extraction.evaluation import EvalReport, evaluate_cuad

from ._read_options import (
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_SIZE_MB,
    AskPasswordOption,
    MaxPagesOption,
    MaxSizeOption,
    PasswordOption,
    pdf_password,
    read_limits,
)

log = logging.getLogger(__name__)

eval_app = typer.Typer(help="Measure the extractors on labelled contracts.", no_args_is_help=True)


def extract(  # noqa: PLR0917 - Typer maps each parameter to an option
    paths: Annotated[list[Path], typer.Argument(help="Contract files or folders.")],
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Print one JSON object per document to stdout.")
    ] = False,
    password: PasswordOption = None,
    ask_password: AskPasswordOption = False,
    max_size_mb: MaxSizeOption = DEFAULT_MAX_SIZE_MB,
    max_pages: MaxPagesOption = DEFAULT_MAX_PAGES,
) -> None:
    """Extract the canonical terms of contracts, with evidence and confidence.

    A document that cannot be read or extracted is reported in its place and the others
    go on; the command then exits with status 1.
    """
    password = pdf_password(password, ask_password)
    console = Console(stderr=True)
    out = Console(highlight=False, soft_wrap=True)
    extractors = default_extractors()
    reader = DocumentReader(limits=read_limits(max_size_mb, max_pages))
    # Listed first so the progress bar has a total; a missing path is listed too and
    # reported as that document's error.
    files = list(document_paths(paths))
    failed = 0
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Extracting", total=len(files))
        for result in read_documents(files, reader=reader, password=password):
            record, ok = _extract_one(result, extractors)
            failed += not ok
            progress.advance(task)
            if jsonl:
                out.print(json.dumps(record, ensure_ascii=False), markup=False)
            else:
                out.print(_document_table(record))
    if failed:
        raise ContractSyncError(
            f"{failed} of {len(files)} document(s) could not be extracted; the others were. "
            "Fix the files named above and run contractsync extract on them again."
        )


def _extract_one(
    result: ReadResult, extractors: Sequence[Extractor]
) -> tuple[dict[str, Any], bool]:
    """One document's record, and whether it was extracted; a failure, expected or not,
    becomes that document's error."""
    name = result.path.name
    if result.document is None:
        return failure_json(name, str(result.error)), False
    try:
        return extraction_json(extract_document(result.document, extractors), name=name), True
    except ContractSyncError as error:
        return failure_json(name, str(error)), False
    except Exception as error:  # a bug on one document must not stop the others
        log.exception("extract_crashed document=%s", result.path)
        message = (f"extracting failed unexpectedly ({type(error).__name__}: {error}); this is "
                   "a bug in contractsync, please report it with the file")  # fmt: skip
        return failure_json(name, message), False


def _document_table(record: dict[str, Any]) -> Table:
    title = record["document"] + ("  (amendment)" if record.get("is_amendment") else "")
    table = Table(title=title, show_lines=False)
    for column in ("field", "value", "confidence", "page", "evidence"):
        table.add_column(column, overflow="fold")
    for field, entry in record["fields"].items():
        table.add_row(
            field,
            json.dumps(entry["value"], ensure_ascii=False),
            f"{entry['confidence']:.2f}",
            str(entry["evidence"]["page"]),
            entry["evidence"]["text"][:120],
        )
    for error in record["errors"]:
        table.add_row("[red]error[/red]", error, "", "", "")
    return table


@eval_app.command("cuad")
def eval_cuad(  # noqa: PLR0917 - Typer maps each parameter to an option
    directory: Annotated[Path, typer.Argument(help="A CUAD folder (master_clauses.csv …).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print all figures as JSON.")] = False,
    threshold: Annotated[
        float, typer.Option(help="Auto-approve confidence threshold.", min=0.0, max=1.0)
    ] = AUTO_APPROVE_THRESHOLD,
    workers: Annotated[int | None, typer.Option(help="Processes (default: CPUs).", min=1)] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N contracts.", min=1)] = None,
    write_calibration: Annotated[
        Path | None, typer.Option(help="Refit the calibration table and write it here.")
    ] = None,
) -> None:
    """Score the rules extractor against CUAD's answers, per field."""
    try:
        report = evaluate_cuad(directory, threshold=threshold, workers=workers, limit=limit)
    except ContractSyncError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    if write_calibration is not None and report.refit is not None:
        report.refit.save(write_calibration)
    if as_json:
        typer.echo(json.dumps(report.to_json(), default=value_json))
        return
    Console().print(_report_table(report))


def _report_table(report: EvalReport) -> Table:
    data = report.to_json()
    table = Table(title=f"CUAD: {data['documents']} contracts, threshold {report.threshold}")
    for column in ("field", "n", "accuracy", "precision", "recall", "coverage", "auto prec.",
                   "auto cov."):  # fmt: skip
        table.add_column(column, justify="right" if column != "field" else "left")
    for name, entry in data["fields"].items():
        label = name
        if "names" in entry and entry["names"]["f1"] is not None:
            label += f" (names F1 {entry['names']['f1']:.3f})"
        table.add_row(
            label,
            str(entry["scored"]),
            *(_pct(entry[key]) for key in ("accuracy", "precision", "recall", "coverage",
                                           "auto_precision", "auto_coverage")),
        )  # fmt: skip
    overall = data["overall"]
    table.add_section()
    table.add_row("all fields", "", "", _pct(overall["precision"]), _pct(overall["recall"]), "",
                  _pct(overall["auto_precision"]), _pct(overall["auto_coverage"]))  # fmt: skip
    table.caption = (
        f"ECE {_num(data['ece'])} (cross-validated {_num(data['ece_cross_validated'])}); "
        f"{data['seconds']} s on {data['workers']} workers; "
        f"{_num(data['characters_per_second_per_core'], 0)} chars/s per core"
    )
    return table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
