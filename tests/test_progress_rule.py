"""The completion rule file: defaults, and errors that name the key."""

from __future__ import annotations

import pytest

from ambassador.exercises.catalog import load_assignments
from ambassador.progress.rule import CompletionRule, RuleError, default_rule_path, load_rule, validate_rule


def test_defaults_require_every_catalogue_assignment_at_70_percent():
    rule = CompletionRule()
    assert rule.required_assignments == tuple(a.name for a in load_assignments())
    assert rule.pass_mark == 70.0 and rule.min_group_size == 5 and rule.late_submissions == "count"


def test_the_course_default_file_is_valid_and_matches_the_defaults():
    assert default_rule_path().is_file()
    assert load_rule() == CompletionRule()


def test_a_partial_file_keeps_the_other_defaults(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text("required_assignments: [privacycheck]\npass_mark: 80\ncourse_version: 1.1\n", encoding="utf-8")
    rule = load_rule(path)
    assert rule.required_assignments == ("privacycheck",)
    assert rule.pass_mark == 80.0 and rule.course_version == "1.1" and rule.min_group_size == 5


@pytest.mark.parametrize("raw, key", [
    ({"pass_mark": 0}, "pass_mark"),
    ({"pass_mark": 170}, "pass_mark"),
    ({"pass_mark": "70%"}, "pass_mark"),
    ({"min_group_size": 1}, "min_group_size"),
    ({"min_group_size": 2.5}, "min_group_size"),
    ({"required_assignments": []}, "required_assignments"),
    ({"required_assignments": ["privacycheck", "privacycheck"]}, "required_assignments"),
    ({"required_assignments": ["geheim"]}, "required_assignments"),
    ({"late_submissions": "soms"}, "late_submissions"),
    ({"xapi_home_page": "vlotwater"}, "xapi_home_page"),
    ({"course_id": ""}, "course_id"),
    ({"passmark": 70}, "passmark"),
    ({"export_scores": "yes"}, "export_scores"),
])
def test_bad_values_name_the_key(raw, key):
    with pytest.raises(RuleError, match=f"'{key}'"):
        validate_rule(raw, source="rule.yaml")


def test_unknown_assignment_lists_the_known_ones():
    with pytest.raises(RuleError, match="known: privacycheck"):
        validate_rule({"required_assignments": ["geheim"]})


def test_broken_yaml_and_missing_file(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text("pass_mark: [70\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rule(path)
    with pytest.raises(RuleError, match="no such rule file"):
        load_rule(tmp_path / "missing.yaml")
