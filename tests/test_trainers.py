"""Is the trainers' part complete, consistent with the course's data, and printable?

The session plans (book/trainers/sessie-*.md) and their one-page run sheets
(book/trainers/draaiboek-*.md) name quizzes, assignments and lessons by id:
these tests check those ids against data/quizzes/, exercises/assignments.yaml
and the lesson labels, parse the timing tables, and print every run sheet to
an A4 PDF in Chromium to prove it fits on one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ambassador.exercises.catalog import load_assignments
from ambassador.paths import book_dir, quiz_dir, repo_root

TRAINERS = book_dir() / "trainers"
CHAPTERS = ("conversatie", "doelen", "ambassadeursmodel", "privacy", "posten", "luisteren", "reageren", "inhoud")

# topic (file suffix) -> (quiz chapter, assignment): what each session is built around.
SESSIONS = {
    "privacy": ("privacy", "privacycheck"),
    "posten": ("posten", "posten-of-niet"),
    "luisteren": ("luisteren", "luisterrapport"),
    "ambassadeursmodel": ("ambassadeursmodel", "ambassadeursmodel"),
}

REQUIRED_SECTIONS = (
    "Doel",
    "Voor wie",
    "Voorbereiding",
    "Verloop minuut per minuut",
    "Wat je laat zien",
    "Quiz op het grote scherm",
    "De oefening",
    "Gespreksvragen",
    "Vragen die je vaak krijgt",
    "Na de sessie",
)


# --- Parsing helpers ----------------------------------------------------------


def read(name: str) -> str:
    path = TRAINERS / f"{name}.md"
    assert path.is_file(), f"{path} is missing"
    return path.read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    """Level-2 headings mapped to the text below them (up to the next level-2 heading)."""
    parts = re.split(r"^## +(.+?) *$", text, flags=re.MULTILINE)
    return {title: body for title, body in zip(parts[1::2], parts[2::2])}


@dataclass
class Row:
    start: str
    minutes: int
    cells: list[str]


def timing_rows(text: str, where: str) -> list[Row]:
    """The rows of the first Markdown table that has a 'Start' and a 'Minuten' column."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    assert lines, f"{where}: no timing table"
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert "Start" in header and "Minuten" in header, f"{where}: timing table needs 'Start' and 'Minuten' columns, got {header}"
    start_col, minutes_col = header.index("Start"), header.index("Minuten")
    rows = []
    for number, line in enumerate(lines[2:], start=1):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(header), f"{where}: row {number} has {len(cells)} cells, header has {len(header)}"
        assert cells[minutes_col].isdigit(), f"{where}: row {number}: minutes '{cells[minutes_col]}' is not a whole number"
        rows.append(Row(cells[start_col], int(cells[minutes_col]), cells))
    return rows


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def page_count(pdf: bytes) -> int:
    """Pages in a PDF: page objects, cross-checked with the page tree's /Count."""
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    counts = [int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)]
    assert not counts or max(counts) == pages, f"page objects ({pages}) and /Count {counts} disagree"
    return pages


# --- The parser itself ----------------------------------------------------------


def test_timing_parser_reads_a_table_and_rejects_bad_minutes():
    table = "| Start | Minuten | Wat |\n|---|---|---|\n| 0:00 | 5 | a |\n| 0:05 | 10 | b |\n"
    assert [row.minutes for row in timing_rows(table, "example")] == [5, 10]
    with pytest.raises(AssertionError, match="row 1"):
        timing_rows(table.replace("| 5 |", "| vijf |"), "example")


def test_page_count_reads_page_objects():
    two_pages = b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type /Page >>"
    assert page_count(two_pages) == 2
    with pytest.raises(AssertionError):
        page_count(b"<< /Type /Pages /Count 3 >> << /Type /Page >>")


