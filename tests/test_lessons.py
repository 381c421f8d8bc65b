"""Does every lesson in the part "Voor elke medewerker" follow the lesson skeleton?

The skeleton is described in notes/lesson-skeleton.md: label, title, reading time,
learning goals, content, "Uit de praktijk", key points, a reflection question, the
chapter's quiz and a pointer to a graded exercise.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LESSONS_PART = "Voor elke medewerker"
READING_TIME = re.compile(r"^\*\*Leestijd:\*\*\s+ongeveer\s+(\d+)\s+minuten\s*$", re.MULTILINE)
EXERCISE_LINK = re.compile(r"\{doc\}`[^`<]*</book/exercises/released/([\w-]+)>`")
FENCE = re.compile(r"^(`{3,}|:{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)


def lesson_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == LESSONS_PART:
            return [chapter["file"] for chapter in part.get("chapters", [])]
    return []


LESSONS = lesson_files()


def read(entry: str) -> str:
    path = ROOT / f"{entry}.md"
    assert path.is_file(), f"_toc.yml lists {entry}, but {path.relative_to(ROOT)} does not exist"
    return path.read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    """Level-2 headings (outside code fences and directives) -> the text below them."""
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    parts = re.split(r"^## +(.+?)\s*$", prose, flags=re.MULTILINE)
    # "Uit de praktijk: de dag van het kookadvies" counts as "Uit de praktijk".
    return {re.sub(r"^(Uit de praktijk)\b.*", r"\1", heading.strip()): body
            for heading, body in zip(parts[1::2], parts[2::2])}


def bullets(body: str) -> list[str]:
    return re.findall(r"^- +\S.*$", body, re.MULTILINE)


def test_the_lessons_part_lists_the_eight_chapters_in_order():
    ids = [Path(entry).name for entry in LESSONS]
    assert ids == ["conversatie", "doelen", "ambassadeursmodel", "privacy",
                   "posten", "luisteren", "reageren", "inhoud"]


@pytest.mark.parametrize("entry", LESSONS)
def test_label_and_title(entry):
    lines = [line for line in read(entry).splitlines() if line.strip()]
    chapter_id = Path(entry).name
    assert lines[0] == f"(les-{chapter_id})=", "the page must start with its label"
    assert re.match(r"^# \S", lines[1]), "the label must be followed by the chapter title"


@pytest.mark.parametrize("entry", LESSONS)
def test_reading_time_is_stated_and_plausible(entry):
    text = read(entry)
    match = READING_TIME.search(text)
    assert match, "missing '**Leestijd:** ongeveer N minuten'"
    minutes = int(match.group(1))
    assert 5 <= minutes <= 20, f"{minutes} minutes: a lesson is 8-15 minutes of reading"
    words = len(re.findall(r"\w+", FENCE.sub("", text)))
    # About 200 words a minute; tables from data and the quiz add time the source does not show.
    assert words / 300 <= minutes <= words / 100 + 5, f"{minutes} minutes for {words} words"


@pytest.mark.parametrize("entry", LESSONS)
def test_learning_goals_come_first(entry):
    found = sections(read(entry))
    assert list(found)[0] == "Leerdoelen"
    assert len(bullets(found["Leerdoelen"])) >= 3


@pytest.mark.parametrize("entry", LESSONS)
def test_the_closing_sections_are_present_in_order(entry):
    headings = list(sections(read(entry)))
    for required in ("Uit de praktijk", "Kernpunten", "Denk even na", "Test jezelf"):
        assert required in headings, f"missing section '## {required}'"
    closing = [headings.index(h) for h in ("Kernpunten", "Denk even na", "Test jezelf")]
    assert closing == sorted(closing) and closing[-1] == len(headings) - 1
    assert headings.index("Leerdoelen") < headings.index("Uit de praktijk") < headings.index("Kernpunten")


@pytest.mark.parametrize("entry", LESSONS)
def test_key_points_are_bullets(entry):
    assert 4 <= len(bullets(sections(read(entry))["Kernpunten"])) <= 7


@pytest.mark.parametrize("entry", LESSONS)
def test_the_practice_example_has_substance(entry):
    body = sections(read(entry))["Uit de praktijk"]
    assert len(body.split()) >= 80, "'Uit de praktijk' needs a real workplace example"
    assert "Vlotwater" in body or "Lindebeek" in body


@pytest.mark.parametrize("entry", LESSONS)
def test_the_quiz_is_the_chapters_own(entry):
    text = read(entry)
    test_part = text[text.index("## Test jezelf"):]
    quizzes = re.findall(r"^```\{quiz\}\s+(\S+)\s*$", test_part, re.MULTILINE)
    assert quizzes == [Path(entry).name]


@pytest.mark.parametrize("entry", LESSONS)
def test_the_page_points_to_a_graded_exercise(entry):
    text = read(entry)
    test_part = text[text.index("## Test jezelf"):]
    pointer = re.search(r"^\*\*Oefenen:\*\*.*$", test_part, re.MULTILINE)
    assert pointer, "missing the '**Oefenen:**' pointer after the quiz"
    names = {a["name"] for a in yaml.safe_load(
        (ROOT / "exercises" / "assignments.yaml").read_text(encoding="utf-8"))["assignments"]}
    linked = EXERCISE_LINK.findall(pointer.group(0))
    assert linked and set(linked) <= names, f"links {linked}, known exercises {sorted(names)}"


@pytest.mark.parametrize("entry", LESSONS)
def test_no_placeholders_or_typed_chapter_numbers(entry):
    text = read(entry)
    assert not re.search(r"\b(TODO|TBD|FIXME|lorem ipsum|XXX)\b", text, re.IGNORECASE)
    assert not re.search(r"\b(hoofdstuk|les|lesson|chapter)\s+\d", text, re.IGNORECASE), \
        "refer to other chapters by label ({ref}`les-...`), never by number"


def test_total_reading_time_is_about_two_hours():
    total = sum(int(READING_TIME.search(read(entry)).group(1)) for entry in LESSONS)
    assert 80 <= total <= 150, f"total reading time {total} minutes"


# --- The reference pages and the figure --------------------------------------------


def test_reference_pages_are_the_last_part():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    last = toc["parts"][-1]
    assert last["caption"] == "Naslag"
    assert [c["file"] for c in last["chapters"]] == ["book/woordenlijst", "book/bronnen"]
    assert read("book/woordenlijst").startswith("(woordenlijst)=")
    assert read("book/bronnen").startswith("(bronnen)=")


def test_every_glossary_term_used_in_a_lesson_is_defined():
    glossary = read("book/woordenlijst")
    defined = {line.strip().lower() for line in glossary.splitlines()
               if line and not line.startswith((" ", "`", ":", "(", "#")) and line[0].isupper()}
    used = set()
    for entry in LESSONS + ["book/bronnen"]:
        for match in re.finditer(r"\{term\}`([^`]+)`", read(entry)):
            target = re.search(r"<([^>]+)>", match.group(1))
            used.add((target.group(1) if target else match.group(1)).strip().lower())
    assert used, "the lessons should link to the glossary"
    assert used <= defined, f"terms used but not in the glossary: {sorted(used - defined)}"


def test_the_bibliography_names_every_source():
    text = read("book/bronnen")
    for title in ("We willen échte gesprekken met échte mensen", "Het SAMEN verhaal van goed sociale media-gebruik",
                  "sociale media – de hype voorbij", "Screwed", "Tweet uw bedrijf ook al?",
                  "strenge schoolmeester", "Aanbevelingen bij het gebruik van sociale media"):
        assert title in text, title


def test_the_model_figure_is_accessible_svg():
    svg = ROOT / "book" / "lessons" / "img" / "ambassadeursmodel.svg"
    root = ET.parse(svg).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("svg:title", ns).text.strip()
    assert len(root.find("svg:desc", ns).text.split()) >= 20
    labels = " ".join(t for t in root.itertext())
    for label in ("De klant", "Cultuur van vertrouwen", "(Top)management", "Medewerkers", "Conversatieteam"):
        assert label in labels
    page = read("book/lessons/ambassadeursmodel")
    assert re.search(r"```\{figure\} img/ambassadeursmodel\.svg\n(:\w+:.*\n)*:alt: .{40,}", page)


@pytest.mark.slow
def test_built_lessons_show_figure_and_glossary_links(book_html):
    page = (book_html / "book" / "lessons" / "ambassadeursmodel.html").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+alt="Schema van het ambassadeursmodel', page)
    assert 'href="../woordenlijst.html#term-' in page
    glossary = (book_html / "book" / "woordenlijst.html").read_text(encoding="utf-8")
    assert 'id="term-Conversatieteam"' in glossary
