"""Every command through typer's CliRunner, and the installed command as a real subprocess."""

from __future__ import annotations

import gettext
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from conftest import files_snapshot

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_every_command_has_help():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help text"
        result = invoke(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def _every_command(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _every_command(sub, (*path, name))


def test_help_names_what_to_type_never_a_python_type():
    import re

    import typer.main

    python_type = re.compile(r"<(?:list\[\w+\]|str|int|float|bool|path|file|dir|[\w ]+ range)>|\{\w+\}|\[\[")
    for path, _ in _every_command(typer.main.get_command(app)):
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert not python_type.findall(result.output), (path, python_type.findall(result.output))
    assert "Usage: root status [OPTIONS] [DOMAIN]..." in invoke("status", "--help").output
    assert "Usage: root models remove [OPTIONS] FROM TO" in invoke("models", "remove", "--help").output
    assert "--lang LANG" in invoke("translate", "--help").output


def test_counts_agree_with_their_nouns():
    from pipeline.wording import counted

    assert counted(1, "translation") == "1 translation"
    assert [counted(n, "translation") for n in (0, 2)] == ["0 translations", "2 translations"]
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"


def test_run_on_fresh_project_with_pseudo_engine(empty_project):
    result = invoke("run", "--engine", "pseudo", "--use-fuzzy")
    # pseudo text writes numbers as the target locale does (Babel), so every
    # check and the publishing gate pass: the QA/demo run exits 0
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(empty_project / "locale/uk/LC_MESSAGES/article.po"))
    assert all(e.fuzzy and e.tcomment.startswith("machine translation: pseudo") for e in po)
    text = (empty_project / "dist/article/fr/article.txt").read_text(encoding="utf-8")
    assert text.startswith("[Ĥêåṽý Ĝûñƒîŕê") and "(@NGUmainpage/Newsflash)" in text
    assert "61\u202f330" in text and "61,330" not in text  # French groups with a narrow no-break space
    assert "61.330" in (empty_project / "dist/article/de/article.txt").read_text(encoding="utf-8")


def test_run_with_hand_translated_catalogues_needs_no_engine(project, tmp_path):
    before = files_snapshot(project / "locale")
    # argos with an empty models folder would fail at its first sentence
    result = invoke("run", "--engine", "argos", "--models-dir", str(tmp_path / "no-models"))
    assert result.exit_code == 0, result.output
    after = files_snapshot(project / "locale")
    assert {k: v for k, v in after.items() if not k.endswith(".mo")} == before
    assert "article [uk]: published, 100.0% reviewed" in result.output
    assert result.output.rstrip().endswith("outcome: every language published (exit 0)")


def test_stages_one_by_one(empty_project):
    assert invoke("extract", "seeds/article.txt").exit_code == 0
    assert (empty_project / "locale/article.pot").exists()
    assert invoke("update", "--lang", "uk,pl").exit_code == 0
    assert sorted(p.name for p in (empty_project / "locale").iterdir() if p.name not in (".pipeline.lock", ".cache")) == ["article.pot", "pl", "uk"]
    assert invoke("translate", "--lang", "uk", "--engine", "pseudo").exit_code == 0
    assert invoke("compile", "--lang", "uk").exit_code == 0
    assert (empty_project / "locale/uk/LC_MESSAGES/article.mo").exists()
    result = invoke("bundle", "--lang", "uk", "--lang", "pl")
    assert result.exit_code == 3  # waiting: pseudo output is not used without --use-fuzzy (and is no translation)
    assert "article [uk]: preview, not published: waiting for translators" in result.output
    status = invoke("status", "--format", "json")
    rows = json.loads(status.output)
    assert {(r["language"], r["fuzzy_machine"]["entries"], r["untranslated"]["entries"]) for r in rows} == {
        ("uk", 32, 0),
        ("pl", 0, 32),
    }


def test_compiled_mo_loads_with_gettext(project):
    assert invoke("compile").exit_code == 0
    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po"))
    translation = gettext.translation("article", localedir=str(project / "locale"), languages=["uk"])
    for entry in po:
        assert translation.gettext(entry.msgid) == entry.msgstr


def test_roundtrip_command(project):
    result = invoke("roundtrip")
    assert result.exit_code == 0 and "identical (5328 bytes)" in result.output


def test_status_table(project):
    result = invoke("status")
    assert result.exit_code == 0 and "uk" in result.output and "100.0%" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--lang", "xx"], "'xx' is not a language Babel knows"),
        (["extract", "missing.txt"], "missing.txt: no such file"),
        # refused before anything is read or written, even with nothing to translate
        (["translate", "--engine", "nope", "--lang", "uk"], "Invalid value for '--engine'"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(project, args, message):
    (project / "locale/uk/LC_MESSAGES/article.po").write_bytes(
        (project / "locale/uk/LC_MESSAGES/article.po").read_bytes()
    )
    before = files_snapshot(project)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert files_snapshot(project) == before


def test_empty_source_is_refused(project):
    (project / "seeds/empty.txt").write_bytes(b"")
    before = files_snapshot(project / "locale")
    result = runner.invoke(app, ["run", "seeds/empty.txt"])
    assert result.exit_code == 2 and "seeds/empty.txt: the file is empty" in result.output
    assert files_snapshot(project / "locale") == before


def test_installed_command_runs_as_a_subprocess(project):
    exe = shutil.which("pipeline", path=str(Path(sys.executable).parent)) or shutil.which("pipeline")
    assert exe, "the console script `pipeline` is not installed"
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([exe, "run", "--lang", "uk"], cwd=project, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (project / "dist/article/uk/article.txt").exists()
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0 and "extract" in done.stdout
    done = subprocess.run([exe, "run", "--lang", "zz"], cwd=project, capture_output=True, text=True, env=env)
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0 and "zz" in done.stderr


def test_update_given_a_source_file_says_it_takes_domains(project):
    result = invoke("update", "seeds/article.txt")
    assert result.exit_code == 2
    assert "update takes domains" in result.output and "pipeline update article" in result.output


def test_manifest_names_a_skipped_catalogue_relative_to_the_project(project):
    pl = project / "locale/pl/LC_MESSAGES/article.po"
    pl.write_text(pl.read_text(encoding="utf-8").replace("Plural-Forms: nplurals=3;", "Plural-Forms: nplurals=0;"), encoding="utf-8")
    assert invoke("run").exit_code == 2
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    reason = next(s["reason"] for s in manifest["languages"] if s["code"] == "pl" and s["state"] == "failed")
    assert reason.startswith("locale/pl/LC_MESSAGES/article.po: ") and str(project) not in reason
