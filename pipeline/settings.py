"""Project settings: `[tool.pipeline]` in pyproject.toml, overridden by flags.

Built once by the CLI and passed by keyword to every stage.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from pipeline.article import DEFAULT_CREDIT_PATTERNS
from pipeline.errors import ConfigError


SHARED_ENGINE_SETTINGS = ("device", "threads", "compute_type", "beam_size", "models_dir")
"""Settings (and flags) that every engine declaring an option of the same name receives."""


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
    bundle_threshold: float = 100.0  # the publishing policy: % of sentences with a reviewed translation passing the gate
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
    lock_wait: float = 10.0  # seconds a writing verb waits for another process's lock (`--wait`)
    executor: str = "serial"  # where per-language work runs (pipeline.runtime.executors)
    engines: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """`[tool.pipeline.engines.NAME]`: options of one engine that have no key of their own above."""
    executors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """`[tool.pipeline.executors.NAME]`: options of one executor (`ray`: address, workers, num_gpus, …)."""
    story_dates: Mapping[str, str] = field(default_factory=dict)
    """`[tool.pipeline.story_dates]`: source path (as given, relative to the project) → the story's date, YYYY-MM-DD."""
    credit_prefix: Mapping[str, str] = field(default_factory=dict)
    """`[tool.pipeline.credit_prefix]`: language → the word a caption credit starts with in its bundles (pl = "Fot.")."""

    def __post_init__(self) -> None:
        self.check_folders()

    def check_folders(self) -> None:
        """Refuse a locale or output folder outside the project, or reached through a symbolic link.

        Everything the pipeline writes, deletes or sweeps lies under these two
        folders (the caches and the lock under the locale folder), so proving
        them contained at the start proves it for every path below them.
        """
        from pipeline.runtime.containment import check_contained

        check_contained(self.locale_path, root=self.root, what="the locale folder (locale_dir)")
        check_contained(self.output_path, root=self.root, what="the output folder (output_dir)", allow_root=False)

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

    def engine_options(self, name: str | None = None) -> dict:
        """The options engine *name* (default: the configured one) declared, as set here.

        An option is taken from `[tool.pipeline.engines.NAME]`, else from the
        setting of the same name (`device`, `threads`, `compute_type`,
        `beam_size`, `models_dir`: the flags and top-level keys, which any
        engine declaring them shares); unset (None) options are left out.
        """
        from pipeline.engines import engine_spec

        own = self.engines.get(name or self.engine, {})
        options = {}
        for key in engine_spec(name or self.engine).options:
            value = own.get(key, getattr(self, key) if key in SHARED_ENGINE_SETTINGS else None)
            if isinstance(value, Path):
                value = self.resolve(value)
            if value is not None:
                options[key] = value
        return options

    def executor_options(self, name: str | None = None) -> dict:
        """The options of executor *name* (default: the configured one) from `[tool.pipeline.executors.NAME]`."""
        return dict(self.executors.get(name or self.executor, {}))

    def get_executor(self, name: str | None = None):
        """The executor *name* (default: the configured one), built with its options."""
        from pipeline.runtime.executors import get_executor

        return get_executor(name or self.executor, **self.executor_options(name))

    def with_overrides(self, **overrides) -> "Settings":
        """A copy with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above *start* holding a pyproject.toml with [tool.pipeline]."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        try:
            if candidate.is_file() and "[tool.pipeline]" in candidate.read_text(encoding="utf-8", errors="replace"):
                return folder
        except OSError as exc:
            raise ConfigError(f"{candidate}: cannot be read ({exc.strerror}); check its permissions.") from None
    return start


DEVICES = ("cpu", "cuda", "auto")
"""Where CTranslate2 runs a model (`--device`)."""

COMPUTE_TYPES = (
    "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32",
)
"""CTranslate2's compute types (`--compute-type`); whether the device supports one is its own question."""

FORMATS = ("table", "json")
"""What `--format` accepts."""


def _number(low: float, high: float):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            return None
        return value

    return check, f"a number from {low:g} to {high:g}"


def _integer(low: int):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            return None
        return value

    return check, f"a whole number of at least {low}"


def _text(choices: tuple[str, ...] | None = None):
    def check(value):
        if not isinstance(value, str) or not value or (choices and value not in choices):
            return None
        return value

    return check, f"one of {', '.join(choices)}" if choices else "a string"


