"""Bad input, faults and hostile files never cost a translator's work."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from pipeline import workflow
from pipeline.article import encode, parse_article, render
from pipeline.gettext.catalogue import read_catalogue, write_catalogue
from pipeline.gettext.merge import merge
from pipeline.cli import app
from pipeline.errors import ConcurrentEditError, SourceError
from pipeline.gettext.template import build_template
from pipeline.gettext.languages import language
from pipeline.settings import load_settings

from conftest import files_snapshot

runner = CliRunner()
UK_PO = "locale/uk/LC_MESSAGES/article.po"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


BAD_SOURCES = {
    "empty": (b"", "the file is empty"),
    "whitespace-only": (b" \n\t\r\n\n", "only whitespace"),
    "binary": (bytes(range(256)) * 4, "binary file"),
    "not-utf8": ("Headline\n\nCafé".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 13)"),
    "control-character": (b"Headline\n\nA bell \x07 rings.", "control character U+0007"),
}


@pytest.mark.parametrize("name", sorted(BAD_SOURCES))
def test_bad_source_is_one_line_exit_2_and_nothing_changes(project, name):
    data, message = BAD_SOURCES[name]
    _write(project / f"seeds/{name}.txt", data)
    before = files_snapshot(project / "locale")
    result = runner.invoke(app, ["run", f"seeds/{name}.txt"])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: seeds/{name}.txt") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert files_snapshot(project / "locale") == before


def test_oversized_source_is_refused_with_the_documented_limit(project):
    _write(project / "seeds/huge.txt", b"Headline\n\n" + b"A sentence of news. " * 1_100_000)
    result = runner.invoke(app, ["extract", "seeds/huge.txt"])
    assert result.exit_code == 2 and "over the 20 MiB limit" in result.output


MALFORMED_PO = {
    "syntax": ('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr ""\n', ":4: malformed catalogue (syntax error"),
    "bad-escape": ('msgid "a"\nmsgstr "b\\q"\n', ":2: malformed catalogue (bad escape sequence"),
    "duplicate": ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "malformed catalogue"),
    "plural-forms": (
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n"Plural-Forms: nplurals=2; plural=(n > 2 ? 2 : 0);\\n"\n',
        "Plural-Forms 'nplurals=2; plural=(n > 2 ? 2 : 0);': plural gives form 2 (for n = 3) but nplurals is 2",
    ),
    "wrong-language": ('msgid ""\nmsgstr ""\n"Language: de\\n"\n', "header says Language: de"),
    "not-utf8": (b'msgid "a"\nmsgstr "\xe9"\n', "not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED_PO))
def test_malformed_catalogue_names_file_and_line_and_nothing_changes(project, name):
    content, message = MALFORMED_PO[name]
    _write(project / UK_PO, content if isinstance(content, bytes) else content.encode())
    before = (project / UK_PO).read_bytes()
    result = runner.invoke(app, ["run", "--engine", "pseudo"])
    assert result.exit_code == 2, result.output
    assert f"error: {project / UK_PO}" in result.output and message in result.output
    # The broken catalogue is left as it was and only its language is skipped.
    assert (project / UK_PO).read_bytes() == before
    assert not (project / "dist/article/uk").exists()
    for other in ("pl", "de", "fr", "es"):
        assert (project / f"dist/article/{other}/article.txt").is_file(), other
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    uk = next(e for e in manifest["languages"] if e["code"] == "uk")
    assert manifest["failed"] == ["uk"] and uk["state"] == "failed" and uk["reason"].startswith(f"{UK_PO}:")  # named relative to the project


@pytest.mark.parametrize("code", ["xx", "u k", "en_ZZZZZZZZZ", "../uk"])
def test_unknown_or_malformed_language_code(project, code):
    result = runner.invoke(app, ["update", "--lang", code])
    assert result.exit_code == 2 and "is not a language" in result.output


def test_missing_source_and_unwritable_output(project):
    result = runner.invoke(app, ["bundle", "seeds/nope.txt"])
    assert result.exit_code == 2 and "seeds/nope.txt: no such file" in result.output
    (project / "blocked").write_text("a file where a folder should be")
    result = runner.invoke(app, ["bundle", "--out", "blocked"])
    assert result.exit_code == 2 and "cannot write here" in result.output
    assert (project / "blocked").read_text() == "a file where a folder should be"


def test_bad_glossary_row_names_file_and_line(project):
    (project / "locale/glossary.csv").write_text("term,language,translation,note\nLyman,xx,Лиман,\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--lang", "uk"])
    assert result.exit_code == 2 and "glossary.csv:2" in result.output


def test_bom_and_crlf_are_valid_and_round_trip_byte_exact(project):
    data = b"\xef\xbb\xbfHeadline\r\n\r\nFirst sentence. Second one.\r\n\r\nA caption. (Photo: Jane Doe/Reuters)\r\n"
    _write(project / "seeds/windows.txt", data)
    result = runner.invoke(app, ["roundtrip", "seeds/windows.txt"])
    assert result.exit_code == 0 and "identical" in result.output


# --------------------------------------------------------------------------- faults


def test_translator_edit_during_a_run_is_never_overwritten(project):
    settings = load_settings()
    job = workflow.translation_jobs(settings, languages=("uk",))[0]
    path = project / UK_PO
    po = polib.pofile(str(path), wrapwidth=79)
    po[0].msgstr = "Редакторка змінила заголовок, поки працював конвеєр"
    po.save()  # the translator saves in Poedit while the pipeline holds its copy
    saved = path.read_bytes()
    job.catalogues[0][1].msgstr = "stale copy"
    with pytest.raises(ConcurrentEditError, match="changed by someone else"):
        job.save()
    assert path.read_bytes() == saved


def _pipeline(*args, cwd, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


def test_second_process_waits_then_fails_clearly_while_the_first_holds_the_lock(project):
    from support.locks import lock_held_elsewhere

    with lock_held_elsewhere(project):
        second = _pipeline("--wait", "0.5", "update", cwd=project)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert "another pipeline process is working on these catalogues" in err
    done = _pipeline("update", cwd=project)
    assert done.wait(timeout=60) == 0  # the kernel released the dead holder's lock


def _long_article(project: Path, sentences: int) -> None:
    rng = random.Random(5)
    words = "soldiers village patrol drone river bridge officials report tanks winter supplies city".split()
    lines = ["Long report"]
    for i in range(sentences):
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))).capitalize() + f" number {i}.")
    (project / "seeds/long.txt").write_text("\n\n".join(lines), encoding="utf-8")
    for command in (["extract", "seeds/long.txt"], ["update", "--lang", "uk"]):
        assert runner.invoke(app, command).exit_code == 0


def _uk_state(project: Path) -> tuple[dict, int]:
    humans = {e.msgid: e.msgstr for e in read_catalogue(project / UK_PO)}
    long_po = read_catalogue(project / "locale/uk/LC_MESSAGES/long.po")
    return humans, sum(1 for e in long_po if e.msgstr)


def _stub_pipeline(*args, cwd, **env) -> subprocess.CompletedProcess:
    """The `pipeline` command in a subprocess with the deterministic stub engine (tests/stub_engine.py)."""
    script = Path(__file__).with_name("stub_engine.py")
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


def test_sigterm_keeps_finished_batches_and_the_next_run_continues(project):
    _long_article(project, 1500)
    humans, filled = _uk_state(project)
    assert filled == 0
    done = _stub_pipeline("translate", "--lang", "uk", "--engine", "stub", cwd=project, STUB_INTERRUPT_AFTER="512")
    assert done.returncode == 130, done.stderr
    assert "interrupted after 512 of 1501 sentences" in done.stderr and "saved with what was finished" in done.stderr
    after, filled = _uk_state(project)
    assert after == humans and filled == 512
    done = _stub_pipeline("translate", "--lang", "uk", "--engine", "stub", cwd=project)
    assert done.returncode == 0, done.stderr
    _, filled = _uk_state(project)
    assert filled == 1501


def test_sigkill_at_every_write_never_corrupts_a_catalogue(project):
    """Kill the run just before and just after each of its atomic renames, in turn."""
    _long_article(project, 300)
    humans, _ = _uk_state(project)
    command = ("run", "seeds/long.txt", "seeds/article.txt", "--lang", "uk,pl", "--engine", "stub")
    snapshot = files_snapshot(project)
    counted = _stub_pipeline(*command, cwd=project, COUNT_REPLACES="1")
    assert counted.returncode == 3, counted.stderr  # machine suggestions wait for reviewers: previews only
    writes = int(counted.stderr.rsplit("replaces: ", 1)[1].split()[0])
    assert writes >= 8  # catalogues, memory, .mo files, bundles, manifests
    for count in range(1, writes + 1):
        for when in ("before", "after"):
            for path in project.rglob("*"):  # back to the state before the run
                if path.is_file() and path.relative_to(project).as_posix() not in snapshot and path.name != ".pipeline.lock":
                    path.unlink()
            for path, data in snapshot.items():
                _write(project / path, data)
            done = _stub_pipeline(*command, cwd=project, KILL_AT_REPLACE=str(count), KILL_WHEN=when)
            assert done.returncode == -signal.SIGKILL, (count, when, done.stderr)
            for path in (project / "locale").rglob("*.po"):
                read_catalogue(path)  # parses: never truncated
            after, _ = _uk_state(project)
            assert after == humans, (count, when)
    # The next run finishes the job from whatever state the last kill left.
    done = _stub_pipeline(*command, cwd=project)
    assert done.returncode == 3, done.stderr  # finished: the suggestions wait for reviewers
    assert _uk_state(project)[1] == 301


def test_no_network_is_touched_by_the_translation_path(project, argos_packages):
    _write(project / "seeds/new.txt", b"New headline\n\nA completely new sentence.")
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from typer.testing import CliRunner; from pipeline.cli import app\n"
        "r = CliRunner().invoke(app, ['run', 'seeds/new.txt', '--lang', 'uk'])\n"
        "print(r.exit_code); print(r.output)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    assert done.stdout.splitlines()[0] == "3", done.stdout + done.stderr  # waiting for reviewers
    assert "uk: 2 entries filled by argos" in done.stdout


# --------------------------------------------------------------------------- properties

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc")), max_size=300
) | st.lists(st.sampled_from(["\n", "\r\n", "\r", "Word. ", "(@X/Y)", "\u202e", "e\u0301", "שלום. ", "  ", "\t"]), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.booleans())
def test_identity_round_trip_is_byte_exact_or_refused(text, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    try:
        article = parse_article(data, path="fuzz.txt")
    except SourceError as exc:
        assert str(exc).startswith("fuzz.txt") and "\n" not in str(exc)
        return
    assert encode(article, render(article, {})) == data


PRINTABLE = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=120)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(PRINTABLE, PRINTABLE, st.booleans()), min_size=1, max_size=8, unique_by=lambda t: t[0].strip()))
def test_every_catalogue_written_is_accepted_by_polib_and_msgfmt(tmp_path, rows):
    text = "Headline\n\n" + "\n\n".join(source.replace("\n", " ") for source, _, _ in rows)
    try:
        article = parse_article(text.encode(), path="a.txt")
    except SourceError:
        return
    po, _ = merge(build_template([article]), None, language("uk"))
    for entry, (_, target, fuzzy) in zip(po[1:], rows):
        entry.msgstr = target
        if fuzzy:
            entry.flags.append("fuzzy")
    path = tmp_path / "out.po"
    if path.exists():
        path.unlink()
    write_catalogue(po, path)
    assert [(e.msgid, e.msgstr) for e in polib.pofile(str(path))] == [(e.msgid, e.msgstr) for e in po]
    done = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
