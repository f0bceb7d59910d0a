"""Command line entry point (filled in by the core work)."""


def main() -> int:
    return 0