def _path():
    def check(value):
        if not isinstance(value, str) or not value or "\0" in value:
            return None
        return Path(value)

    return check, "a folder path (a string)"


def _strings(what: str, *, allow_empty: bool = False):
    def check(value):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or (not value and not allow_empty):
            return None
        return tuple(value)

    return check, f"a list of {what} (strings)"


def _flag():
    return (lambda value: value if isinstance(value, bool) else None), "true or false"


def _engine():
    from pipeline.engines import engine_names

    return _text(tuple(engine_names()))


def _executor():
    from pipeline.runtime.executors import executor_names

    return _text(tuple(executor_names()))


def _option_tables(kind: str):
    """A table of tables, `[tool.pipeline.<kind>.NAME]` (names and keys are checked by :func:`_check_option_tables`)."""

    def check(value):
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            return None
        return {name: dict(table) for name, table in value.items()}

    return check, f"tables of options, one per name ([tool.pipeline.{kind}.NAME])"


def _iso_dates():
    def check(value):
        from datetime import date

        if not isinstance(value, dict):
            return None
        try:
            return {str(k): date.fromisoformat(v).isoformat() for k, v in value.items() if isinstance(v, str) and len(v) == 10} if all(
                isinstance(v, str) and len(v) == 10 for v in value.values()) else None
        except ValueError:
            return None

    return check, "a table of source paths to dates written YYYY-MM-DD"


def _string_table(what: str):
    def check(value):
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            return None
        return {str(k): v.strip() for k, v in value.items()}

    return check, f"a table of {what} (strings)"


_CHECKS = {
    "source_language": lambda: _text(),
    "languages": lambda: _strings("language codes"),
    "locale_dir": _path,
    "output_dir": _path,
    "sources": lambda: _strings("article paths", allow_empty=True),
    "engine": _engine,
    "bundle_threshold": lambda: _number(0, 100),
    "use_fuzzy": _flag,
    "credit_patterns": lambda: _strings("regular expressions", allow_empty=True),
    "models_dir": _path,
    "index_url": lambda: _text(),
    "device": lambda: _text(DEVICES),
    "threads": lambda: _integer(0),
    "compute_type": lambda: _text(COMPUTE_TYPES),
    "beam_size": lambda: _integer(1),
    "memory_threshold": lambda: _number(0, 100),
    "fuzzy_threshold": lambda: _number(0, 100),
    "lock_wait": lambda: _number(0, 86400),
    "executor": _executor,
    "engines": lambda: _option_tables("engines"),
    "story_dates": lambda: _iso_dates(),
    "credit_prefix": lambda: _string_table("language codes to the word a caption credit starts with"),
    "executors": lambda: _option_tables("executors"),
}
"""How each `[tool.pipeline]` key is checked and converted (every Settings field but `root`)."""


