"""The reports floor: read every save file in a folder and JSON-parse it, nothing more.

python bench/read_saves.py DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    folder = Path(sys.argv[1])
    count = 0
    for path in sorted(folder.glob("*.json")):
        json.loads(path.read_bytes())
        count += 1
    print(count)


if __name__ == "__main__":
    main()
