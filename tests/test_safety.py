"""Odd and hostile input is refused cheaply, read-only commands write nothing, and no input gives a traceback.

Issue 11, items 3-8 and 11. Each test names the case it covers; where the
case was a hang (a FIFO) or a crash (a traceback), the test fails before the
fix by that hang or by the unhandled exception CliRunner records.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from typer.testing import CliRunner

from pipeline import article as article_mod
from pipeline import engines
from pipeline.article import protect
from pipeline.article import MAX_SOURCE_BYTES, parse_article
from pipeline.gettext.catalogue import read_catalogue, write_catalogue
from pipeline.cli import app
from pipeline.errors import ConfigError, LanguageError, SourceError
from pipeline.gettext.languages import normalise_code, parse_languages
from pipeline.settings import Settings

from conftest import ROOT, make_project

runner = CliRunner()
UK_PO = "locale/uk/LC_MESSAGES/article.po"
FUZZ = hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file (with its bytes) and folder under *folder*, the lock file included."""
    return {
        p.relative_to(folder).as_posix(): ("dir" if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


def set_setting(pyproject: Path, line: str) -> None:
    """Put `key = value` into [tool.pipeline], replacing the key's line if there is one."""
    key = line.split("=")[0].strip()
    kept = [old for old in pyproject.read_text().splitlines() if old.split("=")[0].strip() != key]
    pyproject.write_text("\n".join(kept).replace("[tool.pipeline]", f"[tool.pipeline]\n{line}", 1) + "\n")


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    # An unhandled exception is a traceback for the user: never acceptable.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


# --- regular expressions: linear, and as correct as before -----------------------

# The e-mail pattern as it was: correct but quadratic on `a-a-a-…` (30 s on 80 k characters).
_OLD_PATTERNS = dict(protect._PATTERNS)
_OLD_PATTERNS["email"] = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
_OLD_MASTER = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _OLD_PATTERNS.items()))


def old_find_spans(text: str) -> list[tuple[str, str, int]]:
    spans = []
    for match in _OLD_MASTER.finditer(text):
        value = match.group()
        if match.lastgroup == "number":
            value = value.rstrip(" \u00a0\u202f,.")
        spans.append((match.lastgroup, value, match.start()))
    return spans


NEWSY = st.text(alphabet="ab1-._+@ :/w{}%()s,\u00a0\n", max_size=60)


@given(NEWSY)
@hsettings(max_examples=300, deadline=None)
def test_protected_spans_are_unchanged_by_the_linear_patterns(text):
    # Under 64 characters no e-mail local part can reach the new bound: same spans as before.
    assert [(s.kind, s.text, s.start) for s in protect.find_spans(text)] == old_find_spans(text)


_OLD_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


@given(st.text(alphabet=" \t\r\nab", max_size=80))
@hsettings(max_examples=300, deadline=None)
def test_folding_is_unchanged_by_the_linear_pattern(text):
    assert article_mod.fold(text) == _OLD_LINE_BREAK.sub(" ", text)


PATHOLOGICAL = {
    "a-a-a": "a-" * 40_000,
    "a.a.a": "a." * 40_000,
    "x@b-b-b": "x@" + "b-" * 40_000,
    "blanks": "x" + " " * 80_000 + "y",
    "www": "www." + "." * 80_000,
    "digits": "1," * 40_000,
    "parens": "(@a/" * 20_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_80k_inputs_give_the_right_answer(name):
    """The inputs that took seconds to minutes (timing is the bench's job: bench/bench_regex.py)."""
    text = PATHOLOGICAL[name]
    spans = protect.find_spans(text)
    if name == "x@b-b-b":
        assert not [s for s in spans if s.kind == "email"]  # no dot: not an e-mail
    if name == "digits":
        assert len(spans) == 20_000 and {s.text for s in spans} == {"1,1"}  # a decimal comma
    if name == "blanks":
        assert article_mod.fold(text) == text
    article = parse_article(("Headline\n\n" + text).encode(), path="p.txt")
    assert "".join(s.msgid for s in article.segments).replace(" ", "") == ("Headline" + text).replace(" ", "").replace("\n", "")


def test_email_local_part_is_bounded_to_rfc_5321_length():
    assert [s.kind for s in protect.find_spans("write to " + "a" * 64 + "@example.org")] == ["email"]
    assert "email" not in [s.kind for s in protect.find_spans("write to " + "a" * 65 + "@example.org")]


# --- bounded input ------------------------------------------------------------------


def test_fifo_source_is_refused_without_blocking(empty_project):
    os.mkfifo(empty_project / "seeds/pipe.txt")  # before: opening it waited for a writer forever, holding the lock
    line = one_error_line(invoke("extract", "seeds/pipe.txt"))
    assert "seeds/pipe.txt: is a named pipe (FIFO), not an article file" in line
    assert not (empty_project / "locale").exists()


def test_device_and_folder_sources_are_refused(empty_project):
    assert "/dev/zero: is a device, not an article file" in one_error_line(invoke("extract", "/dev/zero"))
    (empty_project / "seeds/folder.txt").mkdir()
    assert "seeds/folder.txt: is a folder" in one_error_line(invoke("extract", "seeds/folder.txt"))
    assert not (empty_project / "locale").exists()


def test_sparse_4_gib_file_is_refused_by_its_size_before_reading(empty_project, monkeypatch):
    path = empty_project / "seeds/huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(4 * 2**30)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    line = one_error_line(invoke("extract", "seeds/huge.txt"))
    assert "4,294,967,296 bytes is over the 20 MiB limit" in line
    assert reads == []


def test_a_file_that_grows_after_stat_is_read_only_up_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES * 3)
    real_fstat = os.fstat

    class Small:  # what fstat said before the file grew
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(SourceError, match=f"{MAX_SOURCE_BYTES + 1:,} bytes is over the 20 MiB limit"):
        article_mod.source.read_bounded(path, "growing.txt")


