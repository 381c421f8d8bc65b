"""Are the platform privacy settings valid data, and does the chapter render them from that data?"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import pytest
from docutils import nodes

from ambassador import privacy
from ambassador.privacy import PLATFORMS, PrivacyDataError, build_table, load_settings, settings_for

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "privacy_settings.yaml"
CHAPTER = ROOT / "book" / "lessons" / "privacy.md"

GOOD_ROW = {
    "platform": "Facebook",
    "setting": "Wie kan je toekomstige berichten zien?",
    "where": "Menu > Instellingen en privacy > Instellingen",
    "recommended": "Vrienden",
    "why": "Alleen vrienden lezen mee.",
    "checked": "2026-11-01",
}


def write_rows(path: Path, rows: list[dict]) -> Path:
    lines = []
    for row in rows:
        first = True
        for key, value in row.items():
            lines.append(f"{'- ' if first else '  '}{key}: {value!r}" if value is not None
                         else f"{'- ' if first else '  '}{key}:")
            first = False
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- The course's own data ------------------------------------------------------


def test_the_data_file_validates():
    settings = load_settings(DATA)
    assert len(settings) >= 4 * len(PLATFORMS)


def test_every_known_platform_has_four_to_seven_rows():
    settings = load_settings(DATA)
    for platform in PLATFORMS:
        assert 4 <= len(settings_for(platform, settings)) <= 7, platform


def test_every_row_names_a_menu_path_and_a_reason():
    for setting in load_settings(DATA):
        assert len(setting.why.split()) >= 5, setting
        assert ">" in setting.where or "community" in setting.where.lower(), setting


def test_the_default_path_is_the_course_data_file():
    assert privacy.default_path() == DATA


# --- Malformed data: every problem names the file, the row and the field ----------


@pytest.mark.parametrize("field", ["platform", "setting", "where", "recommended", "why", "checked"])
def test_an_empty_field_is_reported(tmp_path, field):
    path = write_rows(tmp_path / "settings.yaml", [GOOD_ROW, {**GOOD_ROW, "setting": "Tweede", field: ""}])
    with pytest.raises(PrivacyDataError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message and "row 2" in message and f"field '{field}'" in message


def test_a_missing_field_is_reported(tmp_path):
    row = {key: value for key, value in GOOD_ROW.items() if key != "why"}
    path = write_rows(tmp_path / "settings.yaml", [row])
    with pytest.raises(PrivacyDataError, match=r"row 1 \(line 1\), field 'why': is missing or empty"):
        load_settings(path)


@pytest.mark.parametrize("bad_date", ["01-11-2026", "2026-13-01", "november 2026", "2026-02-30"])
def test_a_bad_date_is_reported(tmp_path, bad_date):
    path = write_rows(tmp_path / "settings.yaml", [{**GOOD_ROW, "checked": bad_date}])
    with pytest.raises(PrivacyDataError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message and "row 1" in message and "field 'checked'" in message and bad_date in message


def test_an_unquoted_bad_date_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "settings.yaml"
    text = write_rows(path, [GOOD_ROW]).read_text(encoding="utf-8")
    path.write_text(text.replace("'2026-11-01'", "2026-13-01"), encoding="utf-8")
    with pytest.raises(PrivacyDataError, match=r"row 1 .*field 'checked'"):
        load_settings(path)


def test_an_unknown_platform_is_reported(tmp_path):
    path = write_rows(tmp_path / "settings.yaml", [GOOD_ROW, GOOD_ROW | {"platform": "MySpace"}])
    with pytest.raises(PrivacyDataError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message and "row 2" in message and "field 'platform'" in message and "MySpace" in message


def test_a_duplicate_platform_and_setting_is_reported(tmp_path):
    other = GOOD_ROW | {"setting": "Iets anders"}
    path = write_rows(tmp_path / "settings.yaml", [GOOD_ROW, other, GOOD_ROW])
    with pytest.raises(PrivacyDataError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message and "row 3" in message and "field 'setting'" in message and "row 1" in message


def test_the_same_setting_on_two_platforms_is_fine(tmp_path):
    path = write_rows(tmp_path / "settings.yaml", [GOOD_ROW, GOOD_ROW | {"platform": "Instagram"}])
    assert len(load_settings(path)) == 2


def test_an_unknown_field_is_reported(tmp_path):
    path = write_rows(tmp_path / "settings.yaml", [GOOD_ROW | {"recomended": "typo"}])
    with pytest.raises(PrivacyDataError, match=r"row 1 .*field 'recomended': unknown field"):
        load_settings(path)


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    rows = [GOOD_ROW | {"why": ""}, GOOD_ROW | {"setting": "B", "platform": "Orkut"}]
    path = write_rows(tmp_path / "settings.yaml", rows)
    with pytest.raises(PrivacyDataError) as caught:
        load_settings(path)
    assert "row 1" in str(caught.value) and "row 2" in str(caught.value)


def test_a_missing_file_and_broken_yaml_are_reported(tmp_path):
    with pytest.raises(PrivacyDataError, match="cannot read"):
        load_settings(tmp_path / "nowhere.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- platform: [Facebook\n", encoding="utf-8")
    with pytest.raises(PrivacyDataError, match="not valid YAML"):
        load_settings(broken)
    notalist = tmp_path / "mapping.yaml"
    notalist.write_text("platform: Facebook\n", encoding="utf-8")
    with pytest.raises(PrivacyDataError, match="non-empty list"):
        load_settings(notalist)


# --- Rendering -------------------------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_table_is_built_from_the_data(platform):
    rows = settings_for(platform, load_settings(DATA))
    table = build_table(platform, rows)
    assert isinstance(table, nodes.table)
    caption = table.next_node(nodes.title).astext()
    assert platform in caption and "laatst gecontroleerd op" in caption
    body_rows = list(table.findall(nodes.row))[1:]  # the first row is the header
    assert len(body_rows) == len(rows)
    for row_node, setting in zip(body_rows, rows):
        cells = [entry.astext() for entry in row_node.findall(nodes.entry)]
        assert cells == [setting.setting, setting.where, setting.recommended, setting.why]


def test_the_caption_shows_the_oldest_check(tmp_path):
    path = write_rows(tmp_path / "settings.yaml",
                      [GOOD_ROW, GOOD_ROW | {"setting": "B", "checked": "2026-03-05"}])
    caption = build_table("Facebook", load_settings(path)).next_node(nodes.title).astext()
    assert "5 maart 2026" in caption


def sphinx_project(tmp_path: Path, data: Path, body: str) -> tuple[Path, Path]:
    """A tiny Sphinx project that loads only the privacy directive."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(textwrap.dedent(f"""
        from ambassador.privacy import setup_sphinx
        privacy_settings_file = {str(data)!r}
        language = "nl"
        def setup(app):
            setup_sphinx(app)
    """), encoding="utf-8")
    (src / "index.rst").write_text(f"Privacy\n=======\n\n{body}\n", encoding="utf-8")
    return src, tmp_path / "out"


def build(src: Path, out: Path) -> str:
    from sphinx.application import Sphinx

    app = Sphinx(str(src), str(src), str(out), str(out / ".doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    return (out / "index.html").read_text(encoding="utf-8")


def test_the_directive_renders_one_table_per_platform(tmp_path):
    body = "\n".join(f".. privacy-settings:: {platform}\n" for platform in PLATFORMS)
    page = build(*sphinx_project(tmp_path, DATA, body))
    assert page.count("<table") == len(PLATFORMS)
    text = html.unescape(page)
    for setting in load_settings(DATA):
        assert setting.setting in text and setting.recommended in text


def test_bad_data_stops_the_build_with_file_row_and_field(tmp_path):
    from sphinx.errors import ExtensionError

    data = write_rows(tmp_path / "bad.yaml", [GOOD_ROW, GOOD_ROW | {"checked": "gisteren"}])
    with pytest.raises(ExtensionError) as caught:
        build(*sphinx_project(tmp_path, data, ".. privacy-settings:: Facebook\n"))
    assert str(data) in str(caught.value) and "row 2" in str(caught.value) and "field 'checked'" in str(caught.value)


# --- The chapter takes its facts from the data, never from a hand-made table --------


def test_the_chapter_uses_the_directive_for_every_platform():
    text = CHAPTER.read_text(encoding="utf-8")
    for platform in PLATFORMS:
        assert re.search(rf"^```{{privacy-settings}} {re.escape(platform)}\s*$", text, re.MULTILINE), platform


def test_the_chapter_has_no_hand_made_settings_table():
    text = CHAPTER.read_text(encoding="utf-8")
    table_rows = [line for line in text.splitlines() if line.lstrip().startswith("|")]
    assert not table_rows, f"markdown table rows in {CHAPTER.name}: {table_rows[:3]}"
    for setting in load_settings(DATA):
        assert setting.where not in text, f"menu path typed into the chapter: {setting.where}"


@pytest.mark.slow
def test_the_built_chapter_shows_every_setting_from_the_data(book_html):
    page = html.unescape((book_html / "book" / "lessons" / "privacy.html").read_text(encoding="utf-8"))
    for setting in load_settings(DATA):
        assert setting.setting in page and setting.where in page, setting
    assert page.count("<table") >= len(PLATFORMS)


def test_the_privacycheck_exercise_refers_to_existing_settings():
    """The exercise's fictional profile names settings by (platform, setting): renaming one here breaks it."""
    import yaml

    profile = ROOT / "data" / "privacycheck_profiel.yaml"
    if not profile.is_file():
        pytest.skip("the Privacycheck exercise data is not there yet")
    known = {(s.platform, s.setting) for s in load_settings(DATA)}
    rows = yaml.safe_load(profile.read_text(encoding="utf-8"))["instellingen"]
    missing = [(r["platform"], r["instelling"]) for r in rows if (r["platform"], r["instelling"]) not in known]
    assert not missing, f"{profile.name} names settings that {DATA.name} does not have: {missing}"
