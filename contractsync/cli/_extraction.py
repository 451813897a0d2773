"""``contractsync extract PATH...`` and ``contractsync eval cuad DIR``.

The lead mounts these on the root app:

    app.command("extract")(extract)
    app.add_typer(eval_app, name="eval")
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from contractsync.documents import read_documents
from contractsync.errors import ContractSyncError
from contractsync.extraction import (
    AUTO_APPROVE_THRESHOLD,
    default_extractors,
    extract_document,
    extraction_json,
    failure_json,
    value_json,
)
from contractsync.extraction.evaluation import EvalReport, evaluate_cuad

eval_app = typer.Typer(help="Measure the extractors on labelled contracts.", no_args_is_help=True)


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Contract files or folders.", exists=True)],
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Print one JSON object per document to stdout.")
    ] = False,
) -> None:
    """Extract the canonical terms of contracts, with evidence and confidence."""
    console = Console(stderr=True)
    out = Console(highlight=False, soft_wrap=True)
    extractors = default_extractors()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Extracting", total=None)
        for result in read_documents(paths):
            name = result.path.name
            if result.document is None:
                record = failure_json(name, str(result.error))
            else:
                try:
                    record = extraction_json(
                        extract_document(result.document, extractors), name=name
                    )
                except ContractSyncError as error:
                    record = failure_json(name, str(error))
            progress.advance(task)
            if jsonl:
                out.print(json.dumps(record, ensure_ascii=False), markup=False)
            else:
                out.print(_document_table(record))


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
