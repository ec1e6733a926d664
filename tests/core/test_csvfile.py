"""Every CSV Terreau writes defuses formulas, header included (core/csvfile.py): attacker
walk, a question labelled `=HYPERLINK("http://evil","x")` came out as a live formula in the
header row of `/api/v1/questionnaires/<id>/responses.csv` (the answer cells were escaped)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from community.core.csvfile import csv_cell, csv_text
from community.questionnaires import answering
from community.questionnaires.answering import Given
from tests.factories import make_community, make_member, make_neighbourhood
from tests.questionnaires.factories import make_questionnaire, opt, q

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize("value", [FORMULA, "+1", "-1+2", "@SUM(A1)", "  =1", "＝1+1"])
def test_a_cell_starting_like_a_formula_is_defused(value) -> None:
    assert csv_cell(value) == "'" + value


# A spreadsheet that splits a cell on a separator (LibreOffice's "text to columns", a paste,
# an import with another delimiter) runs what follows it: every segment is defused.
@pytest.mark.parametrize(
    "value,expected",
    [
        ("ok;=HYPERLINK(1)", "ok;'=HYPERLINK(1)"),
        ("ok, +1", "ok, '+1"),
        ("ok\n=cmd", "ok\n'=cmd"),
        ("ok\r\n@SUM(1)", "ok\r\n'@SUM(1)"),
        ("a\t-1+2", "a\t'-1+2"),
        ("Oui ; Non ; =1+1", "Oui ; Non ; '=1+1"),
        ("ok；＝1", "ok；'＝1"),  # full-width semicolon and equals sign
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("=1;=2", "'=1;'=2"),
    ],
)
def test_every_segment_of_a_cell_is_defused(value, expected) -> None:
    assert csv_cell(value) == expected


@pytest.mark.parametrize("value", ["Oui ; Non", "a, b", "3;4", "Jean-Luc", "e-mail; x"])
def test_segments_that_are_not_formulas_are_kept(value) -> None:
    assert csv_cell(value) == value


def test_every_field_is_quoted() -> None:
    assert csv_text([["a", 3, None, "b;c"]]) == '"a","3","","b;c"\r\n'


@pytest.mark.parametrize(
    "value,expected", [(None, ""), (3, 3), (-2, -2), ("Léa", "Léa"), (True, "True")]
)
def test_other_cells_are_kept(value, expected) -> None:
    assert csv_cell(value) == expected


def test_the_header_row_is_a_row_like_the_others() -> None:
    [header] = csv.reader(io.StringIO(csv_text([[FORMULA, "ok"]])))
    assert header == ["'" + FORMULA, "ok"]


def test_no_module_writes_csv_another_way() -> None:
    writers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "community").rglob("*.py")
        if "csv.writer" in (text := path.read_text()) or "csv.DictWriter" in text
    ]
    assert writers == ["community/core/csvfile.py"]


def test_the_responses_export_defuses_question_labels(client, api_token) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    questionnaire = make_questionnaire(
        community,
        gardener=gardener,
        questions=[
            {"kind": "single", "label": FORMULA, "options": ["=1+1", "Non"]},
            {"kind": "short_text", "label": "-2+3"},
        ],
    )
    answering.submit_response(
        None,
        questionnaire,
        {
            q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0)]),
            q(questionnaire, 1).id: Given(text="@SUM(1)"),
        },
        browser_token="browser-token-number-0001",
    )
    response = client.get(
        f"/api/v1/questionnaires/{questionnaire.id}/responses.csv", headers=api_token(gardener)
    )
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[-2:] == ["'" + FORMULA, "'-2+3"]
    assert row[-2:] == ["'=1+1", "'@SUM(1)"]


@pytest.mark.parametrize(
    "typed,written",
    [
        ('ok;=HYPERLINK("http://evil","x")', 'ok;\'=HYPERLINK("http://evil","x")'),
        ("ok\n=cmd|' /C calc'!A0", "ok\n'=cmd|' /C calc'!A0"),
        ("ok,@SUM(1)", "ok,'@SUM(1)"),
    ],
)
def test_the_responses_export_defuses_every_segment_of_an_answer(
    client, api_token, typed, written
) -> None:
    gardener = make_member()
    community = make_community(citizen=gardener)
    questionnaire = make_questionnaire(
        community,
        gardener=gardener,
        questions=[
            {"kind": "multiple", "label": "Jours", "options": ["Lundi", "=1+1"]},
            {"kind": "long_text", "label": "Un mot"},
        ],
    )
    answering.submit_response(
        None,
        questionnaire,
        {
            q(questionnaire, 0).id: Given([opt(questionnaire, 0, 0), opt(questionnaire, 0, 1)]),
            q(questionnaire, 1).id: Given(text=typed),
        },
        browser_token="browser-token-number-0002",
    )
    response = client.get(
        f"/api/v1/questionnaires/{questionnaire.id}/responses.csv", headers=api_token(gardener)
    )
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(raw)))
    # Two answers of one question are joined by " ; ": the second one is defused too.
    assert row[-2:] == ["Lundi ; '=1+1", written]
    # Every field is quoted (QUOTE_ALL): a line break or a separator stays inside its cell.
    for line in (header, row):
        assert all(f'"{cell.replace(chr(34), 2 * chr(34))}"' in raw for cell in line)
    assert raw.startswith('"')


def test_the_observatory_export_quotes_and_defuses_every_segment(client, api_token) -> None:
    make_neighbourhood(slug="ok;=cmd")
    response = client.get("/api/v1/observatory/cells.csv", headers=api_token(make_member("staff")))
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert '"ok;\'=cmd"' in raw and all(line.startswith('"') for line in raw.splitlines())


def test_the_observatory_export_defuses_place_names(client, api_token) -> None:
    make_neighbourhood(slug="=cmd")
    response = client.get("/api/v1/observatory/cells.csv", headers=api_token(make_member("staff")))
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert any(line[0] == "'=cmd" for line in lines)
    assert not any(cell.startswith("=") for line in lines for cell in line)
