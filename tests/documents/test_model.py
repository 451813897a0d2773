"""DocumentText offsets: every span maps to its page and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.documents import (
    PAGE_SEPARATOR,
    Boilerplate,
    BoilerplateKind,
    DocumentText,
    MediaType,
    PageSpan,
    PageText,
)


def make_document(texts: list[str], boilerplate: tuple[Boilerplate, ...] = ()) -> DocumentText:
    pages = []
    offset = 0
    for number, text in enumerate(texts, start=1):
        pages.append(PageText(number, text, offset, offset + len(text)))
        offset += len(text) + len(PAGE_SEPARATOR)
    return DocumentText("c.txt", "0" * 64, MediaType.TEXT, tuple(pages), boilerplate)


page_texts = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\f"), max_size=40), min_size=1, max_size=6
)


@st.composite
def document_and_span(draw: st.DrawFn) -> tuple[DocumentText, int, int]:
    document = make_document(draw(page_texts))
    start = draw(st.integers(0, len(document.text)))
    end = draw(st.integers(start, len(document.text)))
    return document, start, end


def test_text_is_pages_joined_by_form_feed() -> None:
    document = make_document(["first page", "second", ""])
    assert document.text == "first page\fsecond\f"
    assert document.text.split(PAGE_SEPARATOR) == [page.text for page in document.pages]


@given(page_texts)
def test_text_at_each_page_offsets_is_the_page_text(texts: list[str]) -> None:
    document = make_document(texts)
    for page in document.pages:
        assert document.text[page.start : page.end] == page.text


@given(document_and_span())
def test_page_spans_cover_exactly_the_span_without_separators(
    case: tuple[DocumentText, int, int],
) -> None:
    document, start, end = case
    pieces = document.to_page_spans(start, end)
    covered = "".join(document.page(p.page_number).text[p.start : p.end] for p in pieces)
    assert covered == document.text[start:end].replace(PAGE_SEPARATOR, "")
    assert [p.page_number for p in pieces] == sorted({p.page_number for p in pieces})


@given(document_and_span())
def test_span_within_one_page_round_trips(case: tuple[DocumentText, int, int]) -> None:
    document, start, end = case
    if PAGE_SEPARATOR in document.text[start:end]:
        return
    [piece] = document.to_page_spans(start, end)
    assert document.to_document_span(piece) == (start, end)


@given(page_texts, st.data())
def test_page_span_round_trips(texts: list[str], data: st.DataObject) -> None:
    document = make_document(texts)
    page = data.draw(st.sampled_from(document.pages))
    start = data.draw(st.integers(0, len(page.text)))
    end = data.draw(st.integers(start, len(page.text)))
    span = PageSpan(page.page_number, start, end)
    assert document.to_page_spans(*document.to_document_span(span)) == (span,)


def test_span_over_a_page_break_splits_per_page() -> None:
    document = make_document(["alpha beta", "gamma delta"])
    start = document.text.index("beta")
    end = document.text.index("gamma") + len("gamma")
    assert document.to_page_spans(start, end) == (PageSpan(1, 6, 10), PageSpan(2, 0, 5))


def test_offset_at_page_end_belongs_to_that_page() -> None:
    document = make_document(["abc", "def"])
    assert document.page_at(3).page_number == 1
    assert document.page_at(4).page_number == 2
    assert document.page_at(len(document.text)).page_number == 2


def test_clean_text_blanks_boilerplate_and_keeps_offsets() -> None:
    text = "Term is one year.\nPage 1 of 2"
    footer = Boilerplate(text.index("Page"), len(text), BoilerplateKind.PAGE_NUMBER)
    document = make_document([text, "Governing law: Nevada."], (footer,))
    clean = document.clean_text()
    assert len(clean) == len(document.text)
    assert "Page 1" not in clean
    assert clean.index("Governing") == document.text.index("Governing")
    assert document.is_boilerplate(footer.start + 1, footer.end)
    assert not document.is_boilerplate(0, 4)


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        pytest.param((), "no pages", id="no-pages"),
        pytest.param((PageText(2, "a", 0, 1),), "position", id="wrong-number"),
        pytest.param((PageText(1, "a", 0, 5),), "offsets", id="wrong-end"),
        pytest.param(
            (PageText(1, "a", 0, 1), PageText(2, "b", 1, 2)), "offsets", id="missing-separator"
        ),
        pytest.param((PageText(1, "a\fb", 0, 3),), "separator", id="separator-inside"),
    ],
)
def test_inconsistent_pages_are_refused(pages: tuple[PageText, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DocumentText("c.txt", "0" * 64, MediaType.TEXT, pages)


def test_out_of_range_lookups_raise() -> None:
    document = make_document(["abc"])
    with pytest.raises(IndexError):
        document.page(2)
    with pytest.raises(IndexError):
        document.page_at(4)
    with pytest.raises(IndexError):
        document.to_document_span(PageSpan(1, 0, 9))
    with pytest.raises(ValueError, match="after its end"):
        document.to_page_spans(2, 1)


def test_document_survives_pickling() -> None:
    # Durable workflow steps store their results pickled.
    import pickle

    document = make_document(["first", "second"])
    restored = pickle.loads(pickle.dumps(document))  # noqa: S301 - our own bytes
    assert restored == document
    assert restored.page_at(7).page_number == 2
