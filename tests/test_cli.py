"""Does the `ambassador` entry point run as a user would run it?"""

from __future__ import annotations

import os

from conftest import run_ambassador


def test_help_lists_every_command_group():
    result = run_ambassador("--help")
    assert result.returncode == 0, result.stderr
    for group in ("quiz", "exercises", "workshop", "progress"):
        assert group in result.stdout


def test_each_group_has_help():
    for group in ("quiz", "exercises", "workshop", "progress"):
        result = run_ambassador(group, "--help")
        assert result.returncode == 0, (group, result.stderr)
        assert f"ambassador {group}" in result.stdout


def test_group_without_subcommand_shows_help_and_fails():
    result = run_ambassador("workshop")
    assert result.returncode == 2
    assert "usage: ambassador workshop" in result.stdout


def test_version():
    result = run_ambassador("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("ambassador ")


def test_runs_without_venv_on_path():
    """The entry point must not depend on an activated venv (nbgrader's alembic trap)."""
    env = dict(os.environ, PATH="/usr/bin:/bin")
    result = run_ambassador("exercises", "list", env=env)
    assert result.returncode == 0, result.stderr
    assert "privacycheck" in result.stdout
