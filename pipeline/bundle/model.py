"""The bundle's data: what one language publishes, what was held back, what was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.article import Article
from pipeline.gettext.languages import Language


@dataclass(frozen=True)
class HeldBack:
    """A translation that failed an error check and so is not published (or was published on request)."""

    msgid: str
    check: str
    message: str
    line: int | None

    def as_dict(self) -> dict:
        return {"msgid": self.msgid, "check": self.check, "message": self.message, "line": self.line}


@dataclass
class LanguageBundle:
    """Everything one language's bundle holds, before anything is written."""

    article: Article
    language: Language
    published: dict[str, str]  # msgid → msgstr actually published
    structure: dict
    mo: bytes
    date: str | None  # the story's own date, formatted for the language by Babel; None: unknown
    text_direction: str  # "ltr" or "rtl", from Babel
    bundled: bool
    completeness: float
    fallback: list[str]
    held_back: list[HeldBack]
    published_failing: list[HeldBack]
    manifest_entry: dict
    state: str = "published"  # published, preview or held back (bundle.build.STATES)

    @property
    def draft(self) -> bool:
        """True for a preview: written apart, marked "draft, not for publication" in every format."""
        return self.state != "published"


@dataclass
class BundleResult:
    """What was bundled for one language of one article."""

    language: str
    domain: str
    bundled: bool
    completeness: float
    files: list[Path] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)
    manifest_entry: dict = field(default_factory=dict)
    held_back: list[HeldBack] = field(default_factory=list)
    published_failing: list[HeldBack] = field(default_factory=list)
    state: str = "published"  # published, preview, held back or failed
    reason: str | None = None  # why it is not published, in words


@dataclass
class ArticleBundle:
    """Every file of one article's bundle (paths relative to its folder) and its manifest."""

    domain: str
    files: dict[str, bytes]
    manifest: bytes
    timestamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)  # every archive member's (zip's local time)
