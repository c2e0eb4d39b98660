"""Inter-annotator agreement: the second annotations scored against the primary ones with
the contract's scorer (F1 is symmetric in the two annotators).

    python eval/agreement.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import load_articles  # noqa: E402
from run import annotations, print_table  # noqa: E402
from score import score  # noqa: E402
from standoff import to_contract  # noqa: E402


def main() -> int:
    primary, second = annotations("primary"), annotations("second")
    ids = sorted(set(primary) & set(second))
    texts = load_articles(ids)
    a = {i: to_contract(primary[i], texts[i]) for i in ids}
    b = {i: to_contract(second[i], texts[i]) for i in ids}
    result, _, _ = score(a, b)
    print_table("double-annotated", result, len(ids))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
