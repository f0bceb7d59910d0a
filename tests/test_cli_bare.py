"""The bare ``netquest`` skips building the parser: it must read its arguments exactly alike."""

from __future__ import annotations

import pytest

from netquest.cli import _fill_defaults, _parser, bare_arguments


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--saves", "some/dir"],
        ["--saves=some/dir"],
        ["--saves="],
        ["--profile", "Ada Lovelace"],
        ["--profile=-odd"],
        ["--saves", "a", "--profile", "B"],
        ["--profile", "B", "--saves", "a", "--saves", "c"],
    ],
)
def test_bare_arguments_match_the_parser(argv: list[str]) -> None:
    assert bare_arguments(argv) == _fill_defaults(_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["play", "conference"],
        ["--help"],
        ["--version"],
        ["--sav", "dir"],
        ["--saves"],
        ["--profile", "-x"],
        ["--scenarios", "dir"],
        ["--course", "c"],
        ["--web-session"],
        ["--saves", "a", "list"],
    ],
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert bare_arguments(argv) is None
