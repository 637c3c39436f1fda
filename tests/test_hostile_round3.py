"""Hostile and careless input, round three (issue 21): paths, caches, readers, terminals, patterns.

Each test names the case of the issue it covers and failed before its fix:
by a write outside the project, a hang (a subprocess that times out), a
traceback (CliRunner records the exception) or a wrong exit status.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from pipeline.cli import app
from pipeline.errors import OutputError

runner = CliRunner()
UK_PO = "locale/uk/LC_MESSAGES/article.po"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def subprocess_pipeline(cwd: Path, *args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, timeout=timeout, env=kwargs.pop("env", ENV), **kwargs)


def set_setting(pyproject: Path, line: str) -> None:
    key = line.split("=")[0].strip()
    kept = [old for old in pyproject.read_text().splitlines() if old.split("=")[0].strip() != key]
    pyproject.write_text("\n".join(kept).replace("[tool.pipeline]", f"[tool.pipeline]\n{line}", 1) + "\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink() and p.name != ".pipeline.lock"}


# --- writes or deletions outside the project's folders ---------------------------------


def test_output_folder_that_is_a_link_out_of_the_project_is_refused_at_start(project, tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    leftover = outside / "deep" / ".notes.abcdefgh.tmp"  # temp-shaped: the sweep would delete it
    leftover.write_text("someone else's file")
    (project / "dist").symlink_to(outside)
    result = invoke("run", "seeds/article.txt", "--lang", "uk", "--engine", "pseudo")
    assert result.exit_code == 2
    assert "symbolic link" in result.output
    assert leftover.read_text() == "someone else's file"
    assert sorted(p.name for p in outside.rglob("*")) == [".notes.abcdefgh.tmp", "deep"]


def test_locale_dir_outside_the_project_is_refused_before_anything_is_written(project, tmp_path):
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / ".work.abcdefgh.tmp").write_text("a sibling project's file")
    set_setting(project / "pyproject.toml", 'locale_dir = ".."')
    before = snapshot(tmp_path)
    for args in (("extract", "seeds/article.txt"), ("run", "seeds/article.txt", "--engine", "pseudo")):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert "outside the project" in result.output
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "article.pot").exists() and not (tmp_path / ".pipeline.lock").exists()


@pytest.mark.parametrize("domain", ["{outside}/evil", "{project}/locale/article"])
def test_a_domain_given_as_a_path_is_refused(project, tmp_path, domain):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.pot").write_bytes((project / "locale/article.pot").read_bytes())
    before = snapshot(tmp_path)
    result = invoke("update", domain.format(outside=outside, project=project), "--lang", "uk,pl")
    assert result.exit_code == 2
    assert "not files" in result.output or "not a domain name" in result.output
    assert snapshot(tmp_path) == before


def test_memory_cache_that_links_to_another_database_is_never_written_through(project, tmp_path):
    other = tmp_path / "other-app.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.execute("INSERT INTO notes VALUES ('mine')")
    db.commit()
    db.close()
    before = other.read_bytes()
    (project / "locale/.cache").mkdir()
    (project / "locale/.cache/memory-uk.sqlite").symlink_to(other)
    result = invoke("update", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert other.read_bytes() == before
    assert not Path(f"{other}-wal").exists()
    assert "set aside" in result.output
    assert (project / "locale/.cache/memory-uk.sqlite").is_file() and not (project / "locale/.cache/memory-uk.sqlite").is_symlink()


def test_dangling_gitignore_link_in_the_cache_is_not_followed(project, tmp_path):
    target = tmp_path / "created-by-the-pipeline"
    (project / "locale/.cache").mkdir()
    (project / "locale/.cache/.gitignore").symlink_to(target)
    assert invoke("update", "--lang", "uk").exit_code == 0
    assert not target.exists()


def test_lock_file_hard_linked_to_an_outside_file_is_never_overwritten(project, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.link(victim, project / "locale/.pipeline.lock")
    assert invoke("update", "--lang", "uk").exit_code == 0
    assert victim.read_text() == "precious\n"


def test_memory_export_never_replaces_a_live_catalogue(project):
    before = (project / UK_PO).read_bytes()
    result = invoke("memory", "export", "--lang", "uk", "--out", UK_PO)
    assert result.exit_code == 2
    assert "never replaces a catalogue" in result.output.replace("\n", " ")
    assert (project / UK_PO).read_bytes() == before


def test_bundle_out_inside_the_catalogue_folder_is_refused(project):
    before = snapshot(project / "locale")
    result = invoke("bundle", "--lang", "uk", "--out", "locale/uk/LC_MESSAGES")
    assert result.exit_code == 2
    assert "among the catalogues" in result.output
    assert snapshot(project / "locale") == before


def test_settings_refuse_folders_outside_or_through_links(tmp_path):
    from pipeline.settings import Settings

    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError, match="outside the project"):
        Settings(root=tmp_path, locale_dir=Path("/"))
    with pytest.raises(OutputError, match="symbolic link"):
        Settings(root=tmp_path, output_dir=Path("link/dist"))
    assert Settings(root=tmp_path, locale_dir=Path("real/locale")).locale_path == tmp_path / "real/locale"


# --- one bounded reader: FIFOs and devices never hang, huge files are refused by size ---------------


@pytest.mark.parametrize("what", ["catalogue", "glossary"])
@pytest.mark.parametrize("command", [("status",), ("check", "--lang", "uk")])
def test_a_fifo_or_device_in_place_of_a_catalogue_or_glossary_never_hangs(project, what, command):
    target = project / (UK_PO if what == "catalogue" else "locale/glossary.csv")
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    done = subprocess_pipeline(project, *command, timeout=120)  # before the fix: a hang, then TimeoutExpired
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "Traceback" not in stderr and "named pipe (FIFO)" in stderr


def test_dev_zero_in_place_of_a_catalogue_is_refused_and_other_languages_bundle(project):
    (project / UK_PO).unlink()
    (project / UK_PO).symlink_to("/dev/zero")
    result = invoke("bundle", "--lang", "uk,pl")
    assert result.exit_code == 2
    assert "is a device, not a catalogue" in result.output
    assert (project / "dist/article/pl/article.txt").is_file()


def test_memory_import_of_a_fifo_is_refused_without_blocking(project):
    os.mkfifo(project / "incoming.tmx")
    done = subprocess_pipeline(project, "memory", "import", "incoming.tmx", timeout=120)
    assert done.returncode == 2 and b"named pipe (FIFO)" in done.stderr and b"Traceback" not in done.stderr


def test_an_import_over_the_size_limit_is_refused_before_reading(project, monkeypatch):
    from pipeline.runtime import reading

    monkeypatch.setitem(reading.LIMITS, "import", 1000)
    (project / "big.tmx").write_bytes(b"<?xml version='1.0'?><tmx>" + b" " * 2000 + b"</tmx>")
    result = invoke("memory", "import", "big.tmx")
    assert result.exit_code == 2 and "over the" in result.output and "limit" in result.output


def test_roundtrip_refuses_a_sparse_huge_source_by_its_size(project, monkeypatch):
    with open(project / "seeds/huge.txt", "wb") as handle:
        handle.truncate(3 * 2**30)
    reads = []
    real_read, real_read_bytes = os.read, Path.read_bytes

    def read_bytes(self):
        if self.name == "huge.txt":
            raise AssertionError("the whole 3 GiB file was read into memory")
        return real_read_bytes(self)

    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = runner.invoke(app, ["roundtrip", "seeds/huge.txt"])
    assert result.exit_code == 2 and "over the 20 MiB limit" in result.output, result.exception
    assert reads == []


# --- rebuildable caches rebuild themselves -------------------------------------------------


def _damage_memory(project: Path, how: str) -> Path:
    assert invoke("update", "--lang", "uk,pl").exit_code == 0
    path = project / "locale/.cache/memory-uk.sqlite"
    if how == "folder":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        (path / "inside").mkdir(parents=True)
    elif how == "dropped table":
        db = sqlite3.connect(path)
        db.execute("DROP TABLE translation")
        db.commit()
        db.close()
    elif how == "damaged page":
        db = sqlite3.connect(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name='source'").fetchone()[0]
        db.close()
        with open(path, "r+b") as handle:
            handle.seek((root - 1) * page)
            handle.write(b"\xff" * page)  # the b-tree page of the indexed files, garbage
    return path


@pytest.mark.parametrize("how", ["folder", "dropped table", "damaged page"])
def test_a_damaged_memory_is_set_aside_and_rebuilt_and_every_language_bundles(project, how):
    path = _damage_memory(project, how)
    result = invoke("run", "seeds/article.txt", "--lang", "uk,pl", "--engine", "pseudo", "--use-fuzzy")
    assert result.exit_code in (0, 1), result.output
    assert "set aside" in result.output
    assert (project / "dist/article/uk/article.txt").is_file() and (project / "dist/article/pl/article.txt").is_file()
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM segment").fetchone()[0] > 0
    db.close()


@pytest.mark.parametrize("how", ["dropped table", "damaged page"])
def test_memory_rebuild_cures_a_damaged_memory(project, how):
    _damage_memory(project, how)
    result = invoke("memory", "rebuild", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert invoke("memory", "rebuild", "--lang", "uk").output.count("note:") == 0  # cured: nothing more to say


# --- terminals -----------------------------------------------------------------------------


def test_status_table_on_an_ascii_terminal_is_printed(project):
    done = subprocess_pipeline(project, "status", env={**ENV, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr.decode()
    assert b"uk" in done.stdout and b"Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("status",), ("status", "--format", "json"), ("check", "--lang", "uk")])
def test_output_to_dev_full_is_one_line_and_exit_2(project, command):
    with open("/dev/full", "w") as full:
        done = subprocess_pipeline(project, *command, stdout=full, stderr=subprocess.PIPE)
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode == 2
    assert lines[-1].startswith("error: the output could not be written") and not any("Traceback" in line for line in lines)


def test_stdout_closed_at_start_is_one_line_and_exit_2(project):
    done = subprocess.run(
        f"{sys.executable} -m pipeline status >&-", shell=True, cwd=project, stderr=subprocess.PIPE, timeout=120, env=ENV
    )
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "standard output" in lines[0], lines


# --- user patterns, names, folders ----------------------------------------------------


@pytest.mark.parametrize("pattern", ["(a+)+b", "(?:x|xy)*z", r"(\w+)\1"])
def test_credit_patterns_that_can_backtrack_exponentially_are_refused(empty_project, pattern):
    set_setting(empty_project / "pyproject.toml", f"credit_patterns = ['{pattern}']")
    (empty_project / "seeds/a.txt").write_text("Headline\n\nText " + "a" * 20 + "\n")
    result = invoke("extract", "seeds/a.txt")
    assert result.exit_code == 2
    assert "exponential time" in result.output


def test_a_source_file_name_with_a_newline_is_refused_before_the_template_is_written(empty_project):
    (empty_project / "seeds/two\nlines.txt").write_text("Headline\n\nSome text here.\n")
    result = invoke("extract", "seeds/two\nlines.txt")
    assert result.exit_code == 2 and "control character" in result.output
    assert not (empty_project / "locale").exists()


def test_run_with_a_source_relative_to_a_subfolder(project, monkeypatch):
    (project / "notes").mkdir()
    monkeypatch.chdir(project / "notes")
    before = (project / "locale/article.pot").read_bytes()
    result = invoke("extract", "../seeds/article.txt")
    assert result.exit_code == 0, result.output
    assert (project / "locale/article.pot").read_bytes() == before  # cited as seeds/article.txt, as from the root


def test_a_model_archive_with_too_many_members_is_refused_before_extracting(tmp_path, monkeypatch):
    import zipfile

    from pipeline.engines.argos import validate
    from pipeline.errors import ModelError

    monkeypatch.setattr(validate, "MAX_MEMBERS", 50)
    path = tmp_path / "many.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(60):
            archive.writestr(f"pkg/empty-{number}", b"")
    with pytest.raises(ModelError, match="60 members, over the limit of 50"):
        validate.validate_archive(path)


# --- a faulty model package fails its pair alone -------------------------------------------


@pytest.mark.parametrize("damage", ["random", "empty"])
def test_a_package_with_a_broken_tokenizer_fails_its_pair_alone(argos_packages, empty_project, damage):
    import shutil

    installed = Path(os.environ["ARGOS_PACKAGES_DIR"])
    models = empty_project / "models"
    for folder in installed.iterdir():
        if (folder / "metadata.json").is_file():
            shutil.copytree(folder, models / folder.name)
    broken = next(folder for folder in models.iterdir() if "en_uk" in folder.name)
    (broken / "sentencepiece.model").write_bytes(os.urandom(4096) if damage == "random" else b"")
    result = invoke("run", "seeds/article.txt", "--engine", "argos", "--lang", "uk,de", "--models-dir", "models", "--use-fuzzy")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot translate" in errors[0] and "reinstall" in errors[0], result.output
    # de went on: published, or (random-weight gibberish may fail a check) a preview; never "failed"
    assert (empty_project / "dist/article/de/article.txt").is_file() or (empty_project / "dist/article/preview/de/article.txt").is_file()
    manifest = json.loads((empty_project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert "de" not in manifest.get("failed", []) and "uk" not in manifest.get("published", [])


# --- charsets and quadratic output ------------------------------------------------------------


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex", "UTF-16", "idna"])
def test_a_transform_or_ascii_incompatible_charset_is_one_line_for_that_catalogue(project, charset):
    path = project / UK_PO
    path.write_bytes(path.read_bytes().replace(b"charset=UTF-8", f"charset={charset}".encode(), 1))
    result = invoke("bundle", "--lang", "uk,pl")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"charset={charset}" in errors[0] and "article.po" in errors[0], result.output
    assert (project / "dist/article/pl/article.txt").is_file()


def plant(project: Path, msgstr: str, *, code: str = "uk") -> str:
    import polib

    path = project / f"locale/{code}/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid and e.msgstr and not e.fuzzy and "330" not in e.msgid)
    entry.msgstr = msgstr
    po.save()
    return entry.msgid


def test_sixty_thousand_identical_findings_are_one(project):
    plant(project, "(" * 60_000)
    result = invoke("check", "--lang", "uk", "--format", "json", "--no-msgfmt")
    import json

    findings = [f for f in json.loads(result.output) if f.get("check") == "brackets"]
    assert len(findings) == 1


# --- invisible and control characters ----------------------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u2069", "\u200b", "\r", "\x00", "\x1b"])
def test_invisible_and_control_characters_are_errors_and_never_published(project, char):
    msgid = plant(project, "Видно " + char + "текст.")
    result = invoke("bundle", "--lang", "uk", "--format", "txt")
    assert result.exit_code == 1, result.output
    assert "[invisible]" in result.output
    assert not (project / "dist/article/uk/article.txt").exists()  # held back: not published
    preview = (project / "dist/article/preview/uk/article.txt").read_bytes()
    assert char.encode("utf-8") not in preview
    assert msgid.encode("utf-8") in preview  # the source stands in for the held-back sentence


def test_the_invisible_check_passes_joiners_and_what_the_source_has():
    from pipeline.checks import invisible

    assert invisible("Hello", "नमस्\u200dते", language="hi") == []  # a joiner is spelling
    assert invisible("a\u200bb", "c\u200bd", language="uk") == []
    assert invisible("ab", "c\u202ed", language="uk") == ["the translation holds the invisible character U+202E RIGHT-TO-LEFT OVERRIDE; remove it"]


def test_the_review_page_shows_invisible_characters(project):
    plant(project, "Видно \u202eтекст.")
    invoke("run", "seeds/article.txt", "--lang", "uk", "--engine", "pseudo")
    page = (project / "dist/article/review.html").read_text(encoding="utf-8")
    assert "\u202e" not in page
    assert "[U+202E]" in page and "RIGHT-TO-LEFT OVERRIDE" in page


def test_a_nul_escape_is_never_written_raw_into_the_catalogue(project):
    path = project / UK_PO
    data = path.read_bytes()
    first = data.index(b'msgstr "', data.index(b"\n\n"))  # the first entry after the header
    path.write_bytes(data[: first + 8] + b"\\000\\033" + data[first + 8 :])
    assert invoke("update", "--lang", "uk", "--purge-obsolete").exit_code == 0
    from pipeline.gettext.catalogue import Catalogue, parse_catalogue, write_catalogue

    catalogue = parse_catalogue(path.read_bytes(), path=path)
    catalogue.po[0].tcomment = "touched"
    write_catalogue(catalogue)
    written = path.read_bytes()
    assert b"\x00" not in written and b"\x1b" not in written
    assert b"\\000\\033" in written


# --- bundles publish the right sentence, escaped for their format ----------------------------


def test_an_alt_context_entry_is_not_published_over_the_context_less_one(project):
    import polib

    path = project / UK_PO
    po = polib.pofile(str(path))
    reviewed = next(e for e in po if e.msgid and e.msgstr and not e.fuzzy and "330" not in e.msgid)
    po.append(polib.POEntry(msgctxt="alt", msgid=reviewed.msgid, msgstr="ІНШИЙ ПЕРЕКЛАД."))
    po.save()
    assert invoke("bundle", "--lang", "uk", "--format", "txt").exit_code == 0
    published = (project / "dist/article/uk/article.txt").read_text(encoding="utf-8")
    assert reviewed.msgstr in published and "ІНШИЙ ПЕРЕКЛАД" not in published


def test_a_tmx_unit_in_an_unknown_language_skips_that_unit_and_names_the_file(project):
    tmx = project / "incoming.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="en"><seg>Good morning.</seg></tuv><tuv xml:lang="uk"><seg>Доброго ранку.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Good night.</seg></tuv><tuv xml:lang="qq-Zzzz-99x"><seg>???</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    result = invoke("memory", "import", "incoming.tmx")
    assert result.exit_code == 2, result.output
    assert "incoming.tmx" in result.output and "qq-Zzzz-99x" in result.output
    assert "Доброго ранку." in (project / "locale/uk/compendium.po").read_text(encoding="utf-8")


_HOSTILE = None


def hostile_texts():
    from hypothesis import strategies as st

    pieces = st.sampled_from(
        ["~~~ ", "```", "# ", "> ", "- ", "1. ", "2) ", "* ", "_", "**", "[a](b)", "<b>", "&amp;", "&#65;", "\\", "|", "!", "=", "+",
         "<script>", "</p>", '"', "'", "—", "текст", "a", " ", "{", "}", "@x", "`"]
    )
    return st.lists(pieces, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


def test_every_bundle_format_escapes_hostile_translations_and_parses_back(tmp_path):
    """Each text format's writer, parsed back by that format's own parser, gives the translation exactly."""
    import html.parser
    import json as json_mod

    from hypothesis import HealthCheck, given, settings as hsettings
    from markdown_it import MarkdownIt

    from pipeline.article import parse_article
    from pipeline.bundle.formats import FORMATS
    from pipeline.bundle.model import LanguageBundle
    from pipeline.gettext.languages import language

    # a story with its own date, so the md date line (Babel's "3 грудня 2026 р.") is parsed back too
    article = parse_article(b"Date: 2026-12-03\nHeadline here\n\nThe body sentence.\n", path="seeds/a.txt")
    assert article.date == "2026-12-03"
    markdown = MarkdownIt("commonmark")

    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.where, self.found = [], {}

        def handle_starttag(self, tag, attrs):
            self.where.append(tag)

        def handle_endtag(self, tag):
            self.where.pop()

        def handle_data(self, data):
            if self.where and self.where[-1] in ("h1", "p"):
                self.found.setdefault(self.where[-1], []).append(data)

    def bundle(text: str) -> LanguageBundle:
        from pipeline.bundle import build_language

        import polib

        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "uk"}
        for segment in article.segments:
            po.append(polib.POEntry(msgid=segment.msgid, msgstr=text))
        return build_language(article, po, language("uk"), findings=[], threshold=0)

    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(hostile_texts())
    def check(text):
        built = bundle(text)
        md = FORMATS["md"].function(built).decode("utf-8")
        tokens = markdown.parse(md)
        heading = tokens[1]
        assert tokens[0].type == "heading_open" and heading.content and "".join(
            c.content for c in heading.children if c.type == "text"
        ) == text, md
        paragraphs = [t for t in tokens if t.type == "inline"]
        assert "".join(c.content for c in paragraphs[1].children if c.type == "text") == built.date  # "3. Dezember": no stray backslash
        assert "".join(c.content for c in paragraphs[-1].children if c.type == "text") == text, md
        parser = Text()
        parser.feed(FORMATS["html"].function(built).decode("utf-8"))
        assert "".join(parser.found["h1"]) == text and "".join(parser.found["p"][-1:]) == text
        assert json_mod.loads(FORMATS["json"].function(built))["headline"] == text
        assert text in FORMATS["txt"].function(built).decode("utf-8")

    check()


# --- campaigns: settings, file kinds and names; nothing outside, nothing lost, no traceback ----------

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

CAMPAIGN = hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SHORT = "Troops on patrol\n\nThe footage shows soldiers. They walk past a house.\n\nA caption here. (@NGUmainpage/Newsflash)\n"


def _fresh_project(base: Path) -> tuple[Path, Path]:
    """A small project and a sibling folder outside it (holding a temp-shaped file) in a new folder under *base*."""
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=base))
    project, outside = folder / "project", folder / "outside"
    (project / "seeds").mkdir(parents=True)
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / ".keep.abcdefgh.tmp").write_text("outside")
    (project / "pyproject.toml").write_text('[tool.pipeline]\nlanguages = ["uk", "pl"]\nengine = "pseudo"\nsources = ["seeds/short.txt"]\n')
    (project / "seeds/short.txt").write_text(SHORT)
    (project / "link").symlink_to(outside)
    return project, outside


FOLDERS = st.sampled_from(["locale", "dist", "..", ".", "/", "link", "link/sub", "sub/../..", "a/b", "../outside", "locale/x", "dist/../locale"])


@CAMPAIGN
@given(locale_dir=FOLDERS, output_dir=FOLDERS, command=st.sampled_from(["extract", "run", "update", "status", "bundle"]))
def test_campaign_settings_never_write_outside_the_project(tmp_path_factory, monkeypatch, locale_dir, output_dir, command):
    base = tmp_path_factory.mktemp("campaign-settings")
    project, outside = _fresh_project(base)
    set_setting(project / "pyproject.toml", f'locale_dir = "{locale_dir}"')
    set_setting(project / "pyproject.toml", f'output_dir = "{output_dir}"')
    before_outside, before_base = snapshot(outside), {p for p in base.rglob("*") if not p.is_relative_to(project)}
    monkeypatch.chdir(project)
    args = {"extract": ["extract"], "run": ["run", "--use-fuzzy"], "update": ["update"], "status": ["status"], "bundle": ["bundle"]}[command]
    result = invoke(*args)
    assert result.exit_code in (0, 1, 2), result.output
    assert snapshot(outside) == before_outside
    assert {p for p in base.rglob("*") if not p.is_relative_to(project)} == before_base  # nothing new beside the project
    written = [p for p in project.rglob("*") if p.is_file() and not p.is_symlink()]
    assert all(p.resolve().is_relative_to(project.resolve()) for p in written)


KINDS = st.sampled_from(["fifo", "folder", "dev-zero link", "dangling link", "empty", "garbage", "hard link"])
PLACES = st.sampled_from(
    ["locale/uk/LC_MESSAGES/short.po", "locale/glossary.csv", "locale/.cache/memory-uk.sqlite", "locale/.cache/results.sqlite", "locale/.cache/.gitignore", "locale/uk/compendium.po"]
)


@CAMPAIGN
@given(kind=KINDS, place=PLACES, command=st.sampled_from(["run --use-fuzzy", "status", "check", "bundle --use-fuzzy", "memory rebuild"]))
def test_campaign_file_kinds_never_hang_lose_or_traceback(tmp_path_factory, monkeypatch, kind, place, command):
    base = tmp_path_factory.mktemp("campaign-kinds")
    project, outside = _fresh_project(base)
    monkeypatch.chdir(project)
    assert invoke("run", "--use-fuzzy").exit_code == 0
    victim = outside / "victim.bin"
    victim.write_bytes(b"outside data")
    target = project / place
    if target.is_dir() and not target.is_symlink():
        import shutil

        shutil.rmtree(target)
    elif os.path.lexists(target):
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "dev-zero link":
        target.symlink_to("/dev/zero")
    elif kind == "dangling link":
        target.symlink_to(outside / "missing")
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "garbage":
        target.write_bytes(os.urandom(3000))
    else:
        os.link(victim, target)
    pl = project / "locale/pl/LC_MESSAGES/short.po"
    kept = pl.read_bytes()
    result = invoke(*command.split())
    assert result.exit_code in (0, 1, 2), result.output
    assert victim.read_bytes() == b"outside data" and not (outside / "missing").exists()
    assert pl.read_bytes() == kept  # the other language's catalogue is never lost
    if command.split()[0] in ("run", "bundle"):
        assert (project / "dist/short/pl/short.txt").is_file(), result.output  # nor its bundle


NAMES = st.lists(st.sampled_from(list("ab -_.~#$%&'()[]{}é\u202e\u00a0\n\t\r/") + [".."]), min_size=1, max_size=10).map("".join)


@CAMPAIGN
@given(name=NAMES)
def test_campaign_source_names_give_a_valid_template_or_one_line(tmp_path_factory, monkeypatch, name):
    from pipeline.gettext.catalogue import read_catalogue

    base = tmp_path_factory.mktemp("campaign-names")
    project, outside = _fresh_project(base)
    monkeypatch.chdir(project)
    try:
        path = project / "seeds" / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SHORT)
    except OSError:
        return  # a name the filesystem refuses: nothing to give the pipeline
    before = snapshot(outside)
    relative = os.path.relpath(path, project)
    result = invoke("extract", relative)
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert len([line for line in result.output.splitlines() if line.strip()]) == 1, result.output
    else:
        for template in (project / "locale").glob("*.pot"):
            read_catalogue(template)  # parses back: every later `update` can read it
    assert snapshot(outside) == before


def _charsets():
    import encodings.aliases

    names = sorted(set(encodings.aliases.aliases.values()) | {"rot13", "base64", "zlib", "hex", "bz2", "uu", "quopri", "idna", "punycode", "CHARSET", "x-unknown"})
    return st.sampled_from(names)


@CAMPAIGN
@given(charset=_charsets(), command=st.sampled_from(["status", "check", "bundle"]))
def test_campaign_any_declared_charset_is_a_result_or_one_line_for_that_catalogue(tmp_path_factory, monkeypatch, charset, command):
    base = tmp_path_factory.mktemp("campaign-charsets")
    project, _ = _fresh_project(base)
    monkeypatch.chdir(project)
    assert invoke("run", "--use-fuzzy").exit_code == 0
    uk, pl = project / "locale/uk/LC_MESSAGES/short.po", project / "locale/pl/LC_MESSAGES/short.po"
    uk.write_bytes(uk.read_bytes().replace(b"charset=UTF-8", f"charset={charset}".encode(), 1))
    kept = pl.read_bytes()
    result = invoke(*([command, "--use-fuzzy"] if command == "bundle" else [command]))
    assert result.exit_code in (0, 1, 2), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert all("short.po" in line for line in errors), result.output
    assert pl.read_bytes() == kept
    if command == "bundle":
        assert (project / "dist/short/pl/short.txt").is_file()


def test_a_language_folder_linked_out_of_the_locale_folder_is_never_written_through(project, tmp_path):
    import shutil

    outside = tmp_path / "elsewhere"
    shutil.move(project / "locale/uk", outside)
    (project / "locale/uk").symlink_to(outside)
    (outside / "LC_MESSAGES/article.po").write_bytes((outside / "LC_MESSAGES/article.po").read_bytes() + b"\n# planted\n")
    before = snapshot(outside)
    result = invoke("update", "--lang", "uk")
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert snapshot(outside) == before
