"""One exception tree for everything the pipeline reports to its user.

The library raises these; only the CLI turns them into a message and an exit
code. Each message is one sentence that names the file and says what to do.
"""


class PipelineError(Exception):
    """Base of every error the pipeline reports to its user."""

    exit_code = 2


class SourceError(PipelineError):
    """A source article cannot be read or segmented."""


class CatalogueError(PipelineError):
    """A PO/POT catalogue is malformed or inconsistent."""


class ConcurrentEditError(CatalogueError):
    """A catalogue changed on disk between the pipeline's read and its write."""


class LanguageError(PipelineError):
    """A language code is unknown or malformed."""


class ConfigError(PipelineError):
    """The project settings or a command-line option are invalid."""


class OutputError(PipelineError):
    """A file cannot be written where the pipeline must write it."""


class EngineError(PipelineError):
    """A translation engine is unknown or failed."""


class ModelError(EngineError):
    """A translation model package is missing, invalid or cannot be installed."""


class MissingModelError(ModelError):
    """No installed package (direct or via pivot) serves a language pair."""


class LockError(PipelineError):
    """Another pipeline process holds the catalogues."""


class TranslationInterrupted(EngineError):
    """Machine translation was interrupted; `partial` holds the outputs finished so far (None elsewhere)."""

    exit_code = 130

    def __init__(self, message: str, partial: list):
        super().__init__(message)
        self.partial = partial
        self.saved: list = []  # the catalogues saved with what was finished
