"""Roster validation: every problem names its line; names in any script survive."""

from __future__ import annotations

import pytest

from ambassador.progress.roster import RosterError, load_roster, parse_roster

HEADER = "employee_id,name,email,department,manager,role,start_date\n"


def test_a_valid_roster_with_names_in_several_scripts(tmp_path):
    path = tmp_path / "roster.csv"
    text = (HEADER
            + "E1,Ελένη Παπαδοπούλου,e1@vlotwater.example,Waterlabo,m@vlotwater.example,employee,2020-01-31\n"
            + "E2,陈静,e2@vlotwater.example,ICT,m@vlotwater.example,management,\n"
            + "E3,سارة الحسن,,Facturatie,,conversation team,15-03-2019\n"
            + "E4,Юлия Иванова,,Facturatie,,Medewerker,\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # spreadsheet programs add a BOM
    roster = load_roster(path)
    assert roster.problems == []
    people = roster.employees.set_index("employee_id")
    assert list(people.index) == ["E1", "E2", "E3", "E4"]
    assert people.loc["E1", "name"] == "Ελένη Παπαδοπούλου"
    assert people.loc["E2", "name"] == "陈静"
    assert people.loc["E3", "name"] == "سارة الحسن"
    assert list(people["role"]) == ["employee", "management", "conversation_team", "employee"]
    assert str(people.loc["E3", "start_date"].date()) == "2019-03-15"
    assert people.loc["E4", "line"] == 5


def test_only_required_columns_and_semicolons_and_dutch_headers():
    roster = parse_roster("Personeelsnummer;Afdeling;Rol;Extra\nE1;Netbeheer;medewerker;x\n")
    assert roster.problems == []
    assert roster.employees.loc[0, "department"] == "Netbeheer"
    assert roster.employees.loc[0, "name"] == ""


def test_missing_column_names_line_one_and_the_column():
    with pytest.raises(RosterError, match=r"line 1: missing required column role"):
        parse_roster("employee_id,department\nE1,ICT\n", source="roster.csv")


@pytest.mark.parametrize("row, message", [
    (",ICT,employee,", "line 3: empty employee_id"),
    ("E1,ICT,employee,", "line 3: duplicate employee_id 'E1' (first on line 2)"),
    ("E9,ICT,employee,31/02/2020", "line 3: malformed start_date '31/02/2020'"),
    ("E9,ICT,employee,2020-13-01", "line 3: malformed start_date"),
    ("E9,ICT,employee,gisteren", "line 3: malformed start_date 'gisteren'"),
    ("E9,ICT,stagiair,", "line 3: unknown role 'stagiair'"),
    ("E9,,employee,", "line 3: empty department"),
    ("E9,ICT,employee,,too,many", "line 3: 6 fields but the header has 4"),
])
def test_row_problems_name_the_line_and_skip_only_that_row(row, message):
    text = "employee_id,department,role,start_date\nE1,ICT,employee,\n" + row + "\nE2,ICT,employee,2021-05-01\n"
    roster = parse_roster(text, source="roster.csv")
    assert len(roster.problems) == 1
    assert str(roster.problems[0]).startswith("roster.csv, ")
    assert message in str(roster.problems[0])
    assert "E2" in set(roster.employees["employee_id"])  # processing carried on


def test_line_numbers_count_quoted_multiline_fields():
    text = 'employee_id,name,department,role\nE1,"Anke\nPeeters",ICT,employee\n,Bram,ICT,employee\n'
    roster = parse_roster(text)
    assert roster.problems[0].line == 4
    assert roster.employees.loc[0, "line"] == 2 and roster.employees.loc[0, "name"] == "Anke\nPeeters"


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(HEADER.encode() + "E1,Zoë,,ICT,,employee,\n".encode("latin-1"))
    with pytest.raises(RosterError, match=r"line 2: not UTF-8"):
        load_roster(path)


def test_empty_file():
    with pytest.raises(RosterError, match="empty"):
        parse_roster("")