@pytest.mark.parametrize(
    "encoding, name",
    [("utf-16-le", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian)"), ("utf-32-le", "UTF-32 (little-endian)"), ("utf-32-be", "UTF-32 (big-endian)")],
)
def test_utf16_and_utf32_articles_are_named_by_their_bom(encoding, name):
    data = "\ufeffHeadline\n\nBody text.\n".encode(encoding)
    with pytest.raises(SourceError) as caught:
        parse_article(data, path="wide.txt")
    assert f"wide.txt: the file is {name}, by its byte-order mark, not UTF-8" in str(caught.value)


def test_source_file_name_that_is_not_utf8_is_reported(empty_project):
    name = os.fsdecode(b"seeds/caf\xe9.txt")
    Path(name).write_bytes(b"Headline\n\nBody.\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", os.fsencode(name)],
        cwd=empty_project, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "Traceback" not in stderr, stderr
    assert "caf\\xe9.txt: the file name is not valid UTF-8; rename the file" in stderr
    assert not (empty_project / "locale").exists()


# --- credits ----------------------------------------------------------------------


def test_caption_on_the_first_line_is_not_the_headline():
    data = b"Soldiers on patrol in Lyman. (@NGUmainpage/Newsflash)\n\nThe war goes on.\n"
    article = parse_article(data, path="t.txt")
    assert [b.role for b in article.blocks] == ["caption", "body"]
    assert article.blocks[0].caption_credit == "(@NGUmainpage/Newsflash)"
    assert [s.msgid for s in article.segments] == ["Soldiers on patrol in Lyman.", "The war goes on."]
    assert article_mod.encode(article, article_mod.render(article, {})) == data


@pytest.mark.parametrize(
    "credit",
    ["(Photo by John Smith/AP)", "(Photo: Jane Doe/Reuters)", "(@handle/Agency)", "(photos by Ann Lee / Getty Images)", "(Picture courtesy of the Army)"],
)
def test_agency_credit_styles_are_recognised(credit):
    article = parse_article(f"Headline\n\nTroops on patrol. {credit}\n".encode(), path="t.txt")
    assert article.blocks[1].role == "caption" and article.blocks[1].caption_credit == credit
    assert all(credit not in s.msgid for s in article.segments)


def test_caption_line_inside_a_paragraph_keeps_its_credit_out_of_the_msgids():
    data = b"Headline\n\nTroops on patrol. (Photo by John Smith/AP)\nThe war goes on. It is day 225.\n"
    article = parse_article(data, path="t.txt")
    assert [(b.role, b.caption_credit) for b in article.blocks] == [
        ("headline", None), ("caption", "(Photo by John Smith/AP)"), ("body", None)
    ]
    assert [s.msgid for s in article.segments] == ["Headline", "Troops on patrol.", "The war goes on.", "It is day 225."]
    rendered = article_mod.render(article, {"Troops on patrol.": "Війська в патрулі."})
    assert "Війська в патрулі. (Photo by John Smith/AP)\nThe war goes on." in rendered


def test_article_of_credits_only_is_refused(empty_project):
    (empty_project / "seeds/credits.txt").write_text("(@NGUmainpage/Newsflash)\n\n(Photo by John Smith/AP)\n")
    line = one_error_line(invoke("run", "seeds/credits.txt", "--engine", "pseudo"))
    assert "seeds/credits.txt: holds only photo credits, no sentence to translate" in line
    assert not (empty_project / "locale").exists() and not (empty_project / "dist").exists()


def test_credit_patterns_from_the_settings_apply(empty_project):
    set_setting(empty_project / "pyproject.toml", "credit_patterns = ['\\[Credit [^\\]]+\\]']")
    (empty_project / "seeds/custom.txt").write_text("Headline\n\nA picture. [Credit AP]\n")
    assert invoke("extract", "seeds/custom.txt").exit_code == 0
    assert [e.msgid for e in polib.pofile(str(empty_project / "locale/custom.pot"))] == ["Headline", "A picture."]


CREDITS = st.sampled_from(
    ["(@NGUmainpage/Newsflash)", "(@Someone)", "(Photo by John Smith/AP)", "(Photo: Jane Doe/Reuters)", "(Video: Staff/AFP)"]
)
WORDS = st.lists(st.sampled_from(["Troops", "patrol", "Lyman.", "61,330", "@handle", "the", "area", "(now)", "Dr.", "e.g."]), min_size=1, max_size=8)
LINE = st.tuples(WORDS, st.one_of(st.none(), CREDITS)).map(lambda t: " ".join(t[0]) + (f" {t[1]}" if t[1] else ""))
ARTICLE = st.lists(st.lists(LINE, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=6).map("\n\n".join)


@given(ARTICLE)
@hsettings(max_examples=100, deadline=None)
def test_a_credit_never_becomes_a_msgid(text):
    article = parse_article(text.encode(), path="t.txt")
    credits = [c for c in ["(@NGUmainpage/Newsflash)", "(@Someone)", "(Photo by John Smith/AP)", "(Photo: Jane Doe/Reuters)", "(Video: Staff/AFP)"] if c in text]
    for segment in article.segments:
        assert not any(credit in segment.msgid for credit in credits), segment.msgid
    assert sorted(b.caption_credit for b in article.blocks if b.caption_credit) == sorted(
        credit for line in text.splitlines() for credit in credits if line.endswith(credit)
    )
    assert article_mod.encode(article, article_mod.render(article, {})) == text.encode()


# --- settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, message",
    [
        ("languages = 5", "[tool.pipeline] languages must be a list of language codes (strings), not 5."),
        ('bundle_threshold = "80"', "[tool.pipeline] bundle_threshold must be a number from 0 to 100, not '80'."),
        ("locale_dir = 5", "[tool.pipeline] locale_dir must be a folder path (a string), not 5."),
        ("use_fuzzy = 1", "[tool.pipeline] use_fuzzy must be true or false, not 1."),
        ('engine = "deepl"', "[tool.pipeline] engine must be one of argos, pseudo, not 'deepl'."),
        ('device = "tpu"', "[tool.pipeline] device must be one of cpu, cuda, auto, not 'tpu'."),
        ("threads = -3", "[tool.pipeline] threads must be a whole number of at least 0, not -3."),
        ('languages = ["uk", "en"]', "languages: en is the source language, not a target"),
        ('languages = ["UK", "xx"]', "'xx' is not a language Babel knows"),
        ("credit_patterns = ['(']", "credit pattern is not a valid regular expression"),
    ],
)
def test_settings_of_the_wrong_type_are_one_line_naming_the_key(empty_project, line, message):
    set_setting(empty_project / "pyproject.toml", line)
    before = tree(empty_project)
    for command in (["status"], ["run"], ["models", "list"]):
        assert message in one_error_line(invoke(*command))
    assert tree(empty_project) == before


def test_unknown_setting_does_not_offer_root(empty_project):
    pyproject = empty_project / "pyproject.toml"
    set_setting(pyproject, "colour = 'blue'")
    line = one_error_line(invoke("status"))
    assert "unknown setting [tool.pipeline] colour" in line and "root" not in line.split("known:")[1]
    set_setting(pyproject, "root = '/'")
    assert "unknown setting [tool.pipeline] root" in one_error_line(invoke("status"))


def test_malformed_pyproject_with_models_list_is_one_line(empty_project):
    (empty_project / "pyproject.toml").write_text("[tool.pipeline\nlanguages = \n")
    assert "pyproject.toml: not valid TOML" in one_error_line(invoke("models", "list"))


# --- command-line conventions ----------------------------------------------------------


def test_version_and_short_help():
    result = invoke("--version")
    assert result.exit_code == 0 and re.fullmatch(r"pipeline \S+\n", result.output)
    for args in (["-h"], ["check", "-h"], ["models", "list", "-h"]):
        result = invoke(*args)
        assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize(
    "args, option",
    [
        (["status", "--format", "yaml"], "--format"),
        (["check", "--format", "yaml"], "--format"),
        (["models", "list", "--format", "yaml"], "--format"),
        (["run", "--engine", "pseudo", "--device", "tpu"], "--device"),
        (["run", "--engine", "pseudo", "--compute-type", "float99"], "--compute-type"),
        (["translate", "--threads", "-3"], "--threads"),
        (["run", "--engine", "deepl"], "--engine"),
        (["run", "--wait", "-1"], "--wait"),
    ],
)
def test_bad_option_values_are_refused_naming_the_option_before_anything_is_written(empty_project, args, option):
    if args[0] == "run" and args[1] == "--wait":
        args = ["--wait", "-1", "run"]
    before = tree(empty_project)
    result = invoke(*args)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output
    assert tree(empty_project) == before


def test_source_language_is_refused_as_a_target(empty_project):
    line = one_error_line(invoke("run", "--engine", "pseudo", "--lang", "en"))
    assert "--lang: en is the source language, not a target" in line
    assert not (empty_project / "locale").exists()


def test_language_codes_are_normalised_through_babel():
    assert parse_languages(["UK", "uk-UA,PL", "pt-br"]) == ("uk", "uk_UA", "pl", "pt_BR")
    assert normalise_code("zh-hant-tw") == "zh_Hant_TW"
    with pytest.raises(LanguageError, match="did you mean 'uk'"):
        normalise_code("ukr")
    with pytest.raises(LanguageError, match="not a language Babel knows"):
        normalise_code("xx")


def test_upper_case_lang_finds_the_catalogue(project):
    result = invoke("status", "--lang", "UK", "--format", "json")
    assert result.exit_code == 0 and '"language": "uk"' in result.output


def test_lang_with_no_catalogue_is_nothing_found_exit_2(project):
    line = one_error_line(invoke("status", "--lang", "uk-UA"))
    assert "no catalogue found under locale for uk_UA" in line


class _ClosedPipe:
    """A stdout whose reader has gone (`| head -1`)."""

    encoding = "utf-8"

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("no file descriptor")


SHORT = "Troops on patrol\n\nThe footage shows soldiers. They walk past a house.\n\nA caption here. (@NGUmainpage/Newsflash)\n"
"""An article with no number: its pseudo output passes the publishing gate (pseudo keeps 61,330 as written)."""


def test_closed_stdout_never_aborts_the_batch(empty_project, monkeypatch):
    from pipeline import cli

    (empty_project / "seeds/short.txt").write_text(SHORT)

    monkeypatch.setattr(cli._Stdout, "closed_pipe", False)
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(SystemExit) as stopped:
        app(["run", "seeds/short.txt", "--engine", "pseudo", "--use-fuzzy", "--lang", "uk"], standalone_mode=True)
    assert stopped.value.code in (0, None)
    assert (empty_project / "dist/short/uk/short.txt").is_file()


def test_run_piped_into_head_completes(empty_project):
    (empty_project / "seeds/short.txt").write_text(SHORT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "seeds/short.txt", "--engine", "pseudo", "--use-fuzzy", "--lang", "uk,pl"],
        cwd=empty_project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    proc.stdout.close()  # the reader is gone before the first line
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert (empty_project / "dist/short/pl/short.txt").is_file()


# --- engines validated first; pseudo output gives way to a real engine ------------------------


class StubEngine:
    """A deterministic real engine: `translation of <sentence>`."""

    name = "stub"

    def provenance(self, source, target):
        return f"stub {source}→{target}"

    def translate_batch(self, sentences, *, source, target, progress=None):
        return [f"translation of {s}" for s in sentences]


@pytest.fixture
def stub_engine():
    """`--engine stub` registered through the public registry for one test."""
    engines.register_engine("stub", StubEngine, produces_translations=True)
    yield
    engines.unregister_engine("stub")


def test_a_real_engine_replaces_pseudo_output_but_never_a_human_translation(empty_project, stub_engine):
    (empty_project / "seeds/short.txt").write_text(SHORT)
    assert invoke("run", "seeds/short.txt", "--engine", "pseudo", "--use-fuzzy", "--lang", "uk").exit_code == 0
    path = empty_project / "locale/uk/LC_MESSAGES/short.po"
    po = read_catalogue(path)
    reviewed = po[1]
    reviewed.msgstr, reviewed.flags = "Людський переклад.", []
    kept_fuzzy_by_hand = po[2]  # a human's fuzzy translation (no machine comment)
    kept_fuzzy_by_hand.msgstr, kept_fuzzy_by_hand.tcomment = "Чернетка перекладача.", ""
    write_catalogue(po, path)
    result = invoke("translate", "--engine", "stub", "--lang", "uk")
    assert result.exit_code == 0, result.output
    after = {e.msgid: e for e in read_catalogue(path)}
    assert after[reviewed.msgid].msgstr == "Людський переклад." and not after[reviewed.msgid].fuzzy
    assert after[kept_fuzzy_by_hand.msgid].msgstr == "Чернетка перекладача."
    others = [e for e in after.values() if e.msgid not in (reviewed.msgid, kept_fuzzy_by_hand.msgid) and e.msgid]
    assert others and all(e.msgstr == f"translation of {e.msgid}" and e.fuzzy for e in others)
    assert not any("~~" in e.msgstr for e in after.values())
    # and pseudo again leaves the real suggestions alone
    assert invoke("translate", "--engine", "pseudo", "--lang", "uk").exit_code == 0
    assert {e.msgid: e.msgstr for e in read_catalogue(path)} == {m: e.msgstr for m, e in after.items()}


def test_unsupported_compute_type_is_named_not_a_broken_model(argos_packages, empty_project):
    import ctranslate2

    from pipeline.settings import COMPUTE_TYPES

    # Which types a CPU lacks depends on the CPU (int16 needs AVX-512 or MKL): ask CTranslate2, as the engine does.
    unsupported = [kind for kind in COMPUTE_TYPES if kind not in ("default", "auto", *ctranslate2.get_supported_compute_types("cpu"))]
    assert unsupported, "this CPU supports every compute type; no refusal to test"
    kind = unsupported[0]
    assert invoke("run", "--engine", "pseudo", "--lang", "uk").exit_code == 3  # pseudo suggestions wait for translators
    result = invoke("translate", "--engine", "argos", "--lang", "uk", "--refresh-mt", "--compute-type", kind, "--device", "cpu")
    assert result.exit_code == 2
    assert f"--compute-type {kind} is not supported on cpu" in result.output and "reinstall" not in result.output


# --- read-only commands write nothing ------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["status"], ["check"], ["check", "--format", "json"], ["roundtrip"], ["models", "list"], ["--help"], ["status", "--help"], ["models", "--help"]],
)
def test_read_only_commands_create_nothing(project, args):
    """As root, chmod does not stop a write: a snapshot of every file and folder (the lock too) does."""
    os.remove(project / "locale" / ".pipeline.lock") if (project / "locale" / ".pipeline.lock").exists() else None
    before = tree(project)
    result = invoke(*args)
    assert result.exit_code in (0, 1), result.output
    assert tree(project) == before


