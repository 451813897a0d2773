"""HTML: visible text only, blocks as lines, CSS page breaks as pages."""

from __future__ import annotations

from contractsync.documents import MediaType, read_document

PAGE = b"""<!DOCTYPE html>
<html><head><title>Exhibit 10.1</title>
<style>p { margin: 0 }</style><script>var tracking = 1;</script></head>
<body>
<p>LICENSE&nbsp;AGREEMENT</p>
<div>This   Agreement is made
   on <b>June 1, 2020</b>.</div>
<table><tr><td>Licensor</td><td>Acme &amp; Co.</td></tr></table>
<p style="page-break-before: always">Section 2. Term<br>Five years.</p>
</body></html>"""


def test_visible_text_in_blocks_and_pages() -> None:
    document = read_document(PAGE, name="exhibit.htm")
    assert document.media_type is MediaType.HTML
    assert [page.text for page in document.pages] == [
        "LICENSE AGREEMENT\nThis Agreement is made on June 1, 2020.\nLicensor\tAcme & Co.",
        "Section 2. Term\nFive years.",
    ]
    assert "tracking" not in document.text
    assert "Exhibit 10.1" not in document.text


def test_declared_charset_is_used() -> None:
    # Cyrillic in windows-1251 would decode to the wrong letters with the cp1252 fallback.
    words = "\u0414\u043e\u0433\u043e\u0432\u043e\u0440 \u2116 7"
    data = f'<html><head><meta charset="windows-1251"></head><body><p>{words}</p></body></html>'
    document = read_document(data.encode("cp1251"), name="legacy.html")
    assert document.text == words


def test_each_br_is_a_line_break() -> None:
    data = b"<html><body><p>Acme Corp.<br>1 Main St.<br><br>Springfield</p></body></html>"
    assert read_document(data, name="br.html").text == "Acme Corp.\n1 Main St.\n\nSpringfield"


def test_preformatted_text_keeps_its_lines() -> None:
    data = b"<html><body><pre>Name:    Acme\nRole:    Supplier</pre></body></html>"
    assert read_document(data, name="pre.html").text == "Name:    Acme\nRole:    Supplier"


def test_page_break_after_elements() -> None:
    data = (
        b"<html><body><div style='page-break-after: always'>Schedule A</div>"
        b"<p>Schedule B</p><hr style='break-after: page'><p>Schedule C</p></body></html>"
    )
    pages = read_document(data, name="schedules.html").pages
    assert [page.text for page in pages] == ["Schedule A", "Schedule B", "Schedule C"]
