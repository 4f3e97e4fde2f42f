"""Notes on how an input was read: English text (a ``str``) that also carries its Vietnamese wording.

The readers return plain lists of notes (``gdf.attrs["read_notes"]``); a :class:`Note` behaves as its
English text everywhere (logs, JSON) and :func:`in_language` gives the Vietnamese one for output in
Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable


class Note(str):
    """English note text with a Vietnamese translation in ``.vi``."""

    vi: str

    def __new__(cls, en: str, vi: str = "") -> Note:  # noqa: D102 - a str with one more field
        obj = super().__new__(cls, en)
        obj.vi = vi
        return obj


def sourced(source: str, note: str) -> Note:
    """Return ``note`` prefixed with ``source`` (e.g. the file name) in both its languages."""
    if not source:
        return note if isinstance(note, Note) else Note(note)
    vi = getattr(note, "vi", "")
    return Note(f"{source}: {note}", f"{source}: {vi}" if vi else "")


def in_language(notes: Iterable[str], lang: str) -> list[str]:
    """Return the notes in ``lang``: Vietnamese where a note has it (others are left out in ``vi``).

    Parameters
    ----------
    notes : iterable of str
        Notes (plain ``str`` or :class:`Note`).
    lang : {"vi", "en"}

    Returns
    -------
    list of str
    """
    if lang != "vi":
        return [str(n) for n in notes]
    return [v for n in notes if (v := getattr(n, "vi", ""))]
