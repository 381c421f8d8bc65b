"""The completion rule: which assignments count, the pass mark, group sizes.

The rule is a small YAML file (``data/completion_rule.yaml`` is the course's
default). Every key has a type, a default and a description in ``FIELDS``;
``load_rule`` validates the file and names the offending key in its error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

from ambassador import __version__
from ambassador.paths import data_dir

LATE_POLICIES = ("count", "penalty", "ignore")


class RuleError(ValueError):
    """The completion rule file is not usable; the message names the key."""


def _catalogue_names() -> tuple[str, ...]:
    from ambassador.exercises.catalog import load_assignments

    return tuple(a.name for a in load_assignments())


@dataclass(frozen=True)
class CompletionRule:
    #: Assignments an employee must pass to complete the course.
    required_assignments: tuple[str, ...] = field(default_factory=_catalogue_names)
    #: Pass mark in percent of an assignment's maximum score; passed at or above it.
    pass_mark: float = 70.0
    #: Smallest group shown on its own in the report.
    min_group_size: int = 5
    #: What a hand-in after the due date counts for: count, penalty or ignore.
    late_submissions: str = "count"
    #: Put scores in completion_items.csv and xAPI results (False: passed/failed and dates only).
    export_scores: bool = True
    #: The course's id in completion.csv and xAPI statements.
    course_id: str = "ambassadeurscursus"
    #: Version of the course the sessions used.
    course_version: str = __version__
    #: Organisation name in the report's title.
    organisation: str = "Vlotwater"
    #: Home page of the system that issues employee ids (xAPI actor account).
    xapi_home_page: str = "https://vlotwater.example"
    #: IRI prefix of the course's xAPI activities.
    xapi_activity_base: str = "https://vlotwater.example/xapi/ambassadeurscursus"

    def course_iri(self) -> str:
        return f"{self.xapi_activity_base.rstrip('/')}/course"

    def assignment_iri(self, assignment: str) -> str:
        return f"{self.xapi_activity_base.rstrip('/')}/assignment/{assignment}"


def default_rule_path() -> Path:
    return data_dir() / "completion_rule.yaml"


def _check_iri(key: str, value: str) -> None:
    if not value.startswith(("https://", "http://")) or " " in value:
        raise RuleError(f"'{key}' must be an absolute http(s) address, got {value!r}")


def validate_rule(raw: dict, *, source: str = "rule", known: tuple[str, ...] | None = None) -> CompletionRule:
    """Build a rule from a mapping, checking every key; ``known`` = catalogue names."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: expected a mapping of keys to values, got {type(raw).__name__}")
    names = {f.name for f in fields(CompletionRule)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise RuleError(f"{source}: unknown key '{unknown[0]}' (known keys: {', '.join(sorted(names))})")
    rule = CompletionRule()
    values: dict = {}

    if "required_assignments" in raw:
        value = raw["required_assignments"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise RuleError(f"{source}: 'required_assignments' must be a non-empty list of assignment names")
        if len(set(value)) != len(value):
            raise RuleError(f"{source}: 'required_assignments' lists an assignment twice")
        known = known if known is not None else _catalogue_names()
        for name in value:
            if name not in known:
                raise RuleError(
                    f"{source}: 'required_assignments' names unknown assignment '{name}' "
                    f"(known: {', '.join(known)})"
                )
        values["required_assignments"] = tuple(value)

    if "pass_mark" in raw:
        value = raw["pass_mark"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
            raise RuleError(f"{source}: 'pass_mark' must be a number above 0 and at most 100 (percent), got {value!r}")
        values["pass_mark"] = float(value)

    if "min_group_size" in raw:
        value = raw["min_group_size"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 2:
            raise RuleError(f"{source}: 'min_group_size' must be a whole number of at least 2, got {value!r}")
        values["min_group_size"] = value

    if "late_submissions" in raw:
        value = raw["late_submissions"]
        if value not in LATE_POLICIES:
            raise RuleError(f"{source}: 'late_submissions' must be one of {', '.join(LATE_POLICIES)}, got {value!r}")
        values["late_submissions"] = value

    if "export_scores" in raw:
        value = raw["export_scores"]
        if not isinstance(value, bool):
            raise RuleError(f"{source}: 'export_scores' must be true or false, got {value!r}")
        values["export_scores"] = value

    for key in ("course_id", "course_version", "organisation", "xapi_home_page", "xapi_activity_base"):
        if key in raw:
            value = raw[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "course_version":
                value = str(value)  # `course_version: 1.1` in YAML is a float
            if not isinstance(value, str) or not value.strip():
                raise RuleError(f"{source}: '{key}' must be a non-empty text, got {value!r}")
            if key.startswith("xapi_"):
                _check_iri(key, value)
            values[key] = value.strip()

    return replace(rule, **values)


def load_rule(path: Path | None = None) -> CompletionRule:
    """Read a rule file; without a path, the course's default file (or the built-in defaults)."""
    if path is None:
        path = default_rule_path()
        if not path.is_file():
            return CompletionRule()
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(f"{path}: no such rule file") from None
    except yaml.YAMLError as error:
        raise RuleError(f"{path}: not valid YAML: {error}") from error
    return validate_rule(raw, source=str(path))