# --- Session plans ----------------------------------------------------------------


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_plan_has_every_section(topic):
    text = read(f"sessie-{topic}")
    assert text.startswith(f"(sessie-{topic})=\n# "), f"sessie-{topic}.md must open with its label and a title"
    found = sections(text)
    missing = [title for title in REQUIRED_SECTIONS if title not in found]
    assert not missing, f"sessie-{topic}.md lacks sections: {missing}"
    empty = [title for title in REQUIRED_SECTIONS if len(found[title].split()) < 15]
    assert not empty, f"sessie-{topic}.md: sections with (almost) no text: {empty}"


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_timings_add_up_to_a_lunch_break(topic):
    where = f"sessie-{topic}.md"
    rows = timing_rows(sections(read(f"sessie-{topic}"))["Verloop minuut per minuut"], where)
    total = sum(row.minutes for row in rows)
    assert 45 <= total <= 60, f"{where}: the timings add up to {total} minutes, not 45-60"
    elapsed = 0
    for row in rows:
        assert row.start == clock(elapsed), f"{where}: a row starts at {row.start}, expected {clock(elapsed)}"
        elapsed += row.minutes


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_names_an_existing_quiz(topic):
    chapter, _ = SESSIONS[topic]
    text = read(f"sessie-{topic}")
    named = re.findall(r"data/quizzes/([\w-]+)\.yaml", sections(text)["Quiz op het grote scherm"])
    assert named == [chapter], f"sessie-{topic}.md should run quiz '{chapter}', names {named}"
    assert chapter in CHAPTERS
    assert (quiz_dir() / f"{chapter}.yaml").is_file(), f"quiz bank data/quizzes/{chapter}.yaml does not exist"
    assert "{ref}`quiz-presenteren`" in text, f"sessie-{topic}.md should point to how to present a quiz"
    quiz_rows = [row for row in timing_rows(sections(text)["Verloop minuut per minuut"], topic) if f"`{chapter}`" in " ".join(row.cells)]
    assert quiz_rows, f"sessie-{topic}.md: no row in the timing table runs quiz `{chapter}`"


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_hands_out_an_existing_assignment(topic):
    _, name = SESSIONS[topic]
    text = read(f"sessie-{topic}")
    exercise = sections(text)["De oefening"]
    named = set(re.findall(r"/book/exercises/released/([\w-]+)>", exercise))
    assert named == {name}, f"sessie-{topic}.md should hand out '{name}', links to {named}"
    catalog = {assignment.name: assignment for assignment in load_assignments()}
    assert name in catalog, f"'{name}' is not in exercises/assignments.yaml"
    assert "{ref}`workshop-handleiding`" in exercise, f"sessie-{topic}.md should point to the workshop guide"

    # The plan links the lesson the assignment practises, and gives the exercise its catalogue time.
    lesson_id = Path(catalog[name].lesson).name
    assert f"{{ref}}`les-{lesson_id}`" in text, f"sessie-{topic}.md should link lesson les-{lesson_id}"
    rows = timing_rows(sections(text)["Verloop minuut per minuut"], topic)
    exercise_rows = [row for row in rows if "Oefening" in " ".join(row.cells)]
    assert [row.minutes for row in exercise_rows] == [catalog[name].minutes], (
        f"sessie-{topic}.md: the exercise row should take {catalog[name].minutes} minutes "
        f"(exercises/assignments.yaml), found {[row.minutes for row in exercise_rows]}"
    )


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_answers_at_least_five_real_questions(topic):
    faq = sections(read(f"sessie-{topic}"))["Vragen die je vaak krijgt"]
    questions = re.findall(r'^### +"(.+\?)" *$', faq, flags=re.MULTILINE)
    assert len(questions) >= 5, f"sessie-{topic}.md answers {len(questions)} questions, needs 5"
    answers = re.split(r"^### .*$", faq, flags=re.MULTILINE)[1:]
    short = [q for q, a in zip(questions, answers) if len(a.split()) < 25]
    assert not short, f"sessie-{topic}.md: questions without a real answer: {short}"


@pytest.mark.parametrize("topic", SESSIONS)
def test_session_has_a_checklist_and_discussion_prompts(topic):
    found = sections(read(f"sessie-{topic}"))
    assert len(re.findall(r"^- \S", found["Voorbereiding"], flags=re.MULTILINE)) >= 4
    assert len(re.findall(r"^- .+\?", found["Gespreksvragen"], flags=re.MULTILINE)) >= 4


# --- Run sheets ---------------------------------------------------------------------


