"""The ``sapxep`` command-line interface (also ``python -m sapxep.scenarios``).

Each group of commands lives in its own module with a ``register(app)`` function;
this module wires them together and turns project errors into a clear message and
exit code 2 (never a traceback).
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import typer

from sapxep.units.errors import SapxepError
from sapxep.units.files import write_text

app = typer.Typer(
    name="sapxep",
    help="Plan administrative-unit mergers (sắp xếp đơn vị hành chính) and their staffing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from sapxep.scenarios.cli import assess, basic, clean, ensemble, plan, scenario, staffing

    for module in (basic, assess, clean, plan, staffing, scenario, ensemble):
        module.register(app)


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 bad input or impossible request).

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        The process exit code.
    """
    try:
        app(args=argv, prog_name="sapxep", standalone_mode=False)
    except SapxepError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", None)
        if code is None:
            code = getattr(exc, "code", 0)
        return int(code or 0)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except OSError as exc:
        # the file system refused (no permission, disk full, a path that cannot be made)
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        typer.echo(f"error: cannot read or write{where}: {exc.strerror or exc}", err=True)
        return 2
    except Exception as exc:
        # click (vendored by typer) usage errors: unknown command, bad option value, ...
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return 2
        path = save_traceback(exc)
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {str(exc)[:200]}); details saved in {path} "
            "(please send that file with the command you ran)",
            err=True,
        )
        return 1
    return 0


def save_traceback(exc: BaseException) -> Path:
    """Write the traceback of an unexpected error to a file and return its path.

    The file goes to ``$SAPXEP_CRASH_DIR`` or the system temporary folder, named
    ``sapxep-error-<UTC time>-<pid>.txt``; the command line is recorded with it.

    Parameters
    ----------
    exc : BaseException

    Returns
    -------
    pathlib.Path
    """
    folder = Path(os.environ.get("SAPXEP_CRASH_DIR") or tempfile.gettempdir())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"sapxep-error-{stamp}-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(exc))
    try:
        write_text(path, f"sapxep {' '.join(sys.argv[1:])}\n\n{text}")
    except OSError:
        return Path("(could not be saved)")
    return path


if __name__ == "__main__":
    sys.exit(main())
