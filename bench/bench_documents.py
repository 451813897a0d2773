"""Benchmark contractsync.documents: text-layer PDF throughput and OCR throughput.

    .venv/bin/python bench/bench_documents.py

Part 1 reads every CUAD PDF (their text layers) and reports pages per second and peak
memory: the Python heap per document (tracemalloc) and the process's peak RSS, which
also counts PDFium's native memory. Part 2 OCRs a few generated letter-size scans at
300 dpi, as PNG and as an image-only PDF, and reports seconds per page. Results are
written to bench/results/documents.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from contractsync.documents import DocumentReader, read_documents

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDFS = ROOT.parent / "shared" / "data" / "cuad-dev" / "full_contract_pdf"
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "documents.json"
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
CLAUSE = (
    "{n}. Term. This Agreement commences on the Effective Date and continues for three (3) "
    "years, renewing for successive one (1) year terms unless either party gives ninety (90) "
    "days written notice of non-renewal."
)


def bench_text_layer(pdf_root: Path, repeat: int) -> dict[str, Any]:
    paths = sorted(path for path in pdf_root.rglob("*") if path.suffix.lower() == ".pdf")
    if not paths:
        raise SystemExit(f"No PDFs under {pdf_root}")
    reader = DocumentReader()
    timings = []
    pages = characters = ocr_pages = failures = 0
    for _ in range(repeat):
        pages = characters = ocr_pages = failures = 0
        started = time.perf_counter()
        for result in read_documents(paths, reader=reader):
            if result.document is None:
                failures += 1
                continue
            pages += len(result.document.pages)
            characters += len(result.document.text)
            ocr_pages += sum(page.ocr for page in result.document.pages)
        timings.append(time.perf_counter() - started)
    best = min(timings)

    # A separate pass: tracemalloc slows allocation-heavy code, so it is not timed.
    tracemalloc.start()
    per_document_peaks = []
    for result in read_documents(paths, reader=reader):
        _, peak = tracemalloc.get_traced_memory()
        per_document_peaks.append(peak)
        tracemalloc.reset_peak()
        del result
    tracemalloc.stop()

    return {
        "documents": len(paths),
        "failures": failures,
        "pages": pages,
        "ocr_pages": ocr_pages,
        "characters": characters,
        "repeat": repeat,
        "best_seconds": round(best, 3),
        "pages_per_second": round(pages / best, 1),
        "documents_per_second": round(len(paths) / best, 1),
        "peak_python_heap_per_document_mib": round(max(per_document_peaks) / 2**20, 2),
        "corpus_text_mib": round(characters / 2**20, 2),
    }


def draw_letter_page(font_path: Path, number: int) -> Image.Image:
    """A US-letter page at 300 dpi, set in 11 pt, like a clean office scan."""
    width, height, margin = 2550, 3300, 300
    font = ImageFont.truetype(str(font_path), 46)
    image = Image.new("L", (width, height), color=255)
    draw = ImageDraw.Draw(image)
    y = margin
    clause = 1
    while y < height - margin - 60:
        words = CLAUSE.format(n=number * 100 + clause).split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=font) > width - 2 * margin:
                draw.text((margin, y), line, fill=0, font=font)
                y += 62
                line = word
            else:
                line = candidate
        draw.text((margin, y), line, fill=0, font=font)
        y += 100
        clause += 1
    return image


def bench_ocr(pages: int) -> dict[str, Any]:
    tesseract = shutil.which("tesseract")
    font = next((path for path in FONTS if path.exists()), None)
    if tesseract is None or font is None:
        return {"skipped": "tesseract or DejaVu font not installed"}
    version = subprocess.run(
        [tesseract, "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[0]
    reader = DocumentReader()
    results: dict[str, Any] = {"tesseract": version, "pages": pages, "dpi": 300}
    with tempfile.TemporaryDirectory() as folder:
        images = [draw_letter_page(font, number) for number in range(1, pages + 1)]
        pngs = []
        for number, image in enumerate(images, start=1):
            path = Path(folder) / f"scan-{number}.png"
            image.save(path, dpi=(300, 300))
            pngs.append(path)
        pdf = Path(folder) / "scan.pdf"
        images[0].save(pdf, "PDF", resolution=300, save_all=True, append_images=images[1:])

        started = time.perf_counter()
        words = 0
        for path in pngs:
            words += len(reader.read(path).text.split())
        png_seconds = time.perf_counter() - started

        started = time.perf_counter()
        document = reader.read(pdf)
        pdf_seconds = time.perf_counter() - started

    results.update(
        {
            "png_seconds_per_page": round(png_seconds / pages, 3),
            "png_pages_per_second": round(pages / png_seconds, 2),
            "words_per_page": words // pages,
            "scanned_pdf_seconds_per_page": round(pdf_seconds / pages, 3),
            "scanned_pdf_pages_ocr": sum(page.ocr for page in document.pages),
        }
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=4)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    options = parser.parse_args()

    text_layer = bench_text_layer(options.pdfs, options.repeat)
    print(
        f"text layer: {text_layer['pages']} pages in {text_layer['documents']} PDFs, "
        f"{text_layer['pages_per_second']} pages/s, "
        f"peak Python heap per document {text_layer['peak_python_heap_per_document_mib']} MiB"
    )
    ocr = bench_ocr(options.ocr_pages)
    if "skipped" in ocr:
        print(f"ocr: skipped ({ocr['skipped']})")
    else:
        print(
            f"ocr: {ocr['png_seconds_per_page']} s/page (PNG, {ocr['words_per_page']} words), "
            f"{ocr['scanned_pdf_seconds_per_page']} s/page (scanned PDF)"
        )
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    print(f"peak RSS of the whole run: {peak_rss / 2**20:.1f} MiB")

    report = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "text_layer": text_layer,
        "ocr": ocr,
        "peak_rss_mib": round(peak_rss / 2**20, 1),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {options.output}")


if __name__ == "__main__":
    main()
