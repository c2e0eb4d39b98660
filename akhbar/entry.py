"""The `akhbar` console script: the CLI, or one clear line when the install is not complete.

camel-tools is the second step of the install (README: Install); without it the CLI's
modules cannot import, and a traceback would hide the one command that fixes it.
"""
from __future__ import annotations

import sys


def main() -> int:
    try:
        from akhbar.cli import main as cli_main
    except ImportError as exc:
        if type(exc).__name__ != "CamelToolsMissing":
            raise
        print(f"akhbar: {exc}", file=sys.stderr)
        return 2
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
