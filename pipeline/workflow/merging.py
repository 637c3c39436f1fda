"""`pipeline update`: merge every catalogue with its template, the memory answering first."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import polib

from pipeline.errors import CatalogueError, ConfigError
from pipeline.gettext.catalogue import Catalogue, catalogue_path, open_catalogues, write_catalogue
from pipeline.gettext.merge import MergeReport, merge
from pipeline.gettext.languages import language
from pipeline.memory import MemoryReport, TranslationMemory, apply_memory, memory_sources
from pipeline.runtime.executors import get_executor
from pipeline.settings import Settings
from pipeline.workflow.discovery import Catalogues, is_domain_name, known_domains, template_path
from pipeline.workflow.locking import writes_catalogues
from pipeline.workflow.outcome import Report


@dataclass
class UpdateResult:
    language: str
    domain: str
    path: Path
    report: MergeReport
    changed: bool
    memory: MemoryReport = field(default_factory=MemoryReport)


@writes_catalogues
def update(
    settings: Settings,
    *,
    languages: tuple[str, ...],
    domains: list[str] | None = None,
    purge_obsolete: bool = False,
    catalogues: Catalogues | None = None,
    use_memory: bool = True,
) -> Report:
    """Create or merge every catalogue of *languages* for *domains* from its template.

    A catalogue that cannot be read is skipped (and reported); the others are
    merged. With *use_memory* False the update is a pure merge, as
    `msgmerge --previous` (a software catalogue): the memory is neither
    asked nor opened. Catalogues left as they were are shared through *catalogues* with
    the stages that follow (a `run`), so they are not parsed again.
    """
    domains = domains or known_domains(settings)
    _refuse_unknown(settings, domains)
    report = Report()
    # Read everything first: a malformed catalogue is skipped before anything is written.
    targets = [(domain, language(code)) for domain in domains for code in languages]
    requests = [(template_path(settings, domain), None) for domain in domains]
    requests += [(catalogue_path(settings.locale_path, lang.code, domain), lang) for domain, lang in targets]
    read = open_catalogues(requests)
    templates = {}
    for domain, found in zip(domains, read):
        if found is None:
            raise CatalogueError(f"{template_path(settings, domain)}: no such template; run `pipeline extract SOURCE` to create it.")
        if isinstance(found, CatalogueError):
            raise found
        templates[domain] = found.po
    plan = []
    for (domain, lang), (path, _), po in zip(targets, requests[len(domains) :], read[len(domains) :]):
        if isinstance(po, CatalogueError):
            report.skip(lang.code, domain, po)
            continue
        plan.append((domain, lang, path, templates[domain], po))
    # Merging is pure (data in, data out): the executor decides where it runs; this driver alone writes.
    # A cluster executor (ray) is for engine work: shipping a catalogue costs more than merging it here.
    executor = get_executor(settings.executor)
    if getattr(executor, "remote", False):
        executor = get_executor("serial")
    merges = executor.map(
        lambda item: merge(item[3], item[4], item[1], fuzzy_threshold=settings.fuzzy_threshold, purge_obsolete=purge_obsolete),
        plan,
    )
    with open_memories(settings, plan if use_memory else []) as memories:
        for (domain, lang, path, pot, po), (merged, merge_report) in zip(plan, merges):
            # The memory answers before any engine: MT only sees what it cannot.
            memory_report = apply_memory(merged, memories[lang.code], threshold=settings.memory_threshold) if use_memory else MemoryReport()
            if po is not None and _same_entries(po.po, merged):
                target = po  # nothing to merge: keep the file byte for byte
            elif po is not None:
                target = Catalogue(merged, path, po.fingerprint, po.header_text, header_entry=po.header_entry)
            else:
                target = Catalogue(merged, path)
            try:
                changed = write_catalogue(target)
            except CatalogueError as exc:  # a translator saved it meanwhile: their edit wins
                report.skip(lang.code, domain, exc)
                continue
            if changed and use_memory:
                memories[lang.code].index_file(path, target)
            elif catalogues is not None and target is po:
                catalogues.keep(po)  # as parsed from the file's bytes: later stages need not parse it again
            report.results.append(UpdateResult(lang.code, domain, path, merge_report, changed, memory_report))
        report.notes += [note for memory in memories.values() for note in memory.notes]
    return report


def _refuse_unknown(settings: Settings, domains: list[str]) -> None:
    """No template at all, or a file path given where a domain is expected: say what to run instead."""
    if not domains:
        raise CatalogueError(f"{settings.locale_path}: no template (.pot) found; run `pipeline extract SOURCE` first.")
    for domain in domains:
        if not is_domain_name(domain) or not template_path(settings, domain).is_file() and "." in domain:
            stem = Path(domain).stem
            raise ConfigError(
                f"{domain}: update takes domains (template names such as {stem!r}), not files; "
                f"for a source article run `pipeline run {domain}`, or `pipeline extract {domain}` then `pipeline update {stem}`."
            )


@contextmanager
def open_memories(settings: Settings, plan) -> Iterator[dict[str, TranslationMemory]]:
    """The memory of each language in *plan*, brought up to date with that language's files.

    Only files whose size or mtime changed since they were indexed are read;
    the catalogues of *plan* are passed in already parsed. A catalogue that
    cannot be read is left out of the memory (the verb working on it reports it).
    """
    memories: dict[str, TranslationMemory] = {}
    try:
        for _, lang, path, _, po in plan:
            if lang.code not in memories:
                memories[lang.code] = TranslationMemory.open(settings.locale_path, lang)
                parsed = {p: c for _, l, p, _, c in plan if l.code == lang.code and c is not None}
                memories[lang.code].refresh(memory_sources(settings.locale_path, lang.code), parsed=parsed)
        yield memories
    finally:
        for memory in memories.values():
            memory.close()


def _same_entries(old: polib.POFile, new: polib.POFile) -> bool:
    """True when a merge changed nothing but header dates."""
    def key(po):
        return [
            (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, sorted(e.msgstr_plural.items()), e.obsolete, tuple(e.flags),
             e.comment, e.tcomment, tuple(e.occurrences), e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
            for e in po
        ]
    if len(old) != len(new):  # a merge that added or dropped entries: no need to build every key
        return False
    return key(old) == key(new) and {
        k: v for k, v in old.metadata.items() if k != "PO-Revision-Date"
    } == {k: v for k, v in new.metadata.items() if k != "PO-Revision-Date"}
