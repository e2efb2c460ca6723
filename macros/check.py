"""`make check`: validate the data alone, fast; exit 1 listing every problem."""

from __future__ import annotations

import sys
from pathlib import Path

from .loader import DataError, load_handbook


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else Path("data")
    try:
        handbook = load_handbook(data_dir, Path.cwd())
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(by_id)} {folder}" for folder, by_id in handbook.entities.items())
    print(f"data OK: {len(handbook)} entries ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
