"""The executor seam: serial and halves give the same answers; a new executor is one factory and one line."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polib
import pytest

from pipeline.errors import ConfigError
from pipeline.gettext.writer import format_po
from pipeline.runtime import executors, parallel
from pipeline.runtime.executors import SerialExecutor, executor_names, get_executor, register_executor, unregister_executor

PARENT = os.getpid()
ITEMS = list(range(5000))


def square_with_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_serial_and_halves_give_the_same_results_in_the_same_order():
    serial_done, halves_done = [], []
    serial = get_executor("serial").map(square_with_pid, ITEMS, progress=serial_done.append)
    halves = get_executor("halves", minimum=100).map(square_with_pid, ITEMS, progress=halves_done.append)
    assert [value for value, _ in serial] == [value for value, _ in halves] == [item * item for item in ITEMS]
    assert sum(serial_done) == sum(halves_done) == len(ITEMS)
    assert {pid for _, pid in serial} == {PARENT}
    if parallel.can_share():  # the second half really ran elsewhere
        assert {pid for _, pid in halves[len(ITEMS) // 2 :]} != {PARENT}


def test_a_catalogue_is_formatted_alike_whichever_executor_runs_the_entries(monkeypatch):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number in range(3000):  # above the halves executor's minimum
        po.append(polib.POEntry(msgid=f"Sentence {number} about the bridge, " * (number % 7 + 1), msgstr=f"Речення {number}.", occurrences=[("a.txt", str(number))]))
    with_halves = format_po(po)
    monkeypatch.setitem(executors._EXECUTORS, "halves", lambda **options: SerialExecutor())
    assert format_po(po) == with_halves


@dataclass
class ThreadsExecutor:
    """A tiny executor from outside the package: a thread pool."""

    workers: int = 2
    name: str = "threads"

    def map(self, function, items, *, progress=None) -> list:
        with ThreadPoolExecutor(self.workers) as pool:
            results = list(pool.map(function, items))
        if progress:
            progress(len(results))
        return results


@pytest.fixture
def threads():
    register_executor("threads")(ThreadsExecutor)
    yield
    unregister_executor("threads")


def test_an_executor_registered_from_outside_the_package_is_found_by_name(threads):
    executor = get_executor("threads", workers=3)
    assert isinstance(executor, ThreadsExecutor) and executor.workers == 3
    assert "threads" in executor_names()
    done = []
    assert executor.map(lambda item: item + 1, ITEMS[:50], progress=done.append) == [item + 1 for item in ITEMS[:50]]
    assert done == [50]


def test_an_unknown_executor_is_a_config_error_naming_the_choices(threads):
    with pytest.raises(ConfigError) as raised:
        get_executor("spark")
    message = str(raised.value)
    assert "'spark'" in message and all(name in message for name in ("serial", "halves", "threads", "ray"))


@dataclass
class RecordingExecutor:
    """Runs each item in this process, and remembers how many it ran (a stand-in for a cluster)."""

    name: str = "recording"
    ran = []

    def map(self, function, items, *, progress=None) -> list:
        results = [function(item) for item in items]
        RecordingExecutor.ran.append(len(items))
        return results


def test_update_runs_its_merges_on_the_executor_the_settings_name(empty_project):
    """A verb hands its per-catalogue work to the executor `[tool.pipeline] executor` names; the files are the serial ones."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["extract"]).exit_code == 0
    assert runner.invoke(app, ["update", "--lang", "uk,pl"]).exit_code == 0  # serial: the default
    catalogues = sorted((empty_project / "locale").glob("*/LC_MESSAGES/*.po"))
    serial = {path: path.read_bytes() for path in catalogues}
    for path in catalogues:
        path.unlink()
    pyproject = empty_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace("[tool.pipeline]\n", '[tool.pipeline]\nexecutor = "recording"\n'), encoding="utf-8")
    register_executor("recording")(RecordingExecutor)
    RecordingExecutor.ran.clear()
    try:
        result = runner.invoke(app, ["update", "--lang", "uk,pl"])
    finally:
        unregister_executor("recording")
    assert result.exit_code == 0, result.output
    assert RecordingExecutor.ran == [2]  # one merge per (language, domain), both on the registered executor
    assert {path: path.read_bytes() for path in catalogues} == serial
    # with the executor gone, the setting is refused by name, not with a traceback
    refused = runner.invoke(app, ["update", "--lang", "uk"])
    assert refused.exit_code == 2 and "recording" in refused.output


@pytest.fixture
def without_ray(monkeypatch):
    """An interpreter where `import ray` fails, as it does when the extra is not installed."""
    import builtins
    import sys

    real_import = builtins.__import__

    def refuse_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    for module in [name for name in sys.modules if name == "ray" or name.startswith("ray.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", refuse_ray)


def test_without_ray_the_ray_executor_says_how_to_install_it(without_ray):
    from pipeline.runtime.ray_executor import ExecutorUnavailable

    with pytest.raises(ExecutorUnavailable) as raised:
        get_executor("ray")
    assert "pip install '.[ray]'" in str(raised.value) and raised.value.exit_code == 2
    assert get_executor("serial").map(lambda item: item * 2, [1, 2]) == [2, 4]  # the others still work
    assert get_executor("halves", minimum=1).map(lambda item: item * 2, [1, 2, 3]) == [2, 4, 6]


def test_without_ray_translate_executor_ray_is_one_error_line_and_serial_still_translates(project, without_ray):
    from typer.testing import CliRunner

    from conftest import files_snapshot
    from pipeline.cli import app

    runner = CliRunner()
    before = files_snapshot(project / "locale")
    for verb in (["translate"], ["run", "seeds/article.txt"], ["archive", "seeds/article.txt"]):
        refused = runner.invoke(app, [*verb, "--lang", "uk", "--engine", "pseudo", "--executor", "ray"])
        assert refused.exit_code == 2, refused.output
        lines = refused.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "pip install '.[ray]'" in lines[0]
    assert files_snapshot(project / "locale") == before  # refused before anything was written
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    po[0].msgstr = ""
    po.save()
    done = runner.invoke(app, ["translate", "--lang", "uk", "--engine", "pseudo", "--executor", "serial"])
    assert done.exit_code == 0 and "uk: 1 entry filled by pseudo" in done.output
    assert runner.invoke(app, ["translate", "--lang", "uk", "--address", "auto"]).exit_code == 2  # --address is ray's


def test_executor_option_tables_are_checked_against_what_the_executor_declared(empty_project):
    from pipeline.settings import load_settings

    pyproject = empty_project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text + '\n[tool.pipeline.executors.ray]\naddress = "auto"\nworkers = 4\n', encoding="utf-8")
    settings = load_settings(empty_project)
    assert settings.executor_options("ray") == {"address": "auto", "workers": 4} and settings.executor_options() == {}
    pyproject.write_text(text + "\n[tool.pipeline.executors.ray]\ncolour = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"executors\.ray\] colour: not one of its options; its options: address, workers"):
        load_settings(empty_project)
    pyproject.write_text(text + "\n[tool.pipeline.executors.spark]\nworkers = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown name"):
        load_settings(empty_project)
