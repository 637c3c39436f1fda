"""`pipeline extract`: one template (POT) per source article."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.article import Article
from pipeline.gettext.template import write_template
from pipeline.settings import Settings
from pipeline.workflow.discovery import load_articles, template_path
from pipeline.workflow.locking import writes_catalogues


@dataclass
class ExtractResult:
    domain: str
    path: Path
    entries: int
    changed: bool


@writes_catalogues
def extract(settings: Settings, sources) -> list[ExtractResult]:
    """Write one POT per source (two sources with the same file stem are refused: they would share it)."""
    articles = load_articles(settings, sources)
    by_domain: dict[str, list[Article]] = {}
    for item in articles:
        by_domain.setdefault(item.domain, []).append(item)
    results = []
    for domain, group in by_domain.items():
        path = template_path(settings, domain)
        changed = write_template(group, path)
        entries = len({segment.msgid for item in group for segment in item.segments})
        results.append(ExtractResult(domain, path, entries, changed))
    return results
