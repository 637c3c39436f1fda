"""`pipeline memory`: export, import, rebuild the translation memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from pipeline.cli.common import (
    LangOption, LocaleOption, _Command, _finish, _settings, _show, app, counted, err, out, reports_errors, workflow,
)



memory_app = typer.Typer(help="Translation memory (a rebuildable SQLite index of every reviewed translation): export, import, rebuild.", no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@memory_app.command("export", cls=_Command)
@reports_errors
def memory_export(
    out_file: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write (PO for one language, TMX for any).")],
    format: Annotated[str, typer.Option("--format", metavar="po|tmx", help="po (usable with msgmerge --compendium) or tmx.")] = "po",
    lang: LangOption = None,
    locale_dir: LocaleOption = None,
) -> None:
    """Write the memory as a PO compendium (one language) or TMX (every language given)."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    for result in workflow.memory_export(settings, languages=settings.languages, format=format, out=out_file):
        out.print(f"{result.language}: {counted(result.entries, 'translation')} exported to {_show(result.path)}")


@memory_app.command("import", cls=_Command)
@reports_errors
def memory_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A PO file (its Language header, or --lang) or a TMX file.", show_default=False)],
    lang: Annotated[Optional[str], typer.Option("--lang", "-l", metavar="LANG", help="Language of a PO file without a Language header; for TMX, import only this language.")] = None,
    locale_dir: LocaleOption = None,
) -> None:
    """Add a file's reviewed translations to locale/<lang>/compendium.po and the memory."""
    settings = _settings(locale_dir=locale_dir)
    report = workflow.memory_import(settings, file, language_code=lang)
    for result in report.results:
        out.print(f"{result.language}: {counted(result.changed, 'translation')} added or changed in {_show(result.path)}; memory holds {result.entries}")
    _finish(report)


@memory_app.command("rebuild", cls=_Command)
@reports_errors
def memory_rebuild(lang: LangOption = None, locale_dir: LocaleOption = None) -> None:
    """Recreate the memory index from the catalogues and compendium of each language."""
    settings = _settings(lang=lang, locale_dir=locale_dir)
    for result in workflow.memory_rebuild(settings, languages=settings.languages):
        for note in result.notes:
            err.print(f"note: {note}")
        out.print(f"{result.language}: {counted(result.entries, 'sentence')} from {counted(result.changed, 'file')} in {_show(result.path)}")


