"""Argument types shared by the `akhbar` subcommands."""
from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
