"""The handbook's performance benchmark: `make bench` (see bench/__main__.py)."""
