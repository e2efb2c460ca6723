"""`make serve` checks its port before the first build: a busy port is one line, not a traceback.

    python -m macros.serve_port PORT    # exit 0 if 127.0.0.1:PORT is free, else 1 and one line on stderr
"""

from __future__ import annotations

import socket
import sys

HOST = "127.0.0.1"


def busy(port: int, host: str = HOST) -> bool:
    """Whether another process listens on host:port (mkdocs serve could not bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def main(argv: list[str]) -> int:
    text = argv[0] if argv else ""
    if not text.isdigit() or not 0 < int(text) < 65536:
        print(f"make serve: PORT must be a number from 1 to 65535, not {text!r}, e.g. make serve PORT=8001", file=sys.stderr)
        return 2
    port = int(text)
    if busy(port):
        print(f"make serve: port {port} is in use (another `make serve`?): stop it, or run make serve PORT={port + 1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
