"""The verbs over one discovery: a `run` reads and checks each catalogue once; the library locks by itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from pipeline import checks
from pipeline.cli import app
from pipeline.gettext import catalogue as catalogue_module
from pipeline.workflow import discovery


def _count(monkeypatch) -> tuple[list[str], list[str]]:
    """(files parsed, catalogues checked) during the calls that follow."""
    parsed: list[str] = []
    checked: list[str] = []
    for module in (catalogue_module, discovery):
        real = module.parse_catalogue
        monkeypatch.setattr(module, "parse_catalogue", lambda data, *, path, _real=real, **kw: parsed.append(Path(path).name if Path(path).suffix == ".pot" else Path(path).parent.parent.name) or _real(data, path=path, **kw))
    real_check = checks.check_catalogue
    monkeypatch.setattr(checks, "check_catalogue", lambda po, **kw: checked.append(kw["language"]) or real_check(po, **kw))
    return parsed, checked


def test_a_run_with_nothing_to_do_parses_and_checks_each_catalogue_once(project, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(app, ["run", "seeds/article.txt"]).exit_code == 0
    parsed, checked = _count(monkeypatch)
    result = runner.invoke(app, ["run", "seeds/article.txt"])
    assert result.exit_code == 0, result.output
    # update reads the five catalogues; translate, compile, bundle, status and the review page share them
    # extract compares the template with the one it would write, update merges from it: two reads of the POT
    assert sorted(parsed) == sorted(["article.pot", "article.pot", "uk", "pl", "de", "fr", "es"])
    assert sorted(checked) == sorted(["uk", "pl", "de", "fr", "es"])


def test_a_catalogue_changed_by_a_stage_is_parsed_again_not_served_stale(project, monkeypatch):
    """The shared copy is keyed by the file's bytes: after a translator saves, the next reader parses the new file."""
    from pipeline.gettext.languages import language
    from pipeline.settings import load_settings

    settings = load_settings()
    shared = discovery.Catalogues(settings)
    path = project / "locale/uk/LC_MESSAGES/article.po"
    first = shared.read(path, language=language("uk"))
    assert shared.read(path, language=language("uk")) is first
    path.write_bytes(path.read_bytes().replace("мешканка".encode(), "жителька".encode(), 1))
    again = shared.read(path, language=language("uk"))
    assert again is not first and any("жителька" in e.msgstr for e in again.po)


def test_a_python_caller_of_a_writing_verb_holds_the_project_lock(project):
    """workflow.update called from Python waits for (then refuses) a lock another process holds, as the CLI does."""
    from support.locks import lock_held_elsewhere

    code = (
        "from pipeline import workflow\nfrom pipeline.errors import LockError\nfrom pipeline.settings import load_settings\n"
        "settings = load_settings().with_overrides(lock_wait=0.2)\n"
        "try:\n    workflow.update(settings, languages=('uk',))\nexcept LockError as exc:\n    print('refused:', exc)\n"
    )
    with lock_held_elsewhere(project) as holder:
        done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=60)
        assert "refused:" in done.stdout and "another pipeline process" in done.stdout, done.stdout + done.stderr
        assert holder.poll() is None  # refused while the holder still held the lock: it did not wait the holder out
