"""Real catalogues at the edges (issue 20): nothing lost, exact means exact, gettext's folder codes."""

from __future__ import annotations

import subprocess

import polib
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import CatalogueError
from pipeline.gettext.catalogue import format_catalogue, new_catalogue, parse_catalogue
from pipeline.gettext.languages import language
from pipeline.gettext.merge import merge

runner = CliRunner()
UK = language("uk")


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _catalogue(pairs: list[tuple[str | None, str, str]]) -> bytes:
    po = new_catalogue(polib.POFile(), UK)
    for msgctxt, msgid, msgstr in pairs:
        po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr, occurrences=[("article.txt", "3")]))
    return format_catalogue(po).encode("utf-8")


# -- 1. a file the reader cannot read as gettext is refused, never rewritten ----------------

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)
_pairs = st.lists(st.tuples(st.none() | st.sampled_from(["headline", "caption"]), _text, _text), min_size=1, max_size=6, unique_by=lambda p: (p[0], p[1]))


def _damage(data: bytes, draw) -> bytes:
    """The ways files reach us from elsewhere: other line ends, per line or whole, BOMs, comment lines, trailing blanks."""
    lines = data.split(b"\n")
    how = draw(st.sampled_from(["cr", "crlf", "mixed", "bom", "comments", "blanks"]))
    if how == "cr":
        return b"\r".join(lines)
    if how == "crlf":
        return b"\r\n".join(lines)
    if how == "mixed":
        ends = draw(st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=len(lines), max_size=len(lines)))
        return b"".join(line + end for line, end in zip(lines, ends))
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "comments":
        at = draw(st.integers(0, len(lines)))
        return b"\n".join(lines[:at] + [b"# a comment\r", b"#"] + lines[at:])
    return b"\n".join(line + b" \t" if line.startswith(b"msg") else line for line in lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=_pairs, data=st.data())
def test_no_input_makes_a_merge_lose_a_translation_that_was_in_the_file(pairs, data):
    """Either the file is refused (nothing is written), or every translation in it survives the merge."""
    damaged = _damage(_catalogue(pairs), data.draw)
    try:
        catalogue = parse_catalogue(damaged, path="uk/article.po", language=UK)
    except CatalogueError as exc:
        assert "uk/article.po" in str(exc)
        return
    template = polib.POFile()
    kept = data.draw(st.lists(st.sampled_from(pairs), unique=True))
    for msgctxt, msgid, _ in kept:
        template.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=""))
    merged, _ = merge(template, catalogue, UK)
    written = parse_catalogue(format_catalogue(merged).encode("utf-8"), path="merged.po")
    found = {(e.msgctxt, e.msgid): e.msgstr for e in written.po}
    for msgctxt, msgid, msgstr in pairs:
        assert found.get((msgctxt, msgid)) == msgstr, (msgctxt, msgid)


def test_a_catalogue_with_old_mac_line_ends_is_refused_and_left_unchanged(project):
    path = project / "locale/uk/LC_MESSAGES/article.po"
    crlf = path.read_bytes().replace(b"\n", b"\r")
    path.write_bytes(crlf)
    result = invoke("update", "--lang", "uk")
    assert result.exit_code == 2
    assert "article.po:1: lines end with a lone carriage return" in result.output
    assert path.read_bytes() == crlf
    status = invoke("status", "--lang", "uk")
    assert status.exit_code == 2 and "carriage return" in status.output


def test_gettext_itself_refuses_what_the_reader_refuses(tmp_path):
    """The oracle: msgfmt -c fails on the CR-only file too (and accepts the same file with LF)."""
    data = _catalogue([(None, "The road was closed.", "Дорогу закрили."), ("headline", "Kyiv", "Київ")])
    for name, content, ok in (("lf.po", data, True), ("cr.po", data.replace(b"\n", b"\r"), False)):
        (tmp_path / name).write_bytes(content)
        accepted = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / name)], capture_output=True).returncode == 0
        assert accepted is ok
        if ok:
            assert len(parse_catalogue(content).po) == 2
        else:
            with pytest.raises(CatalogueError, match="lone carriage return"):
                parse_catalogue(content, path=name)


def test_an_entry_hidden_in_a_comment_by_a_lone_cr_is_refused_not_dropped():
    data = _catalogue([(None, "One.", "Один."), (None, "Two.", "Два.")]).replace(
        b'#: article.txt:3\nmsgid "Two."\nmsgstr', b'#: article.txt:3\rmsgid "Two."\rmsgstr'
    )
    assert b'\rmsgstr "\xd0\x94' in data  # the whole entry is now the tail of a comment line
    with pytest.raises(CatalogueError, match=r"x.po:\d+: lines end with a lone carriage return \(.*3 entries in the file, 2 readable"):
        parse_catalogue(data, path="x.po")
