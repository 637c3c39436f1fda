"""Which articles, templates and catalogues a verb works on, and each catalogue read once per run.

One discovery of catalogues (:func:`catalogue_files`), and one place that
reads them (:class:`Catalogues`): every verb asks it, so a `run` parses each
catalogue once and checks it once, whatever number of stages look at it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pipeline import article as article_mod
from pipeline.article import Article
from pipeline.bundle import refuse_same_domain
from pipeline.errors import CatalogueError, SourceError
from pipeline.gettext.catalogue import Catalogue, catalogue_bytes, fingerprint, open_catalogue, parse_catalogue
from pipeline.gettext.languages import Language, language
from pipeline.settings import Settings
from pipeline.workflow.outcome import Report


def reference(settings: Settings, path: Path) -> str:
    """How catalogues cite a source: relative to the project root when inside it."""
    absolute = settings.resolve(path).resolve()
    try:
        return absolute.relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def load_articles(settings: Settings, sources: list[str] | tuple[str, ...]) -> list[Article]:
    """Read and segment each source article."""
    if not sources:
        raise SourceError("no source article given; name one (e.g. seeds/article.txt) or set [tool.pipeline] sources.")
    for source in sources:
        if has_control(str(source)):
            raise SourceError(
                f"{ascii(str(source))[1:-1]}: the file name holds a control character (a newline, a tab); "
                "rename the file (catalogues cite it by name on one line)."
            )
    articles = [
        article_mod.read_article(
            settings.resolve(source),
            reference=reference(settings, Path(source)),
            credit_patterns=settings.credit_patterns,
            language=settings.source_language,
        )
        for source in dict.fromkeys(sources)
    ]
    refuse_same_domain(articles)  # a domain names files and folders: `..` or a shared stem must not
    return articles


def has_control(name: str) -> bool:
    """True when *name* holds a control character or a line separator (it could not stay on one line)."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name)


def is_domain_name(domain: str) -> bool:
    """True when *domain* can name a file in the locale folder: no path, no control character, not hidden."""
    return bool(domain) and not domain.startswith(".") and not any(c in domain for c in "/\\") and not has_control(domain)


def template_path(settings: Settings, domain: str) -> Path:
    """The template of *domain*; a domain that is a path (or could climb out) is refused."""
    if not is_domain_name(domain):
        from pipeline.errors import ConfigError

        raise ConfigError(f"{domain!r}: not a domain name (a template name such as 'article', not a path); give the name only.")
    return settings.locale_path / f"{domain}.pot"


def known_domains(settings: Settings) -> list[str]:
    """Domains that have a template under the locale folder."""
    try:  # names, not Path objects: a year's archive has thousands
        return sorted(name[:-4] for name in os.listdir(settings.locale_path) if name.endswith(".pot") and len(name) > 4)
    except OSError:
        return []


def catalogue_files(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, str]]:
    """(language, domain, absolute path as a string) of every catalogue that exists for *languages* × *domains*.

    Strings, not Path objects: status builds no Path for a cached row.
    """
    domains = domains or known_domains(settings)
    root = os.path.abspath(settings.locale_path)
    for code in languages:
        lang = language(code)
        folder = os.path.join(root, lang.code, "LC_MESSAGES")
        if len(domains) > 50:  # a year's archive: one listing of the folder, not one stat per domain
            try:
                present = {n[:-3] for n in os.listdir(folder) if n.endswith(".po")}
            except OSError:
                present = set()
            prefix = folder + os.sep
            yield from [(lang, domain, f"{prefix}{domain}.po") for domain in domains if domain in present]
            continue
        for domain in domains:
            path = os.path.join(folder, f"{domain}.po")
            if os.path.exists(path):
                yield lang, domain, path


def existing_catalogues(
    settings: Settings, *, languages: tuple[str, ...], domains: list[str] | None = None
) -> Iterator[tuple[Language, str, Path]]:
    """(language, domain, path) of every catalogue that exists for *languages* × *domains*."""
    for lang, domain, path in catalogue_files(settings, languages=languages, domains=domains):
        yield lang, domain, Path(path)


@dataclass
class Catalogues:
    """The catalogues one verb (or one `run`) has read, each parsed once and checked once.

    A catalogue is parsed again only when its file no longer holds the bytes
    it was parsed from (a stage wrote it, or a translator saved it): the
    bytes are read each time (cheap), the parse and the checks are not
    repeated. Stages that change a catalogue in memory take a fresh copy
    (:meth:`fresh`), so a read-only stage never sees unsaved edits.
    """

    settings: Settings
    _parsed: dict[Path, Catalogue] = field(default_factory=dict)
    _findings: dict[tuple[Path, str], list] = field(default_factory=dict)
    _glossary: tuple | None = None

    def read(self, path: Path, *, language: Language) -> Catalogue:
        """The catalogue at *path*, parsed once for the bytes the file holds now (CatalogueError if unusable)."""
        path = Path(path)
        data = catalogue_bytes(path)
        known = self._parsed.get(path)
        if known is not None and known.fingerprint == fingerprint(data):
            return known
        catalogue = parse_catalogue(data, path=path, language=language)
        self._parsed[path] = catalogue
        return catalogue

    def fresh(self, path: Path, *, language: Language) -> Catalogue:
        """A copy of the catalogue at *path* that its caller may change and write (never shared)."""
        self._parsed.pop(Path(path), None)
        return open_catalogue(path, language=language)

    def keep(self, catalogue: Catalogue) -> None:
        """Share *catalogue*, as parsed from its file's current bytes, with the stages that follow."""
        if catalogue.path is not None:
            self._parsed[Path(catalogue.path)] = catalogue

    def glossary(self) -> tuple:
        from pipeline import checks

        if self._glossary is None:
            self._glossary = tuple(checks.load_glossary(self.settings.locale_path / "glossary.csv"))
        return self._glossary

    def findings(self, catalogue: Catalogue, *, language: Language, use_msgfmt: bool = True) -> list:
        """The QA findings of *catalogue* (msgfmt's included when *use_msgfmt*), computed once per content."""
        from pipeline import checks

        key = (Path(catalogue.path), catalogue.fingerprint, use_msgfmt)
        if key not in self._findings:
            shown = reference(self.settings, Path(catalogue.path))
            self._findings[key] = checks.check_catalogue(
                catalogue.po, language=language.code, path=shown, glossary=self.glossary(),
                source_language=self.settings.source_language, file=Path(catalogue.path) if use_msgfmt else None,
            )
        return self._findings[key]

    def each(
        self, report: Report, *, languages: tuple[str, ...], domains: list[str] | None = None
    ) -> Iterator[tuple[Language, str, Catalogue]]:
        """(language, domain, catalogue) for every readable catalogue; the unreadable are skipped into *report*."""
        for lang, domain, path in existing_catalogues(self.settings, languages=languages, domains=domains):
            try:
                yield lang, domain, self.read(path, language=lang)
            except CatalogueError as exc:
                report.skip(lang.code, domain, exc)
