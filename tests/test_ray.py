"""The `ray` executor on a local Ray (2 CPUs): serial's catalogues byte for byte, and a worker killed mid-batch loses nothing.

Ray is started once for the module (it costs seconds); every test here shares it.
"""

from __future__ import annotations

import os
import sys


import pytest
import ray
import ray.cloudpickle
from typer.testing import CliRunner

from archive_support import write_archive
from conftest import files_snapshot
from pipeline.cli import app
from pipeline.engines import register_engine, unregister_engine
from pipeline.engines.pseudo import PseudoEngine
from pipeline.runtime.executors import get_executor
from pipeline.workflow.translation import EngineTask, EngineWork
from ray_support import RAY_INIT

runner = CliRunner()
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, **RAY_INIT)
    yield
    ray.shutdown()


class CrashOnce(PseudoEngine):
    """Pseudo-localisation whose process dies (os._exit) halfway through the batch holding *victim*, the first time only."""

    def __init__(self, *, marker: str, victim: str, **options):
        super().__init__(**options)
        self.marker, self.victim = marker, victim

    def translate_batch(self, sentences, *, source, target, progress=None):
        done = super().translate_batch(sentences[: len(sentences) // 2], source=source, target=target)
        if self.victim in sentences:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))  # exactly one process wins
            except FileExistsError:
                pass
            else:
                os._exit(1)  # the worker dies in the middle of its batch, as a lost node or an OOM kill does
        return done + super().translate_batch(sentences[len(sentences) // 2 :], source=source, target=target)


@pytest.fixture
def crash_once():
    register_engine("crash-once", CrashOnce, produces_translations=False, options=("marker", "victim"))
    yield
    unregister_engine("crash-once")


def test_a_worker_killed_in_the_middle_of_a_batch_is_replaced_and_nothing_is_lost_or_doubled(local_ray, crash_once, tmp_path):
    sentences = tuple(f"Sentence number {n} about the bridge." for n in range(24))
    marker = tmp_path / "crashed"
    task = EngineTask("crash-once", {"marker": str(marker), "victim": sentences[13]})
    done = []
    [outputs] = get_executor("ray", workers=2, batch_size=8).map(task, [EngineWork("en", "uk", sentences)], progress=done.append)
    assert marker.exists()  # the worker really died
    assert outputs == [PseudoEngine().translate_batch([s], source="en", target="uk")[0] for s in sentences]
    assert sum(done) == len(sentences)  # each row counted once


def refuse_two(item: int) -> int:
    if item == 2:
        raise ValueError("two is refused")
    return item


def test_plain_functions_run_as_ray_tasks_in_order_and_a_failure_is_one_error(local_ray):
    from pipeline.runtime.ray_executor import ExecutorFailed

    assert get_executor("ray").map(abs, [-3, 2, -1]) == [3, 2, 1]
    with pytest.raises(ExecutorFailed, match=r"^ray: the work failed on a worker \(ValueError: two is refused\)"):
        get_executor("ray").map(refuse_two, [1, 2, 3])


def test_a_missing_model_on_a_worker_is_the_pipelines_own_error(local_ray, argos_packages):
    from pipeline.errors import MissingModelError

    with pytest.raises(MissingModelError, match="pipeline models install en fr"):
        get_executor("ray").map(EngineTask("argos", {}), [EngineWork("en", "fr", ("The bridge is open.",))])


def test_run_on_ray_writes_the_serial_catalogues_byte_for_byte(local_ray, empty_project, argos_packages):
    write_archive(empty_project / "archive", 6)
    pyproject = empty_project / "pyproject.toml"
    # small batches, so two actors per pair share the work
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n[tool.pipeline.executors.ray]\nbatch_size = 8\n", encoding="utf-8")
    sources = sorted(str(p.relative_to(empty_project)) for p in (empty_project / "archive").glob("*.txt"))
    assert runner.invoke(app, ["extract", *sources]).exit_code == 0
    assert runner.invoke(app, ["update", "--lang", "uk,de"]).exit_code == 0
    updated = files_snapshot(empty_project / "locale")
    serial = runner.invoke(app, ["translate", "--lang", "uk,de", "--compute-type", "float32"])
    assert serial.exit_code == 0, serial.output
    expected = files_snapshot(empty_project / "locale")
    for name, data in updated.items():
        (empty_project / "locale" / name).write_bytes(data)
    on_ray = runner.invoke(
        app, ["run", *sources, "--lang", "uk,de", "--compute-type", "float32", "--executor", "ray", "--workers", "2"]
    )
    assert on_ray.exit_code == 3, on_ray.output  # machine suggestions wait for reviewers: previews, not published
    translated = {name: data for name, data in files_snapshot(empty_project / "locale").items() if name.endswith(".po")}
    assert translated == {name: data for name, data in expected.items() if name.endswith(".po")}
    assert any(b"machine translation: argos" in data for data in translated.values())
