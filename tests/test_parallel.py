"""`map_halves` gives the serial answer whether or not a second process took half, and whatever that process does."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import polib
import pytest

from pipeline.runtime import parallel
from pipeline.runtime.parallel import map_halves
from pipeline.gettext.writer import format_po
from pipeline.gettext.reader import parse_po

from conftest import ROOT, as_gnu_keeps_it

PARENT = os.getpid()
ITEMS = list(range(5000))


def squares_with_pid(items):
    return [(item * item, os.getpid()) for item in items]


def test_the_second_half_is_computed_by_another_process_when_two_cpus_are_free():
    result = map_halves(squares_with_pid, ITEMS)
    assert [value for value, _ in result] == [item * item for item in ITEMS]
    pids = {pid for _, pid in result[len(ITEMS) // 2 :]}
    if parallel.can_share():
        assert pids != {PARENT} and len(pids) == 1
        assert {pid for _, pid in result[: len(ITEMS) // 2]} == {PARENT}
    else:
        assert pids == {PARENT}


def test_small_lists_and_busy_threads_stay_in_one_process():
    assert {pid for _, pid in map_halves(squares_with_pid, ITEMS[:100])} == {PARENT}
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_share()
        assert {pid for _, pid in map_halves(squares_with_pid, ITEMS)} == {PARENT}
    finally:
        stop.set()
        other.join()


def failing_in_the_child(items):
    if os.getpid() != PARENT:
        raise RuntimeError("the child fails")
    return [item + 1 for item in items]


def killed_in_the_child(items):
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return [item + 1 for item in items]


def garbage_from_the_child(items):
    if os.getpid() != PARENT:
        return "not a list"
    return [item + 1 for item in items]


@pytest.mark.parametrize("function", [failing_in_the_child, killed_in_the_child, garbage_from_the_child])
def test_a_child_that_fails_or_dies_costs_only_time(function):
    assert map_halves(function, ITEMS) == [item + 1 for item in ITEMS]
    with pytest.raises(ChildProcessError):  # and it was waited for: no zombie left
        os.waitpid(-1, os.WNOHANG)


def failing_in_the_parent(items):
    if os.getpid() == PARENT:
        raise ValueError("the parent's half fails")
    return list(items)


def test_an_error_in_the_parents_half_is_raised_and_the_child_reaped():
    with pytest.raises(ValueError, match="parent's half"):
        map_halves(failing_in_the_parent, ITEMS)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def django_in_one_catalogue() -> polib.POFile:
    """Every entry of the real-world Django catalogues in one catalogue (each file's entries in their own msgctxt)."""
    big = polib.POFile()
    big.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number, path in enumerate(sorted((ROOT / "tests" / "data" / "realworld").glob("*/*.po"))):
        for entry in parse_po(path.read_bytes(), path=str(path)).po:
            entry.msgctxt = f"{number}|{entry.msgctxt}"
            big.append(entry)
    return big


def test_a_large_real_catalogue_is_written_by_two_processes_exactly_as_msgcat_writes_it(monkeypatch):
    po = django_in_one_catalogue()
    assert len(po) >= 2 * parallel.MINIMUM
    text = format_po(po)
    monkeypatch.setattr(parallel, "can_share", lambda: False)
    assert text == format_po(po)  # the serial answer
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.po"
        source.write_text(text, encoding="utf-8")
        written = subprocess.run(["msgcat", str(source)], capture_output=True, check=True, env={**os.environ, "LC_ALL": "C.UTF-8"}).stdout
    assert written.decode("utf-8") == as_gnu_keeps_it(text)


def django_version(version: str, *, translated: bool) -> polib.POFile:
    """One catalogue of every language's entries of a Django release (msgctxt: the language), or its template."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for path in sorted((ROOT / "tests" / "data" / "realworld" / version).glob("*.po")):
        for entry in parse_po(path.read_bytes(), path=str(path)).po:
            if entry.msgid_plural:
                continue  # the languages' plural forms differ; this test is about fuzzy search
            entry.msgctxt = f"{path.stem}|{entry.msgctxt}"
            if not translated:
                entry.msgstr, entry.flags = "", []
            po.append(entry)
    return po


def test_a_merge_whose_fuzzy_search_is_shared_gives_the_serial_merge(monkeypatch):
    from pipeline.gettext.merge import merge
    from pipeline.gettext.languages import language

    old, template = django_version("django-4.2.16", translated=True), django_version("django-5.1.4", translated=False)
    known = {(e.msgctxt, e.msgid) for e in old}
    assert sum((e.msgctxt, e.msgid) not in known for e in template) >= 300  # new and changed sentences: a shared search
    shared, shared_report = merge(template, old, language("uk"))
    monkeypatch.setattr(parallel, "can_share", lambda: False)
    serial, serial_report = merge(template, old, language("uk"))
    assert format_po(shared) == format_po(serial)
    assert shared_report == serial_report and shared_report.fuzzy_matched > 50


def test_catalogues_read_by_two_processes_are_the_serial_reads_and_errors_stay_per_file(tmp_path, monkeypatch):
    from pipeline.gettext.catalogue import SHARED_READ_BYTES, open_catalogues
    from pipeline.errors import CatalogueError
    from pipeline.gettext.languages import language

    big = tmp_path / "big.po"
    big.write_text(format_po(django_in_one_catalogue()), encoding="utf-8")
    broken = tmp_path / "broken.po"
    broken.write_bytes(big.read_bytes() + b'\nmsgid "unterminated\n')
    ukrainian = ROOT / "tests" / "data" / "realworld" / "django-5.1.4" / "uk.po"
    requests = [(big, None), (broken, None), (tmp_path / "absent.po", None), (ukrainian, language("uk"))]
    assert sum(path.stat().st_size for path, _ in requests if path.exists()) >= SHARED_READ_BYTES  # enough to be shared
    shared = open_catalogues(requests)
    monkeypatch.setattr(parallel, "can_share", lambda: False)
    serial = open_catalogues(requests)
    assert isinstance(shared[1], CatalogueError) and str(shared[1]) == str(serial[1]) and "broken.po" in str(shared[1])
    assert shared[2] is None and serial[2] is None
    for one, other in ((shared[0], serial[0]), (shared[3], serial[3])):
        assert (one.path, one.fingerprint, one.header_text) == (other.path, other.fingerprint, other.header_text)
        assert format_po(one.po) == format_po(other.po)
