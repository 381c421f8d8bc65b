"""Does the participants list reject bad rows with a message naming the line?"""

from __future__ import annotations

import pytest

from ambassador.workshop.participants import ParticipantError, read_participants


def write(tmp_path, text):
    path = tmp_path / "deelnemers.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_comma_and_semicolon_files(tmp_path):
    people = read_participants(write(tmp_path, "id,name,e-mail,department\nanna,Anna Peeters,anna@vlotwater.example,Labo\n"))
    assert people[0].id == "anna" and people[0].last_name == "Peeters"
    people = read_participants(write(tmp_path, "id;name;e-mail;department\nbram;Bram Wouters;;Klantendienst\n"))
    assert people[0].department == "Klantendienst"


@pytest.mark.parametrize("row, expected", [
    ("anna peeters,Anna,,", "line 3: id 'anna peeters'"),
    ("anna,Anna Twee,,", "line 3: id 'anna' already used on line 2"),
    ("bram,,,", "line 3: participant 'bram' has no name"),
    ("bram,Bram,not-an-address,", "line 3: participant 'bram' has an invalid e-mail"),
])
def test_bad_rows_name_the_line(tmp_path, row, expected):
    path = write(tmp_path, f"id,name,e-mail,department\nanna,Anna,,\n{row}\n")
    with pytest.raises(ParticipantError, match=expected):
        read_participants(path)


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(ParticipantError, match="line 1.*missing: name"):
        read_participants(write(tmp_path, "id,naam\nanna,Anna\n"))
