"""The article-reader seam: a format registered from the test suite, read by extension or by name."""

from __future__ import annotations

import polib
import pytest
from typer.testing import CliRunner

from pipeline import article
from pipeline.article import Block, Segment, parse_article, read_article, register_reader, unregister_reader
from pipeline.cli import app
from pipeline.errors import SourceError

runner = CliRunner()

BRIEF = "Flood warning for the valley\r\nRoads are closed. Schools open late.\n\n  Volunteers fill sandbags at 06:00.\n"
"""A `.tiny` article: every non-blank line is one paragraph and one sentence (txt would split the second line in two)."""


def read_tiny(text, *, path, credit, language):
    """Each non-blank line is a block of one sentence; the first is the headline."""
    offset, first = 0, True
    for number, line in enumerate(text.split("\n"), start=1):
        content = line.rstrip("\r")
        if content.strip():
            start = offset + len(content) - len(content.lstrip())
            end = offset + len(content.rstrip())
            role = "headline" if first else "body"
            first = False
            yield Block(role, start, end, number, (Segment(text[start:end], start, end, number, role),), None)
        offset += len(line) + 1


@pytest.fixture
def tiny_reader():
    register_reader("tiny", extensions=("TINY",))(read_tiny)  # case and dot do not matter
    yield
    unregister_reader("tiny")


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_registered_reader_is_chosen_by_extension_and_renders_back_byte_exact(tmp_path, tiny_reader):
    path = tmp_path / "brief.tiny"
    path.write_bytes(BRIEF.encode())
    read = read_article(path)
    assert read.format == "tiny" and read.domain == "brief"
    assert [(s.role, s.msgid, s.line) for s in read.segments] == [
        ("headline", "Flood warning for the valley", 1),
        ("body", "Roads are closed. Schools open late.", 2),
        ("body", "Volunteers fill sandbags at 06:00.", 4),
    ]
    assert article.encode(read, article.render(read, {})) == BRIEF.encode()
    shouted = article.render(read, str.upper)
    assert shouted == BRIEF.upper()  # every block rebuilt, the skeleton (CRLF, blank line, indent) kept
    # The same bytes read as plain text: another reader, other sentences.
    as_text = parse_article(BRIEF.encode(), path="brief.tiny", format="txt")
    assert as_text.format == "txt" and "Roads are closed." in [s.msgid for s in as_text.segments]


def test_extract_and_run_read_a_registered_format_through_the_cli(empty_project, tiny_reader):
    (empty_project / "seeds/brief.tiny").write_bytes(BRIEF.encode())
    extracted = invoke("extract", "seeds/brief.tiny")
    assert extracted.exit_code == 0, extracted.output
    pot = polib.pofile(str(empty_project / "locale/brief.pot"))
    assert [e.msgid for e in pot] == ["Flood warning for the valley", "Roads are closed. Schools open late.", "Volunteers fill sandbags at 06:00."]
    assert pot[2].occurrences == [("seeds/brief.tiny", "4")]
    ran = invoke("run", "seeds/brief.tiny", "--engine", "pseudo", "--lang", "uk", "--use-fuzzy")
    assert ran.exit_code == 0, ran.output
    rebuilt = (empty_project / "dist/brief/uk/brief.txt").read_text(encoding="utf-8")
    assert rebuilt.startswith("[Ƒļööđ ŵåŕñîñĝ") and "\n\n  [" in rebuilt  # the skeleton (blank line, indent) kept
    roundtrip = invoke("roundtrip", "seeds/brief.tiny")
    assert roundtrip.exit_code == 0 and "identical" in roundtrip.output


def test_an_unknown_extension_names_the_readers(empty_project, tiny_reader):
    (empty_project / "seeds/brief.tiny").write_bytes(BRIEF.encode())
    unregister_reader("tiny")
    try:
        result = runner.invoke(app, ["extract", "seeds/brief.tiny"])
        assert result.exit_code == 2
        assert "seeds/brief.tiny: extension .tiny, which no article reader knows; give a file ending in one of: .txt (txt), .md (md), .markdown (md), .html (html), .htm (html)." in result.output
    finally:
        register_reader("tiny", extensions=(".tiny",))(read_tiny)
    with pytest.raises(SourceError, match="unknown article format 'nope'; choose one of: html, md, tiny, txt"):
        read_article(empty_project / "seeds/brief.tiny", format="nope")
    with pytest.raises(SourceError, match="no extension, which no article reader knows"):
        parse_article(b"Headline\n", path="README")


def test_registering_a_name_or_an_extension_twice_is_refused(tiny_reader):
    with pytest.raises(ValueError, match="reader 'txt' is registered twice"):
        register_reader("txt", extensions=(".text",))(read_tiny)
    with pytest.raises(ValueError, match="extension .txt already has a reader"):
        register_reader("plain", extensions=(".txt",))(read_tiny)
    assert article.reader_names() == ["html", "md", "tiny", "txt"]
