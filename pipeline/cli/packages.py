"""`pipeline models`: Argos Translate packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from pipeline.cli.common import (
    FormatOption, ModelsDirOption, PipelineError, _Command, app, err, load_settings, out, reports_errors,
)


models_app = typer.Typer(help="Argos Translate model packages: list, install (from a file or the package index), remove.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models_options(models_dir: ModelsDirOption = None) -> None:
    """Argos Translate model packages: list, install (from a file or the package index), remove."""
    try:
        _configure_models(models_dir)
    except PipelineError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None


def _configure_models(models_dir: Path | None) -> None:
    """Point argostranslate at `--models-dir` (given before or after the subcommand) or models_dir."""
    settings = load_settings()
    folder = models_dir or settings.models_dir
    if folder is not None:
        from pipeline.engines.argos import packages as models

        models.configure(models_dir=settings.resolve(folder))


@models_app.command("list", cls=_Command)
@reports_errors
def models_list(format: FormatOption = "table", models_dir: ModelsDirOption = None) -> None:
    """Installed packages (pair, version, size, path) and pairs reachable through English."""
    from pipeline.engines.argos import packages as models

    if models_dir is not None:
        _configure_models(models_dir)
    packages, broken = models.scan_packages()
    for folder, problem in broken:
        err.print(f"warning: {folder}: {problem}; skipped (delete this folder or reinstall the package).")
    pivots = models.pivot_pairs(packages)
    if format == "json":
        data = {
            "packages": [
                {"from": p.from_code, "to": p.to_code, "version": p.version, "name": p.name, "size_bytes": p.size_bytes, "path": str(p.path)}
                for p in packages
            ],
            "pivot_pairs": [list(pair) for pair in pivots],
        }
        out.print_json(json.dumps(data))
        return
    if not packages:
        out.print(f"No model installed in {models.packages_dir()}; install one with `pipeline models install FROM TO` or `pipeline models install FILE.argosmodel`.")
        return
    table = Table(title=f"Argos packages in {models.packages_dir()}")
    for column in ("pair", "version", "size", "path"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for p in packages:
        table.add_row(f"{p.from_code}→{p.to_code}", p.version, f"{p.size_bytes / 2**20:.1f} MiB", str(p.path))
    out.print(table)
    if pivots:
        out.print("Through English: " + ", ".join(f"{a}→{b}" for a, b in pivots))


@models_app.command("install", cls=_Command)
@reports_errors(writes=True)
def models_install(
    what: Annotated[list[str], typer.Argument(metavar="(FILE.argosmodel | FROM TO)", help="A package file (FILE.argosmodel), or FROM TO language codes to fetch from the package index.", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Replace an installed package of the same name or pair.")] = False,
    index: Annotated[Optional[str], typer.Option(metavar="URL", help="Package index address (default: $ARGOS_PACKAGE_INDEX or argostranslate's).")] = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """Install a package from a file, or FROM TO from the Argos package index (through English if needed)."""
    from pipeline.engines.argos import packages as models
    from pipeline.errors import ConfigError

    if models_dir is not None:
        _configure_models(models_dir)

    if len(what) == 1:
        installed = [models.install_file(Path(what[0]), replace=replace)]
    elif len(what) == 2:
        models.configure(index_url=index or load_settings().index_url)
        installed = models.install_from_index(what[0], what[1], replace=replace)
    else:
        raise ConfigError("give a package file (pipeline models install FILE.argosmodel) or two language codes (pipeline models install en uk).")
    for p in installed:
        out.print(f"installed {p.name}: {p.from_code}→{p.to_code} v{p.version} ({p.size_bytes / 2**20:.1f} MiB) in {p.path}")


@models_app.command("remove", cls=_Command)
@reports_errors(writes=True)
def models_remove(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Source language code.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Target language code.")],
    models_dir: ModelsDirOption = None,
) -> None:
    """Remove the installed package for a language pair."""
    from pipeline.engines.argos import packages as models

    if models_dir is not None:
        _configure_models(models_dir)

    removed = models.remove(source, target)
    out.print(f"removed {removed.name}: {removed.from_code}→{removed.to_code} v{removed.version}")


