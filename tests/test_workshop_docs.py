"""Does the trainers' guide cover every `ambassador workshop` step, and is it in the book?"""

from __future__ import annotations

import argparse

import yaml

from ambassador.workshop.cli import register


def subcommands() -> list[str]:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    workshop = parser._subparsers._group_actions[0].choices["workshop"]
    return list(workshop._subparsers._group_actions[0].choices)


def test_guide_explains_every_subcommand(repo_root):
    text = (repo_root / "book" / "trainers" / "workshop.md").read_text(encoding="utf-8")
    assert text.startswith("(workshop-handleiding)=\n# ")
    for name in subcommands():
        assert f"ambassador workshop {name}" in text, name


def test_guide_is_in_the_trainers_part(repo_root):
    toc = yaml.safe_load((repo_root / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "Voor trainers")
    assert "book/trainers/workshop" in [c["file"] for c in part["chapters"]]
