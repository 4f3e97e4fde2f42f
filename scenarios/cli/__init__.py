"""The ``sapxep`` command-line interface (also ``python -m sapxep.scenarios``).

Each group of commands lives in its own module with a ``register(app)`` function;
this module wires them together and turns project errors into a clear message and
exit code 2 (never a traceback).
"""

from __future__ import annotations

import sys

import typer

from sapxep.units.errors import SapxepError

app = typer.Typer(
    name="sapxep",
    help="Plan administrative-unit mergers (sắp xếp đơn vị hành chính) and their staffing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from sapxep.scenarios.cli import assess, basic, clean, plan, scenario, staffing

    for module in (basic, assess, clean, plan, staffing, scenario):
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
    except Exception as exc:
        # click (vendored by typer) usage errors: unknown command, bad option value, ...
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
