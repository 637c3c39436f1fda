"""English wording shared by the command line and the library's messages."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """*count* followed by the noun in agreement with it: ``1 translation``, ``2 translations``.

    *plural* defaults to *singular* + ``s``; give it for the others (``entry``, ``entries``).
    """
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
