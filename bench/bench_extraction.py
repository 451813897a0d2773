"""Benchmark contractsync.extraction on the CUAD development set.

    .venv/bin/python bench/bench_extraction.py [CUAD_DIR] [--workers N]

Part 1 runs the CUAD evaluation (read + extract + score all contracts in parallel) and
prints the per-field figures, the auto-approve precision and coverage, the calibration
error and the wall time. Part 2 reads and extracts the CUAD PDFs (text layer) in this one
process and reports pages per second on one core. Part 3 reports the peak RSS. Results
are written to bench/results/extraction.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from pathlib import Path
from typing import Any

from contractsync.documents import read_documents
from contractsync.extraction import RulesExtractor, extract_document, value_json
from contractsync.extraction.evaluation import evaluate_cuad

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CUAD = ROOT.parent / "shared" / "data" / "cuad-dev"
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "extraction.json"


def bench_pdf_pages(pdf_root: Path) -> dict[str, Any]:
    paths = sorted(p for p in pdf_root.rglob("*") if p.suffix.lower() == ".pdf")
    extractors = [RulesExtractor()]
    pages = 0
    read_s = extract_s = 0.0
    started = time.process_time()
    for result in read_documents(paths):
        read_s += time.process_time() - started
        started = time.process_time()
        if result.document is not None:
            pages += len(result.document.pages)
            extract_document(result.document, extractors)
        extract_s += time.process_time() - started
        started = time.process_time()
    total = read_s + extract_s
    return {
        "documents": len(paths),
        "pages": pages,
        "cpu_seconds_read": round(read_s, 3),
        "cpu_seconds_extract": round(extract_s, 3),
        "pages_per_second_per_core": round(pages / total, 1) if total else None,
        "extract_only_pages_per_second_per_core": round(pages / extract_s, 1)
        if extract_s
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cuad", nargs="?", type=Path, default=DEFAULT_CUAD)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    started = time.perf_counter()
    report = evaluate_cuad(args.cuad, workers=args.workers)
    wall = time.perf_counter() - started
    figures = report.to_json()
    pdf = bench_pdf_pages(args.cuad / "full_contract_pdf")
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "machine": {"python": platform.python_version(), "cpus": report.workers},
        "cuad": figures,
        "cuad_wall_seconds": round(wall, 2),
        "pdf_text_layer": pdf,
        "peak_rss_mib": {"main": round(peak_rss_mib, 1), "workers": round(children_rss_mib, 1)},
    }
    print(f"CUAD: {figures['documents']} contracts in {wall:.1f} s on {report.workers} workers")
    for name, entry in figures["fields"].items():
        line = (
            f"  {name:24s} acc {entry['accuracy']:.3f}  P {entry['precision'] or 0:.3f}  "
            f"R {entry['recall'] or 0:.3f}  cov {entry['coverage'] or 0:.3f}  "
            f"autoP {entry['auto_precision'] or 0:.3f}  autoCov {entry['auto_coverage'] or 0:.3f}"
        )
        if "names" in entry:
            line += f"  names F1 {entry['names']['f1'] or 0:.3f}"
        print(line)
    overall = figures["overall"]
    print(f"  auto-approved (>= {report.threshold}): precision {overall['auto_precision']:.3f}, "
          f"coverage {overall['auto_coverage']:.3f}")  # fmt: skip
    held_out = figures["auto_cross_validated"].get("all", {})
    if held_out.get("auto_precision") is not None:
        # Each fold judged by a table fitted on the others: what unseen contracts should see.
        print(f"  auto-approved, cross-validated: precision {held_out['auto_precision']:.3f}, "
              f"coverage {held_out['auto_coverage']:.3f}")  # fmt: skip
    print(f"  ECE {figures['ece']:.4f}, cross-validated {figures['ece_cross_validated']:.4f}")
    print(f"PDF text layer: {pdf['pages']} pages, {pdf['pages_per_second_per_core']} pages/s/core")
    print(f"Peak RSS: main {peak_rss_mib:.0f} MiB, largest worker {children_rss_mib:.0f} MiB")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1, default=value_json) + "\n", "utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