def load_settings(root: Path | None = None) -> Settings:
    """Read `[tool.pipeline]` from the project's pyproject.toml (defaults when absent).

    Every value is checked for its type before anything uses it: a wrong one
    is one ConfigError naming the key and what it must be.
    """
    from pipeline.errors import LanguageError
    from pipeline.gettext.languages import normalise_code

    root = find_root(root)
    pyproject = root / "pyproject.toml"
    table: dict = {}
    if pyproject.is_file():
        try:
            document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{pyproject}: not valid TOML ({exc}); fix the file.") from None
        except OSError as exc:
            raise ConfigError(f"{pyproject}: cannot be read ({exc.strerror}); check its permissions.") from None
        tool = document.get("tool", {})
        table = tool.get("pipeline", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{pyproject}: [tool.pipeline] must be a table of settings; fix the file.")
    values: dict = {"root": root}
    for key, value in table.items():
        if key not in _CHECKS:
            raise ConfigError(f"{pyproject}: unknown setting [tool.pipeline] {key}; known: {', '.join(sorted(_CHECKS))}.")
        check, expected = _CHECKS[key]()
        converted = check(value)
        if converted is None:
            raise ConfigError(f"{pyproject}: [tool.pipeline] {key} must be {expected}, not {value!r}.")
        values[key] = converted
    try:
        if "source_language" in values:
            values["source_language"] = normalise_code(values["source_language"])
        if "languages" in values:
            values["languages"] = tuple(dict.fromkeys(normalise_code(code) for code in values["languages"]))
    except LanguageError as exc:
        raise ConfigError(f"{pyproject}: [tool.pipeline] {exc}") from None
    if "engines" in values:
        _check_engine_tables(values["engines"], where=pyproject)
    if "executors" in values:
        from pipeline.runtime.executors import executor_names, executor_options

        _check_option_tables("executors", values["executors"], where=pyproject, names=executor_names(), options_of=executor_options)
    settings = Settings(**values)
    check_targets(settings.languages, source=settings.source_language, where=f"{pyproject}: [tool.pipeline] languages")
    if "credit_patterns" in values:
        from pipeline.article import compile_credits
        from pipeline.errors import SourceError

        try:
            compile_credits(settings.credit_patterns)
        except SourceError as exc:
            raise ConfigError(f"{pyproject}: {exc}") from None
        for pattern in settings.credit_patterns:
            why = backtracking_risk(pattern)
            if why:
                raise ConfigError(
                    f"{pyproject}: [tool.pipeline] credit_patterns {pattern!r}: {why}, which can take exponential time "
                    "on one line; write it without a repeat inside a repeat (e.g. 'a+b' for '(a+)+b')."
                )
    return settings


def backtracking_risk(pattern: str) -> str | None:
    """Why *pattern* could backtrack exponentially (a nested quantifier, an alternation under a repeat, a backreference), or None.

    Python's engine backtracks; configured patterns run on every caption
    line, so only patterns whose time is linear in the line are accepted.
    """
    try:
        import re._parser as parser
        import re._constants as constants
    except ImportError:  # pragma: no cover (Python 3.10 and older)
        import sre_parse as parser
        import sre_constants as constants
    repeats = {constants.MAX_REPEAT, constants.MIN_REPEAT, getattr(constants, "POSSESSIVE_REPEAT", constants.MAX_REPEAT)}

    def walk(items, under_repeat: bool) -> str | None:
        for op, value in items:
            if op in (constants.GROUPREF, getattr(constants, "GROUPREF_EXISTS", None)):
                return "it uses a backreference"
            if op in repeats:
                low, high, body = value
                many = high > 1
                if under_repeat and many:
                    return "it repeats a repeat (a nested quantifier)"
                found = walk(body, under_repeat or many)
                if found:
                    return found
            elif op is constants.BRANCH:
                if under_repeat:
                    return "it repeats an alternation"
                for branch in value[1]:
                    found = walk(branch, under_repeat)
                    if found:
                        return found
            elif op is constants.SUBPATTERN:
                found = walk(value[-1], under_repeat)
                if found:
                    return found
            elif op in (constants.ASSERT, constants.ASSERT_NOT):
                found = walk(value[1], under_repeat)
                if found:
                    return found
        return None

    try:
        return walk(parser.parse(pattern), False)
    except Exception:  # an invalid pattern is refused by compile_credits with its own message
        return None


def _check_engine_tables(tables: dict, *, where: Path) -> None:
    """Each `[tool.pipeline.engines.NAME]` must name a registered engine and only options it declared."""
    from pipeline.engines import engine_names, engine_spec

    _check_option_tables(
        "engines", tables, where=where, names=engine_names(), options_of=lambda name: engine_spec(name).options,
        shared=SHARED_ENGINE_SETTINGS,
    )


def _check_option_tables(kind: str, tables: dict, *, where: Path, names, options_of, shared=()) -> None:
    """Each `[tool.pipeline.<kind>.NAME]` must name a registered NAME and only options it declared.

    The same check serves any registry whose members take options (engines
    today); *shared* options have a top-level key of their own and are
    refused in a table, so each option is set in one place.
    """
    for name, table in tables.items():
        if name not in names:
            raise ConfigError(f"{where}: [tool.pipeline.{kind}.{name}]: unknown name; known: {', '.join(names)}.")
        for key in table:
            if key in shared:
                raise ConfigError(f"{where}: [tool.pipeline.{kind}.{name}] {key}: set it as [tool.pipeline] {key} (or its flag).")
            if key not in options_of(name):
                declared = ", ".join(k for k in options_of(name) if k not in shared) or "none"
                raise ConfigError(f"{where}: [tool.pipeline.{kind}.{name}] {key}: not one of its options; its options: {declared}.")


def check_targets(languages: tuple[str, ...], *, source: str, where: str = "--lang") -> None:
    """Refuse the source language as a target language (it would "translate" en → en)."""
    if source in languages:
        raise ConfigError(f"{where}: {source} is the source language, not a target; remove it (or change source_language).")