@pytest.mark.parametrize("args", [["status"], ["check"], ["roundtrip"], ["models", "list"]])
def test_read_only_commands_work_on_a_read_only_checkout(project, args):
    before = tree(project)
    for path in [project, *project.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        result = invoke(*args)
        assert result.exit_code in (0, 1), result.output
        assert tree(project) == before
    finally:
        for path in [project, *project.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.mark.parametrize("command", ["status", "check"])
def test_nothing_found_is_exit_2_never_all_passed(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    line = one_error_line(invoke(command))
    assert "no catalogue found" in line and "All checks passed" not in line
    assert list(tmp_path.iterdir()) == []


def test_failed_extract_leaves_no_new_locale_folder(empty_project):
    (empty_project / "seeds/bad.txt").write_bytes(b"\xff\xfe\x00")
    one_error_line(invoke("extract", "seeds/bad.txt"))
    one_error_line(invoke("extract", "seeds/missing.txt"))
    assert not (empty_project / "locale").exists()


def test_leftover_temporary_files_of_our_pattern_are_removed_on_the_next_run(project):
    leftovers = [project / "locale/uk/LC_MESSAGES/.article.po.k2j_x9q0.tmp", project / "dist/article/uk/.article.txt.abcdefgh.tmp"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a catalogue")
    not_ours = [project / "locale/uk/notes.tmp", project / "locale/uk/.article.po.tmp", project / "dist/.x.toolong123.tmp"]
    for path in not_ours:
        path.write_bytes(b"someone else's")
    assert invoke("update", "--lang", "uk").exit_code == 0
    assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in not_ours)


# --- models -------------------------------------------------------------------------------


def _models_cli(tmp_path: Path, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command in a fresh interpreter whose home lies in *tmp_path* (argostranslate reads it at import)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    clean.update(HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd or tmp_path, env=clean, capture_output=True, text=True, timeout=300
    )


def _everything_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_models_dir_keeps_argostranslate_out_of_the_home_folder(tmp_path, argos_packages):
    """With --models-dir, argostranslate's index, downloads and config folders go beside it, not into ~."""
    home = tmp_path / "home"
    home.mkdir()
    project = make_project(tmp_path / "project", catalogues=False)
    package = str(argos_packages["en", "uk"])
    steps = [
        ["models", "--models-dir", "models", "install", package],
        ["models", "list", "--models-dir", "models"],
        ["run", "--lang", "uk", "--models-dir", "models"],
        ["translate", "--lang", "uk", "--models-dir", "models", "--refresh-mt"],
        ["models", "--models-dir", "models", "install", "--replace", package],
        ["models", "remove", "en", "uk", "--models-dir", "models"],
    ]
    for args in steps:
        done = _models_cli(tmp_path, *args, cwd=project)
        assert done.returncode == (3 if args[0] == "run" else 0), (args, done.stderr)  # run: machine suggestions wait for review
        assert "Traceback" not in done.stderr
        if args[0] in ("run", "translate"):
            assert "entries filled by argos" in done.stdout, done.stdout  # the Argos engine really ran
    assert _everything_under(home) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "project"]
    new = {p.name for p in project.iterdir()} - {"pyproject.toml", "seeds", "locale"}
    assert new == {"models", ".models.argos-translate", "dist"}
    assert _everything_under(project / ".models.argos-translate") == ["argos-translate", "argos-translate/downloads"]
    assert _everything_under(project / "models") == []


def test_without_models_dir_only_argostranslates_documented_folders_appear(tmp_path, argos_packages):
    """argostranslate's own default homes are created, and nothing else (no ONNX Runtime cache from `remove`)."""
    home = tmp_path / "home"
    home.mkdir()
    project = make_project(tmp_path / "project", catalogues=False)
    steps = (["models", "install", str(argos_packages["en", "uk"])], ["run", "--lang", "uk"], ["models", "remove", "en", "uk"])
    for args in steps:
        done = _models_cli(tmp_path, *args, cwd=project)
        assert done.returncode == (3 if args[0] == "run" else 0), (args, done.stderr)  # run: machine suggestions wait for review
        assert args[0] != "run" or "entries filled by argos" in done.stdout, done.stdout
    assert _everything_under(home) == [
        ".config", ".config/argos-translate",
        ".local", ".local/cache", ".local/cache/argos-translate", ".local/cache/argos-translate/downloads",
        ".local/share", ".local/share/argos-translate", ".local/share/argos-translate/packages",
    ]
    assert {p.name for p in project.iterdir()} == {"pyproject.toml", "seeds", "locale", "dist"}


def _package(tmp_path: Path, name: str, metadata: dict) -> Path:
    import json
    import zipfile

    path = tmp_path / f"{name}.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}/metadata.json", json.dumps(metadata))
        archive.writestr(f"{name}/model/model.bin", b"weights")
        archive.writestr(f"{name}/sentencepiece.model", b"tokenizer")
    return path


GOOD_META = {"package_version": "1.0", "from_code": "en", "to_code": "uk", "from_name": "English", "to_name": "Ukrainian"}


def test_wrong_typed_metadata_is_refused_before_extraction(tmp_path):
    from pipeline.engines.argos import packages as models

    bad = _package(tmp_path, "translate-en_uk-1_0", {**GOOD_META, "source_languages": "oops"})
    with pytest.raises(models.ModelError, match="'source_languages' of type str, where a list is required"):
        models.validate_archive(bad)
    proc = _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "'source_languages' of type str, where a list is required" in proc.stderr
    assert not (tmp_path / "m" / "translate-en_uk-1_0").exists()


def test_a_broken_package_folder_is_named_and_skipped_by_list(tmp_path):
    import json

    good = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    assert _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(good)).returncode == 0
    broken = tmp_path / "m" / "translate-en_pl-1_0"
    (broken / "model").mkdir(parents=True)
    (broken / "metadata.json").write_text(json.dumps({**GOOD_META, "to_code": "pl", "source_languages": "oops"}))
    listed = _models_cli(tmp_path, "models", "list", "--models-dir", "m", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [p["to"] for p in json.loads(listed.stdout)["packages"]] == ["uk"]
    assert f"warning: {broken}: its metadata.json has 'source_languages' of type str" in listed.stderr
    for args in (["install", str(good), "--replace"], ["remove", "en", "uk"]):
        proc = _models_cli(tmp_path, "models", "--models-dir", "m", *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert str(broken) in proc.stderr


def test_models_dir_that_is_a_file_is_one_line(tmp_path):
    proc = _models_cli(tmp_path, "models", "--models-dir", "/etc/passwd", "list")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "error: /etc/passwd: is a file, not a folder of models; give --models-dir (or models_dir) a folder."


def test_models_dir_below_a_file_is_one_line(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    package = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    proc = _models_cli(tmp_path, "models", "--models-dir", "afile/models", "install", str(package))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"error: {tmp_path / 'afile'}/") and "argostranslate cannot create its folder" in proc.stderr


def test_models_list_creates_nothing_in_the_home_folder(tmp_path):
    proc = _models_cli(tmp_path, "models", "list")  # no ARGOS_PACKAGES_DIR: argostranslate's default under ~/.local
    assert proc.returncode == 0, proc.stderr
    assert "No model installed" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []


KILL_MID_INSTALL = """
import os, signal, sys
from pathlib import Path
from pipeline.engines.argos import packages as models, staging

def extract_half_then_die(archive, into):
    members = archive.infolist()
    for member in members[: len(members) // 2 + 1]:
        archive.extract(member, into)
    os.kill(os.getpid(), signal.SIGKILL)  # what a kill -9 does: no cleanup runs

staging.extract_members = extract_half_then_die
models.install_file(Path(sys.argv[1]), replace=sys.argv[2] == "replace")
"""


def _killed_mid_install(tmp_path: Path, package: Path, *, replace: bool = False) -> None:
    """Install *package* into tmp_path/m in a process that SIGKILLs itself halfway through the extraction."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), ARGOS_PACKAGES_DIR=str(tmp_path / "m"))
    args = [sys.executable, "-c", KILL_MID_INSTALL, str(package), "replace" if replace else "keep"]
    assert subprocess.run(args, env=env, capture_output=True, timeout=120).returncode == -9


def test_the_next_install_removes_only_the_staging_a_dead_install_left(tmp_path):
    from pipeline.engines.argos import staging

    package = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    _killed_mid_install(tmp_path, package)
    host = staging.host_tag()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.installing-")]
    assert len(left) == 1 and re.fullmatch(rf"\.m\.installing-{host}-[0-9]+-[a-z0-9_]{{8}}", left[0]), left
    dead_pid = left[0].split("-")[-2]
    killed_remove = tmp_path / f".m.removing-{host}-{dead_pid}-abcdefgh"  # what a remove killed before its rmtree leaves
    (killed_remove / "translate-en_de-1_0" / "model").mkdir(parents=True)
    not_ours = [
        tmp_path / f".m.installing-{host}-{os.getpid()}-abcdefgh",  # a live process's (this one)
        tmp_path / ".m.installing-keepme",  # not our pattern
        tmp_path / f".other.installing-{host}-999999999-abcdefgh",  # another models folder's
        tmp_path / f".m.installing-{host}x-999999999-abcdefgh",  # another host's
    ]
    for path in not_ours:
        path.mkdir()
        (path / "data").write_text("not the pipeline's to delete")
    again = _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(package))
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / left[0]).exists() and not killed_remove.exists()
    assert all((path / "data").is_file() for path in not_ours)
    assert [p.name for p in (tmp_path / "m").iterdir()] == ["translate-en_uk-1_0"]


def test_a_package_a_killed_replace_moved_aside_is_put_back(tmp_path):
    package = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    assert _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(package)).returncode == 0
    _killed_mid_install(tmp_path, package, replace=True)
    assert list((tmp_path / "m").iterdir()) == []  # the old package is aside, the new one half-extracted
    again = _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(package))
    assert again.returncode == 2 and "already installed as translate-en_uk-1_0" in again.stderr, again.stderr
    assert [p.name for p in (tmp_path / "m").iterdir()] == ["translate-en_uk-1_0"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".m.installing-", ".m.replaced-"))]


def test_sigkill_mid_install_leaves_nothing_installed(tmp_path):
    package = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    _killed_mid_install(tmp_path, package)
    assert [p.name for p in (tmp_path / "m").iterdir()] == []  # the half-extracted package is not in the models folder
    listed = _models_cli(tmp_path, "models", "list", "--models-dir", "m")
    assert "No model installed" in listed.stdout, listed.stdout + listed.stderr
    again = _models_cli(tmp_path, "models", "--models-dir", "m", "install", str(package))
    assert again.returncode == 0 and "installed translate-en_uk-1_0" in again.stdout, again.stderr


# --- fuzzing: any input, exit 0/1/2, never a traceback, nothing written on an error ------------


@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
@FUZZ
def test_fuzz_article_bytes(empty_project, data):
    (empty_project / "seeds/fuzz.txt").write_bytes(data)
    before = tree(empty_project)
    result = invoke("extract", "seeds/fuzz.txt")
    assert result.exit_code in (0, 2)
    if result.exit_code != 0:
        assert tree(empty_project) == before  # not even a locale/ folder
    if (empty_project / "locale").exists():
        import shutil

        shutil.rmtree(empty_project / "locale")


PO_PIECES = st.sampled_from(
    ['msgid ""\nmsgstr ""\n"Language: uk\\n"\n', 'msgid "a"\n', 'msgstr "b"\n', '"c\\n"\n', "#, fuzzy\n", "#~ msgid \"x\"\n",
     'msgid "Heavy Gunfire"\nmsgstr "61 330"\n', "\n", 'msgstr[0] "x"\n', 'msgid_plural "p"\n', "msgctxt \"k\"\n", '"\\q"\n', "\ufeff", "é", "\x00"]
)


@given(st.lists(PO_PIECES, max_size=12).map("".join) | st.text(max_size=120))
@FUZZ
def test_fuzz_po_text(project, text):
    (project / UK_PO).write_bytes(text.encode("utf-8", "surrogatepass"))
    before = tree(project)
    for command in (["check", "--lang", "uk", "--no-msgfmt"], ["status", "--lang", "uk"]):
        result = invoke(*command)
        assert result.exit_code in (0, 1, 2)
        assert tree(project) == before
    result = invoke("compile", "--lang", "uk")
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:  # a writing command leaves its (documented) lock file, nothing else
        lockless = lambda found: {k: v for k, v in found.items() if k != "locale/.pipeline.lock"}  # noqa: E731
        assert lockless(tree(project)) == lockless(before)


SETTING_VALUES = st.one_of(
    st.integers(-5, 200).map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr), st.booleans().map(lambda b: str(b).lower()),
    st.text(alphabet="abcUK-_/. ", max_size=8).map(lambda s: '"' + s + '"'), st.lists(st.sampled_from(['"uk"', '"en"', "1", '"x y"', '"pl"']), max_size=3).map(lambda v: "[" + ", ".join(v) + "]"),
)


@given(st.sampled_from(sorted(f.name for f in fields(Settings) if f.name != "root")), SETTING_VALUES)
@FUZZ
def test_fuzz_settings_values(project, key, value):
    pyproject = project / "pyproject.toml"
    original = pyproject.read_text()
    packages_dir = os.environ.get("ARGOS_PACKAGES_DIR")  # `models list` with models_dir sets it for the process
    set_setting(pyproject, f"{key} = {value}")
    try:
        before = tree(project)
        for command in (["status"], ["check", "--no-msgfmt"], ["models", "list"]):
            result = invoke(*command)
            assert result.exit_code in (0, 1, 2)
            assert tree(project) == before
    finally:
        pyproject.write_text(original)
        if packages_dir is None:
            os.environ.pop("ARGOS_PACKAGES_DIR", None)
        else:
            os.environ["ARGOS_PACKAGES_DIR"] = packages_dir


def test_models_dir_works_after_install_and_remove_too(tmp_path):
    package = _package(tmp_path, "translate-en_uk-1_0", GOOD_META)
    installed = _models_cli(tmp_path, "models", "install", str(package), "--models-dir", "m")
    assert installed.returncode == 0 and "installed translate-en_uk-1_0" in installed.stdout, installed.stderr
    assert [p.name for p in (tmp_path / "m").iterdir()] == ["translate-en_uk-1_0"]
    removed = _models_cli(tmp_path, "models", "remove", "en", "uk", "--models-dir", "m")
    assert removed.returncode == 0 and "removed translate-en_uk-1_0" in removed.stdout, removed.stderr
    assert list((tmp_path / "m").iterdir()) == []
