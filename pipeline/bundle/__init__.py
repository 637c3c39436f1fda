"""Rebuild an article in each target language, in the formats a newsroom publishes, plus a manifest.

Data to data: `build_language` turns (article, catalogue, language) into a
`LanguageBundle` (the published translations, the structure, the compiled
catalogue, the manifest entry) and writes nothing; small writers, one per
format, registered by name with `writer` in `FORMATS`, turn a bundle into
bytes; `write_bundle` writes them atomically, records each file's SHA-256 in
the manifest and removes what an earlier run wrote and this one did not.

Publishing policy: a language is published only when every sentence
(`threshold` %, 100 by default) has a reviewed translation that passes the
gate; otherwise it is a preview (waiting for translators or reviewers) or
held back (a check failed), written under `<domain>/preview/<lang>/` and
marked as a draft in every format (`bundle.draft`), never in the published
place nor in the archive.

Layout under the output folder:

- `<domain>/<lang>/<domain>.txt`  the article, same layout and credits
- `<domain>/<lang>/<domain>.json` its structure
- `<domain>/<lang>/<domain>.md`   Markdown: headline as heading, captions set apart with credits
- `<domain>/<lang>/<domain>.html` a clean article page with `lang` and `dir`
- `<domain>/<lang>/<domain>.mo`   the compiled catalogue as published
- `<domain>/preview/<lang>/…`     the same formats for a language that is not published, marked as a draft
- `<domain>/manifest.json`        each language's state and why, the policy, when, by which tool, with checksums
- `<domain>.zip`                  the published files with the manifest (without the build time)

Publishing gate: a translation with an error finding of the QA registry
(`checks.check_catalogue`, which the caller runs once per catalogue and
passes in, so `pipeline check` and `pipeline bundle` agree) is not
published: the sentence falls back to the source and the manifest lists it
with the check id, unless the caller asks to publish failing translations
(recorded in the manifest).

Containment: the bundle deletes only files its previous manifest lists,
never through a symbolic link, and refuses folders that are the filesystem
root, the home folder or an ancestor of the project.

Adding a format is one function (`remove_writer` takes it out again)::

    @writer("shout")  # pipeline bundle --format shout → <domain>/<lang>/<domain>.shout
    def write_shout(bundle: LanguageBundle) -> bytes:
        return bundle.structure["headline"].upper().encode("utf-8")

Modules: `model` (the data), `gate` (findings → held back), `build`
(`build_language`, the states), `formats` (the registered writers), `draft`
(a preview's place and marks), `manifest`, `writing` (`write_bundle`),
`guards` (domains and folders refused).
"""

from __future__ import annotations

from pipeline.bundle.build import build_language
from pipeline.bundle.formats import FORMATS, Format, parse_formats, remove_writer, writer
from pipeline.bundle.gate import gate_failures, translations
from pipeline.bundle.guards import guard_folder, refuse_link, refuse_same_domain, validate_domain
from pipeline.bundle.manifest import MANIFEST, read_manifest, tool_version
from pipeline.bundle.model import ArticleBundle, BundleResult, HeldBack, LanguageBundle
from pipeline.bundle.writing import write_bundle

__all__ = [
    "ArticleBundle", "BundleResult", "FORMATS", "Format", "HeldBack", "LanguageBundle", "MANIFEST",
    "build_language", "gate_failures", "guard_folder", "parse_formats", "read_manifest", "refuse_link",
    "refuse_same_domain", "remove_writer", "tool_version", "translations", "validate_domain", "write_bundle", "writer",
]
