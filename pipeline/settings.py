"""Project settings: `[tool.pipeline]` in pyproject.toml, overridden by flags.

Built once by the CLI and passed by keyword to every stage.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .article import DEFAULT_CREDIT_PATTERNS
from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Everything a stage may need to know about the project."""

    root: Path = field(default_factory=Path.cwd)
    source_language: str = "en"
    languages: tuple[str, ...] = ("uk", "pl", "de", "fr", "es")
    locale_dir: Path = Path("locale")
    output_dir: Path = Path("dist")
    sources: tuple[str, ...] = ("seeds/article.txt",)
    engine: str = "argos"
    bundle_threshold: float = 80.0
    use_fuzzy: bool = False
    credit_patterns: tuple[str, ...] = DEFAULT_CREDIT_PATTERNS
    models_dir: Path | None = None
    index_url: str | None = None
    device: str = "cpu"
    threads: int = 0
    compute_type: str | None = None
    beam_size: int = 4
    memory_threshold: float = 75.0
    fuzzy_threshold: float = 60.0

    def resolve(self, path: str | Path) -> Path:
        """A project path made absolute against the project root."""
        path = Path(path)
        return path if path.is_absolute() else self.root / path

    @property
    def locale_path(self) -> Path:
        return self.resolve(self.locale_dir)

    @property
    def output_path(self) -> Path:
        return self.resolve(self.output_dir)

    def engine_options(self) -> dict:
        """The options every engine factory accepts (each takes what it needs)."""
        return {
            "device": self.device,
            "threads": self.threads,
            "compute_type": self.compute_type,
            "beam_size": self.beam_size,
            "models_dir": self.resolve(self.models_dir) if self.models_dir else None,
        }

    def with_overrides(self, **overrides) -> "Settings":
        """A copy with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above *start* holding a pyproject.toml with [tool.pipeline]."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.pipeline]" in candidate.read_text(encoding="utf-8", errors="replace"):
            return folder
    return start


def load_settings(root: Path | None = None) -> Settings:
    """Read `[tool.pipeline]` from the project's pyproject.toml (defaults when absent)."""
    root = find_root(root)
    pyproject = root / "pyproject.toml"
    table: dict = {}
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("pipeline", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: not valid TOML ({exc}); fix the file.") from None
    known = {f.name: f for f in fields(Settings)}
    values: dict = {"root": root}
    for key, value in table.items():
        if key not in known or key == "root":
            raise ConfigError(f"{pyproject}: unknown setting [tool.pipeline] {key}; known: {', '.join(sorted(known))}.")
        if key in {"languages", "sources", "credit_patterns"}:
            value = tuple(value)
        elif key in {"locale_dir", "output_dir", "models_dir"}:
            value = Path(value)
        values[key] = value
    return Settings(**values)
