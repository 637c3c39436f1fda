"""`pipeline archive`: the archive verb gives translate's catalogues, resumes after a kill, and ships nothing twice."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from archive_support import write_archive
from conftest import files_snapshot
from pipeline import workflow
from pipeline.cli import app
from pipeline.engines.pseudo import PseudoEngine
from pipeline.errors import SourceError, TranslationInterrupted
from pipeline.settings import load_settings

runner = CliRunner()


@pytest.fixture
def archive(empty_project):
    write_archive(empty_project / "archive", 7)
    return empty_project


def catalogues(project) -> dict[str, bytes]:
    return {key: value for key, value in files_snapshot(project / "locale").items() if key.endswith(".po")}


def settings_for(project, **overrides):
    return load_settings(project).with_overrides(**overrides)


def one_batch(project, settings) -> dict[str, bytes]:
    """What `update` then `translate` (all pending sentences of a language in one batch) write."""
    sources = sorted(str(p) for p in (project / "archive").glob("*.txt"))
    workflow.extract(settings, sources)
    workflow.update(settings, languages=settings.languages)
    report = workflow.translate(settings, languages=settings.languages)
    assert not report.skipped
    return catalogues(project)


def test_archive_in_chunks_writes_what_one_translate_batch_writes(archive, tmp_path, argos_packages):
    settings = settings_for(archive, engine="argos", compute_type="float32", languages=("uk", "de"))
    seen = []
    report = workflow.translate_archive(settings, workflow.select_sources(settings, ["archive/*.txt"]), languages=("uk", "de"), chunk=3, progress=lambda done, total: seen.append((done, total)))
    assert not report.skipped and [r.chunks for r in report.results] == [3, 3]
    chunked = catalogues(archive)
    total = seen[0][1]
    assert seen[0] == (0, total) and seen[-1] == (total, total) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    # every sentence shipped once per language: the shared one with the first chunk, kept for the two others
    assert all(r.shipped == r.sentences and r.reused == 2 for r in report.results)
    for path in (archive / "locale").rglob("*.po"):
        path.unlink()
    assert one_batch(archive, settings) == chunked


def counting_pseudo(monkeypatch, *, stop_on_call: int | None = None) -> list[list[str]]:
    """Record every batch the pseudo engine gets; on call *stop_on_call* act as Ctrl-C does, halfway through."""
    calls: list[list[str]] = []
    original = PseudoEngine.translate_batch

    def translate_batch(self, sentences, *, source, target, progress=None):
        calls.append(list(sentences))
        if stop_on_call is not None and len(calls) == stop_on_call:
            original(self, sentences[: len(sentences) // 2], source=source, target=target)
            raise KeyboardInterrupt
        return original(self, sentences, source=source, target=target, progress=progress)

    monkeypatch.setattr(PseudoEngine, "translate_batch", translate_batch)
    return calls


def test_a_killed_archive_run_resumes_and_does_nothing_twice(archive, monkeypatch):
    settings = settings_for(archive, engine="pseudo", languages=("uk",))
    # the reference: one uninterrupted run, then the catalogues and the kept outputs removed
    reference = counting_pseudo(monkeypatch)
    workflow.translate_archive(settings, workflow.select_sources(settings, ["archive/*.txt"]), languages=("uk",), chunk=2)
    expected = catalogues(archive)
    for path in (archive / "locale").rglob("*.po"):
        path.unlink()
    for path in (archive / "locale" / ".cache").glob("*"):
        path.unlink()
    monkeypatch.undo()

    calls = counting_pseudo(monkeypatch, stop_on_call=2)
    with pytest.raises(TranslationInterrupted) as stopped:
        workflow.translate_archive(settings, workflow.select_sources(settings, ["archive/*.txt"]), languages=("uk",), chunk=2)
    saved = sorted(path.name for path in stopped.value.saved)
    assert saved == ["2024-01-01-story0.po", "2024-01-02-story1.po"]  # the first chunk, whole
    after_kill = catalogues(archive)
    for key, data in after_kill.items():
        whole = key.endswith(tuple(saved))
        assert (data == expected[key]) == whole  # written whole, or as the update left it: never half
    finished = list(calls[0])  # the batch that came back before the kill (its chunk was saved)

    monkeypatch.undo()
    calls = counting_pseudo(monkeypatch)
    report = workflow.translate_archive(settings, workflow.select_sources(settings, ["archive/*.txt"]), languages=("uk",), chunk=2)
    assert catalogues(archive) == expected
    resumed = [sentence for batch in calls for sentence in batch]
    assert len(resumed) == len(set(resumed))  # nothing twice within the run ...
    assert not set(finished) & set(resumed)  # ... nor anything the killed run finished
    everything = {sentence for batch in reference for sentence in batch}
    assert set(finished) | set(resumed) == everything  # and nothing lost
    assert report.results[0].chunks == 3


def test_sources_by_glob_and_date_range(archive):
    settings = settings_for(archive)
    everything = workflow.select_sources(settings, ["archive/*.txt"])
    assert len(everything) == 7
    from datetime import date

    middle = workflow.select_sources(settings, ["archive/*.txt"], since=date(2024, 1, 3), until=date(2024, 1, 5))
    assert [p.rsplit("/", 1)[1] for p in middle] == ["2024-01-03-story2.txt", "2024-01-04-story3.txt", "2024-01-05-story4.txt"]
    with pytest.raises(SourceError, match="no article matches"):
        workflow.select_sources(settings, ["archive/*.txt"], since=date(2025, 1, 1))


def test_cli_archive_one_bar_then_one_line_per_language_and_again_nothing_to_do(archive):
    result = runner.invoke(app, ["archive", "archive/*.txt", "--lang", "uk,de", "--engine", "pseudo", "--chunk", "3"])
    assert result.exit_code == 0, result.output
    assert "uk: 7 articles" in result.output and "de: 7 articles" in result.output
    before = files_snapshot(archive / "locale")
    again = runner.invoke(app, ["archive", "archive/*.txt", "--lang", "uk,de", "--engine", "pseudo"])
    assert again.exit_code == 0 and "0 sentences translated" in again.output
    assert files_snapshot(archive / "locale") == before
    bad = runner.invoke(app, ["archive", "archive/*.txt", "--since", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