@pytest.mark.parametrize("topic", SESSIONS)
def test_run_sheet_matches_its_session_plan(topic):
    chapter, name = SESSIONS[topic]
    sheet = read(f"draaiboek-{topic}")
    assert sheet.startswith(f"(draaiboek-{topic})=\n# ")
    assert ":::{container} draaiboek" in sheet, "the print stylesheet styles run sheets by the 'draaiboek' class"
    plan_rows = timing_rows(sections(read(f"sessie-{topic}"))["Verloop minuut per minuut"], f"sessie-{topic}.md")
    sheet_rows = timing_rows(sheet, f"draaiboek-{topic}.md")
    assert [(r.start, r.minutes) for r in sheet_rows] == [(r.start, r.minutes) for r in plan_rows], (
        f"draaiboek-{topic}.md and sessie-{topic}.md have different timings"
    )
    assert f"**Quiz:** `{chapter}`" in sheet
    assert f"**Oefening:** `{name}`" in sheet
    assert f"{{ref}}`sessie-{topic}`" in sheet


def test_overview_table_lists_every_session_with_its_length():
    index = read("index")
    assert index.startswith("(trainers)=\n# Voor trainers")
    for topic in SESSIONS:
        total = sum(r.minutes for r in timing_rows(sections(read(f"sessie-{topic}"))["Verloop minuut per minuut"], topic))
        row = re.search(rf"^\| \{{ref\}}`[^`]*<sessie-{topic}>` \| (\d+) \|", index, flags=re.MULTILINE)
        assert row, f"index.md: no overview row for sessie-{topic}"
        assert int(row.group(1)) == total, f"index.md says {row.group(1)} minutes for sessie-{topic}, the plan has {total}"


def test_die_hard_page_covers_voluntariness_and_escalation():
    text = read("die-hard")
    assert text.startswith("(die-hard)=\n# Die-hard zijn")
    for phrase in ("vrijwillig", "privéaccounts", "naming and shaming", "conversatieteam", "HR"):
        assert phrase in text, f"die-hard.md should talk about '{phrase}'"


def test_toc_lists_the_trainers_part_in_order():
    toc = yaml.safe_load((repo_root() / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc["parts"]]
    assert "Voor trainers" in captions
    position = captions.index("Voor trainers")
    assert captions.index("Voor elke medewerker") < position
    for later in ("Voor HR", "Naslag"):
        if later in captions:
            assert position < captions.index(later), f"'Voor trainers' must come before '{later}'"
    chapters = toc["parts"][position]["chapters"]
    files = [chapter["file"] for chapter in chapters]
    assert files[:2] == ["book/trainers/index", "book/trainers/die-hard"]
    for topic in SESSIONS:
        entry = next((c for c in chapters if c["file"] == f"book/trainers/sessie-{topic}"), None)
        assert entry, f"_toc.yml lacks book/trainers/sessie-{topic}"
        assert [s["file"] for s in entry.get("sections", [])] == [f"book/trainers/draaiboek-{topic}"]


def test_print_stylesheet_hides_the_chrome_and_ships_no_script():
    static = repo_root() / "_static"
    css = (static / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css
    for selector in (".bd-sidebar-primary", ".bd-header", ".bd-footer", ".prev-next-area", "button"):
        assert selector in css, f"print.css does not hide {selector}"
    # Jupyter Book adds every *.js under _static/ to every page.
    assert not list(static.rglob("*.js")), "no JavaScript belongs in _static/"


# --- In the browser -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("topic", SESSIONS)
def test_run_sheet_prints_on_one_a4_page(offline_page, topic):
    page = offline_page.goto(f"book/trainers/draaiboek-{topic}.html")
    sidebar = page.locator(".bd-sidebar-primary").first
    assert sidebar.is_visible(), "on screen the sidebar is shown (else this test proves nothing)"

    page.emulate_media(media="print")
    assert not sidebar.is_visible(), "the sidebar must be hidden in print"
    assert not page.locator(".bd-header").first.is_visible(), "the header must be hidden in print"
    assert page.locator(".draaiboek table").first.is_visible(), "the run sheet's table must print"
    widths = page.evaluate("[document.querySelector('.bd-article').getBoundingClientRect().width, window.innerWidth]")
    assert widths[0] >= 0.95 * widths[1], f"in print the article should use the full width, uses {widths[0]} of {widths[1]} px"

    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1, f"draaiboek-{topic} prints on {page_count(pdf)} A4 pages, not one"
    assert not offline_page.blocked, offline_page.blocked
