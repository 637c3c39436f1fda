"""An archive on a simulated two-node Ray cluster (ray.cluster_utils.Cluster, one machine): killed once, resumed, serial's bytes.

The cluster is started once for the module: a head and a worker node of one CPU each,
so a pool of two actors spans both nodes.
"""

from __future__ import annotations

import shutil

import pytest
import ray
from ray.cluster_utils import Cluster

from archive_support import write_archive
from conftest import files_snapshot
from pipeline import workflow
from pipeline.errors import TranslationInterrupted
from pipeline.settings import load_settings
from ray_support import RAY_INIT


@pytest.fixture(scope="module")
def two_nodes():
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": RAY_INIT["object_store_memory"]})
    cluster.add_node(num_cpus=1, object_store_memory=RAY_INIT["object_store_memory"])
    ray.init(address=cluster.address, **{k: v for k, v in RAY_INIT.items() if k not in ("include_dashboard", "object_store_memory")})
    cluster.wait_for_nodes()
    yield cluster
    ray.shutdown()
    cluster.shutdown()


def po_files(project) -> dict[str, bytes]:
    return {key: value for key, value in files_snapshot(project / "locale").items() if key.endswith(".po")}


def test_an_archive_on_two_nodes_killed_once_and_resumed_is_serial_byte_for_byte(two_nodes, empty_project, tmp_path, argos_packages):
    assert len([node for node in ray.nodes() if node["Alive"]]) == 2
    write_archive(empty_project / "archive", 8)
    twin = tmp_path / "serial"
    shutil.copytree(empty_project, twin)
    languages = ("uk", "de")

    serial = load_settings(twin).with_overrides(compute_type="float32", languages=languages)
    workflow.translate_archive(serial, workflow.select_sources(serial, ["archive/*.txt"]), languages=languages, chunk=4)
    expected = po_files(twin)

    on_ray = load_settings(empty_project).with_overrides(
        compute_type="float32", languages=languages, executor="ray", executors={"ray": {"workers": 2, "batch_size": 8}}
    )
    sources = workflow.select_sources(on_ray, ["archive/*.txt"])

    def killed_after_first_chunk(done, total):
        if done:  # the first chunk is written: the driver is stopped here, as Ctrl-C or SIGTERM would
            raise KeyboardInterrupt

    with pytest.raises(TranslationInterrupted) as stopped:
        workflow.translate_archive(on_ray, sources, languages=languages, chunk=4, progress=killed_after_first_chunk)
    assert len(stopped.value.saved) == 4
    halfway = po_files(empty_project)
    assert sum(halfway[key] == expected[key] for key in expected) == 4  # one chunk whole, nothing else touched

    report = workflow.translate_archive(on_ray, sources, languages=languages, chunk=4)
    assert not report.skipped
    assert [(r.language, r.chunks) for r in report.results] == [("uk", 1), ("de", 2)]  # the saved chunk is not redone
    assert po_files(empty_project) == expected
