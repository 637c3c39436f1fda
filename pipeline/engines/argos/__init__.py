"""Argos Translate: installed `.argosmodel` packages, decoded in one CTranslate2 batch.

argostranslate's own `translate()` re-splits every string into sentences
(with MiniSBD, which downloads a model at run time) and decodes them with a
token budget of 32 per batch, so almost every sentence is a batch of its own.
Our segments are already sentences, so this engine skips the splitter and
hands every pending sentence of a language pair to one
`Translator.translate_iterable` call, with argostranslate's decoding settings
(beam 4, length penalty 0.2, unknowns replaced, the package's target prefix)
and its detokenisation (the package's tokenizer, prefix and leading space
stripped). Under float32 the output equals argostranslate's sentence by
sentence; under int8 a sentence's result can depend on its batch neighbours,
so sentences are ordered by a key that depends only on the set translated,
which makes a run reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.engines.argos import packages as models
from pipeline.errors import EngineError, TranslationInterrupted
from pipeline.wording import counted

ARGOS_BEAM_SIZE = 4  # argostranslate's default ARGOS_BEAM_SIZE
ARGOS_LENGTH_PENALTY = 0.2
ARGOS_OUTPUT_CAP = 256  # CTranslate2's default max_decoding_length, which argostranslate keeps


def faulty_package(info: models.PackageInfo, exc: BaseException) -> EngineError:
    """One line for a package that installed but cannot translate: that language pair alone fails."""
    why = " ".join(str(exc).split())[:200] or type(exc).__name__
    return EngineError(
        f"{info.path}: package {info.name} cannot translate ({type(exc).__name__}: {why}); "
        "its model or tokenizer is damaged: reinstall it with `pipeline models install`."
    )


@dataclass
class _Leg:
    """One loaded package: its CTranslate2 translator and argostranslate tokenizer."""

    info: models.PackageInfo
    translator: object
    tokenizer: object
    target_prefix: str


class ArgosEngine:
    """Machine translation with installed Argos Translate packages (`--engine argos`).

    Building one reads and changes nothing: packages are looked up in
    *models_dir* (default: argostranslate's folders) when a pair is first
    asked for, and argostranslate is imported when a model is first loaded,
    without changing `os.environ` (see `pipeline.engines.argos.library`).
    """

    name = "argos"

    def __init__(
        self,
        *,
        device: str = "cpu",
        threads: int = 0,
        compute_type: str | None = None,
        beam_size: int = ARGOS_BEAM_SIZE,
        max_batch_size: int = 32,
        batch_type: str = "examples",
        models_dir: Path | None = None,
    ):
        self.models_dir = Path(models_dir) if models_dir is not None else None
        self.device = device
        self.threads = threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.batch_type = batch_type
        self._legs: dict[Path, _Leg] = {}

    def provenance(self, source: str, target: str) -> str:
        route = models.find_route(source, target, models_dir=self.models_dir)
        legs = " + ".join(f"{p.name} {p.from_code}→{p.to_code} v{p.version}" for p in route)
        mode = "greedy" if self.beam_size == 1 else f"beam {self.beam_size}"
        return f"argos {legs} ({mode}, {self._compute_type()})"

    def translate_batch(self, sentences, *, source, target, progress=None):
        route = models.find_route(source, target, models_dir=self.models_dir)  # MissingModelError names the install command
        texts = list(sentences)
        for number, info in enumerate(route, start=1):
            leg = self._load(info)
            step = (lambda n: progress(n / len(route))) if progress else None
            try:
                texts = self._translate_leg(leg, texts, step)
            except TranslationInterrupted as stop:
                if number < len(route):  # a pivot's first leg is not a translation yet
                    stop.partial = [None] * len(texts)
                raise
            except (KeyboardInterrupt, EngineError):
                raise
            except Exception as exc:  # noqa: BLE001 (a package that installs fine can break anywhere in sentencepiece or CTranslate2)
                raise faulty_package(info, exc) from None
        return texts

    def _translate_leg(self, leg: _Leg, texts: list[str], progress) -> list[str]:
        unique = list(dict.fromkeys(texts))
        tokens = {text: leg.tokenizer.encode(text) for text in unique}
        # Order depends only on the set of sentences: reproducible int8 batches,
        # and similar lengths side by side so little padding is decoded.
        ordered = sorted(unique, key=lambda text: (len(tokens[text]), text))
        longest = max((len(t) for t in tokens.values()), default=0)
        prefix = [[leg.target_prefix]] * len(ordered) if leg.target_prefix else None
        results = leg.translator.translate_iterable(
            (tokens[text] for text in ordered),
            target_prefix=iter(prefix) if prefix else None,
            max_batch_size=self.max_batch_size,
            batch_type=self.batch_type,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=ARGOS_LENGTH_PENALTY,
            replace_unknowns=True,
            # Never truncate silently: no input limit, and room for outputs
            # longer than CTranslate2's default cap when inputs are long.
            max_input_length=0,
            max_decoding_length=max(ARGOS_OUTPUT_CAP, 4 * longest),
        )
        translated = {}
        try:
            for text, result in zip(ordered, results):
                translated[text] = self._detokenize(leg, result.hypotheses[0])
                if progress:
                    progress(1)
        except KeyboardInterrupt:
            # Batches already decoded are kept: the caller saves them.
            raise TranslationInterrupted(
                f"translation interrupted after {len(translated)} of {counted(len(unique), 'sentence')}",
                [translated.get(text) for text in texts],
            ) from None
        return [translated[text] for text in texts]

    @staticmethod
    def _detokenize(leg: _Leg, pieces: list[str]) -> str:
        """argostranslate's detokenisation: tokenizer decode, strip prefix, strip one leading space."""
        value = leg.tokenizer.decode(pieces)
        if leg.target_prefix and value.startswith(leg.target_prefix):
            value = value[len(leg.target_prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value

    def _compute_type(self) -> str:
        if self.compute_type:
            return self.compute_type
        return "int8" if self._device() == "cpu" else "auto"

    def _device(self) -> str:
        if self.device != "auto":
            return self.device
        import ctranslate2

        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"

    def _load(self, info: models.PackageInfo) -> _Leg:
        """Load a package's model and tokenizer once per engine."""
        if info.path in self._legs:
            return self._legs[info.path]
        import ctranslate2

        # Its first import creates folders (beside models_dir, when given); a failure is a ModelError.
        argos_package, _ = models.import_argostranslate(self.models_dir)
        package = argos_package.Package(info.path)
        device, compute_type = self._device(), self._compute_type()
        if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            raise EngineError("--device cuda: no CUDA device is visible to CTranslate2; use --device cpu or auto.")
        if compute_type not in ("default", "auto"):
            supported = sorted(ctranslate2.get_supported_compute_types(device))
            if compute_type not in supported:
                raise EngineError(
                    f"--compute-type {compute_type} is not supported on {device} (supported: {', '.join(supported)}); choose one of those."
                )
        try:
            translator = ctranslate2.Translator(
                str(info.path / "model"),
                device=self._device(),
                compute_type=self._compute_type(),
                inter_threads=1,
                intra_threads=self.threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(
                f"{info.path}: the model of package {info.name} cannot be loaded ({exc}); reinstall it with `pipeline models install`."
            ) from None
        try:
            tokenizer = package.tokenizer
            tokenizer.encode("A")  # sentencepiece loads its model here: a random or empty file fails now, not mid-batch
        except Exception as exc:  # noqa: BLE001 (sentencepiece raises OSError, RuntimeError or its own errors)
            raise faulty_package(info, exc) from None
        leg = _Leg(info, translator, tokenizer, package.target_prefix or "")
        self._legs[info.path] = leg
        return leg
