"""Docs kept honest: every command has help with an example and is in the README."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from proplens.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
        else:
            out.append(path)
    return out


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    readme = (ROOT / "README.md").read_text()
    assert f"proplens {' '.join(path)}" in readme


def test_readme_first_screen_gives_the_two_commands() -> None:
    first_screen = (ROOT / "README.md").read_text().splitlines()[:15]
    assert any(line.startswith("make demo") for line in first_screen)
    assert any(line.startswith("make test") for line in first_screen)
