"""Writing files without ever leaving a half-written or lost file behind.

Every file sapxep writes goes through :func:`atomic_path` (or the small wrappers
:func:`write_text` / :func:`write_bytes`): the content is written to a temporary file
in the same folder and moved into place with ``os.replace``, which is atomic on the
same file system. A crash or a bad input in the middle of writing leaves the old file
(if any) untouched and no temporary file behind.

:func:`check_output_path` refuses an output path that is an input of the same
command or the workspace, or that is a folder.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sapxep.units.errors import SapxepError

logger = logging.getLogger(__name__)


class OutputPathError(SapxepError, ValueError):
    """An output path would overwrite an input, the workspace or a folder."""


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it onto ``target`` on success.

    The temporary file has the same suffix as ``target`` (drivers that pick the
    format from the suffix, such as GDAL's, keep working). If the block raises, the
    temporary file is deleted and ``target`` is left as it was.

    Parameters
    ----------
    target : str or pathlib.Path
        Final path of the file. Its folder must exist.

    Yields
    ------
    pathlib.Path
        Path to write to (it does not exist yet).

    Raises
    ------
    OutputPathError
        If ``target`` is an existing folder or its folder does not exist.
    """
    final = Path(target)
    if final.is_dir():
        raise OutputPathError(f"{final} is a folder: give a file name (e.g. {final / 'out'}{final.suffix})")
    folder = final.parent if str(final.parent) else Path(".")
    if not folder.is_dir():
        raise OutputPathError(f"{final}: the folder {folder} does not exist: create it first")
    fd, name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=f".tmp{final.suffix}", dir=folder)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers (GDAL, openpyxl) want to create the file themselves
    try:
        yield tmp
        if not tmp.exists():
            raise OSError(f"nothing was written for {final}")
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    logger.debug("wrote %s", final)


def write_text(target: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically.

    Parameters
    ----------
    target : str or pathlib.Path
    text : str
    encoding : str, default "utf-8"
        Use ``"utf-8-sig"`` for CSV files meant for Excel on Windows.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(target)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically.

    Parameters
    ----------
    target : str or pathlib.Path
    data : bytes

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        return False
    return a.resolve() == b.resolve()


def check_output_path(
    out: str | Path,
    *,
    inputs: Iterable[str | Path | None] = (),
    workspace: str | Path | None = None,
    option: str = "--out",
    folder_ok: bool = False,
) -> Path:
    """Refuse an output path that would destroy an input or the workspace.

    Parameters
    ----------
    out : str or pathlib.Path
        Output file (or folder, with ``folder_ok``).
    inputs : iterable of path-like or None
        Files the command reads (``None`` entries are skipped).
    workspace : path-like, optional
        The workspace GeoPackage, which an output may never replace.
    option : str, default "--out"
        Name of the option in messages.
    folder_ok : bool, default False
        Whether ``out`` may be (or become) a folder; otherwise an existing folder
        is refused.

    Returns
    -------
    pathlib.Path
        ``out`` as a path.

    Raises
    ------
    OutputPathError
        Naming the clash and how to fix it.
    """
    p = Path(out)
    if workspace is not None and _same_file(p, Path(workspace)):
        raise OutputPathError(
            f"{option} {p} is the workspace: writing there would destroy every saved scenario; "
            f"give another file name for {option}"
        )
    for given in inputs:
        if given is not None and _same_file(p, Path(given)):
            raise OutputPathError(f"{option} {p} is also an input of this command: give another file name")
    if not folder_ok and p.is_dir():
        raise OutputPathError(f"{option} {p} is a folder: give a file name inside it")
    if folder_ok and p.exists() and not p.is_dir():
        raise OutputPathError(f"{option} {p} is an existing file: give a folder name")
    return p
