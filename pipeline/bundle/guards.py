"""Names that become paths, and folders the bundle refuses to write or delete in."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pipeline.article import Article
from pipeline.errors import OutputError, SourceError


def validate_domain(domain: str, *, source: str) -> str:
    """Refuse a domain (a source's file stem) that cannot safely name a folder."""
    if domain in ("", ".", "..") or any(c in domain for c in "/\\\0"):
        raise SourceError(
            f"{source}: its file name gives the domain {domain!r}, which cannot name a folder; rename the file (e.g. article.txt)."
        )
    return domain


def refuse_same_domain(articles: Sequence[Article]) -> None:
    """Refuse two different sources with the same file stem: their bundles would overwrite each other."""
    seen: dict[str, Article] = {}
    for item in articles:
        validate_domain(item.domain, source=item.path)
        first = seen.setdefault(item.domain, item)
        if first is not item and first.path != item.path:
            raise SourceError(
                f"{first.path} and {item.path} have the same file name stem {item.domain!r} and would share one "
                "catalogue and one bundle; rename one of them."
            )


def guard_folder(path: Path, *, root: Path, what: str, allow_root: bool = False, catalogues: Path | None = None) -> Path:
    """Refuse a folder that is the filesystem root, the home folder or an ancestor of the project.

    Also refused: a folder reached through a symbolic link inside the
    project, and one inside (or holding) the catalogue folder *catalogues*.
    """
    from pipeline.runtime.containment import is_inside, link_below

    link = link_below(Path(path), Path(root))
    if link is not None:
        raise OutputError(f"{what} {path}: {link} is a symbolic link; the pipeline never writes or deletes through a link. Choose a real folder.")
    resolved = Path(path).resolve()
    project = Path(root).resolve()
    why = None
    if resolved.parent == resolved:
        why = "the filesystem root"
    elif resolved == Path.home().resolve():
        why = "the home folder"
    elif resolved in project.parents:
        why = f"an ancestor of the project {project}"
    elif resolved == project and not allow_root:
        why = "the project folder itself"
    if why:
        raise OutputError(f"{what} {path} is {why}; the pipeline will not write or delete there. Choose a folder inside the project (e.g. dist).")
    if catalogues is not None and Path(catalogues).resolve() != Path(root).resolve() and (is_inside(path, catalogues) or is_inside(catalogues, path)):
        raise OutputError(f"{what} {path} would hold or lie among the catalogues in {catalogues}; choose another folder (e.g. dist).")
    return resolved


def refuse_link(path: Path) -> None:
    """Refuse to write or delete through *path* when it is a symbolic link."""
    if path.is_symlink():
        raise OutputError(
            f"{path} is a symbolic link; the bundle never writes or deletes through a link. Remove the link or choose another --out."
        )
