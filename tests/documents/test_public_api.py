"""The package's public door exports exactly what we mean to support."""

from __future__ import annotations

from contractsync import documents

EXPECTED = {
    "PAGE_SEPARATOR",
    "Boilerplate",
    "BoilerplateKind",
    "DocumentReader",
    "DocumentText",
    "MediaType",
    "OcrEngine",
    "OcrMode",
    "PageSpan",
    "PageText",
    "ReadLimits",
    "ReadResult",
    "TesseractOcr",
    "document_paths",
    "iter_pages",
    "normalize_page_text",
    "read_document",
    "read_documents",
}


def test_exports_are_the_supported_surface() -> None:
    assert set(documents.__all__) == EXPECTED


def test_every_export_resolves() -> None:
    for name in documents.__all__:
        assert getattr(documents, name) is not None


def test_implementation_modules_are_private() -> None:
    # Names starting with "@" are pytest's own: it rewrites the asserts of any package that
    # registers a pytest11 plugin (ours does) when installed as a wheel, and binds its
    # helpers as "@py_builtins" and "@pytest_ar", names no import statement can create.
    public_modules = {
        name
        for name, value in vars(documents).items()
        if type(value).__name__ == "module" and not name.startswith(("_", "@"))
    }
    assert public_modules == set()
