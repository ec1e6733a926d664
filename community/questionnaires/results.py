"""Results of a questionnaire: counts by option, channel and neighbourhood, suppressed.

Respondents per neighbourhood are published as a series with its total
(`suppress_line`); a neighbourhood whose count is hidden is hidden whole. Every other table
(channels; each choice question with a "no answer" column; each option of a multiple choice
as chosen / not chosen) has those same row totals, and is published with
`suppress_given_rows`, which keeps it safe even for a reader who knows every shown row total:
given those, the tables are independent, so reading them all together recovers nothing more.
An average or a share is given only when every count it is made of is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from community.core.suppression import (
    TOTAL_FREE,
    Published,
    suppress_given_rows,
    suppress_line,
)
from community.extensions import db
from community.questionnaires.models import CHANNELS, SCALE, Answer, Questionnaire, Response
from community.territory.models import Neighbourhood

Row = int | None  # a neighbourhood id, or None: not given


@dataclass(frozen=True)
class QuestionShape:
    id: int
    kind: str
    options: tuple[tuple[int | None, str], ...]  # (option id or None for a scale, label)


@dataclass
class Respondent:
    row: Row
    channel: str
    chosen: dict[int, set[int]] = field(default_factory=dict)  # question → options
    values: dict[int, int] = field(default_factory=dict)  # scale question → value


@dataclass
class Publication:
    """Everything that may be shown of one questionnaire's counts, for every filter."""

    rows: list[Row]
    min_cell: int
    respondents: list[int | None]
    total: int | None
    channels: Published
    questions: list[tuple[QuestionShape, list[Published]]]

    def view(self, row: Row | None = None, *, filtered: bool = False) -> dict[str, Any]:
        """The JSON of DESIGN.md: all respondents, or (`filtered`) one neighbourhood's."""
        i = self.rows.index(row) if filtered else None

        def pick(table: Published) -> list[int | None]:
            return table.column_totals if i is None else table.cells[i]

        total = self.total if i is None else self.respondents[i]
        channel_counts = pick(self.channels)
        out: dict[str, Any] = {
            "total": total,
            "min_cell": self.min_cell,
            "channels": dict(zip(CHANNELS, channel_counts, strict=True)),
            "questions": [],
        }
        for shape, tables in self.questions:
            if shape.kind == "multiple":
                counts = [pick(t)[0] for t in tables]
            else:
                counts = pick(tables[0])[: len(shape.options)]
            known = all(c is not None for c in counts)
            answered = sum(c for c in counts if c is not None) if known else None
            options = []
            for (option_id, label), count in zip(shape.options, counts, strict=True):
                entry: dict[str, Any] = {"option_id": option_id, "label": label, "count": count}
                if shape.kind == "scale":
                    entry["value"] = int(label)
                base = total if shape.kind == "multiple" else answered
                # A share is shown only when what it is made of is shown: for a multiple
                # choice the count and the total, otherwise every count of the question.
                complete = known or shape.kind == "multiple"
                entry["share"] = (
                    round(count / base, 3) if count is not None and complete and base else None
                )
                options.append(entry)
            average = None
            if shape.kind == "scale" and known and answered:
                average = round(
                    sum(
                        int(label) * (c or 0)
                        for (_o, label), c in zip(shape.options, counts, strict=True)
                    )
                    / answered,
                    2,
                )
            out["questions"].append(
                {
                    "question_id": shape.id,
                    "kind": shape.kind,
                    "options": options,
                    "average": average,
                }
            )
        return out


def publish(
    shapes: Sequence[QuestionShape],
    respondents: Sequence[Respondent],
    rows: Sequence[Row],
    min_cell: int,
) -> Publication:
    """Count and suppress (pure: no database)."""
    rows = list(rows)
    index = {row: k for k, row in enumerate(rows)}
    per_row = [0] * len(rows)
    for r in respondents:
        per_row[index[r.row]] += 1
    shown, total = suppress_line(per_row, min_cell, TOTAL_FREE)
    hidden_rows = {k for k, v in enumerate(shown) if v is None}

    def table(width: int, column_of: Any) -> Published:
        cells = [[0] * width for _ in rows]
        for r in respondents:
            for j in column_of(r):
                cells[index[r.row]][j] += 1
        return suppress_given_rows(cells, min_cell, hidden_rows, total_shown=total is not None)

    channels = table(len(CHANNELS), lambda r: [CHANNELS.index(r.channel)])
    questions: list[tuple[QuestionShape, list[Published]]] = []
    for shape in shapes:
        if shape.kind == "single":
            position = {o: j for j, (o, _l) in enumerate(shape.options)}
            none = len(shape.options)

            def single(
                r: Respondent, s: QuestionShape = shape, p: dict = position, n: int = none
            ) -> list[int]:
                chosen = r.chosen.get(s.id)
                return [p[next(iter(chosen))]] if chosen else [n]

            questions.append((shape, [table(none + 1, single)]))
        elif shape.kind == "scale":
            none = len(SCALE)

            def scale(r: Respondent, s: QuestionShape = shape, n: int = none) -> list[int]:
                value = r.values.get(s.id)
                return [value - 1] if value is not None else [n]

            questions.append((shape, [table(none + 1, scale)]))
        elif shape.kind == "multiple":
            tables = []
            for option_id, _label in shape.options:

                def chose(
                    r: Respondent, s: QuestionShape = shape, o: int | None = option_id
                ) -> list[int]:
                    return [0] if o in r.chosen.get(s.id, set()) else [1]

                tables.append(table(2, chose))
            questions.append((shape, tables))
    return Publication(rows, min_cell, shown, total, channels, questions)


def shapes_of(questionnaire: Questionnaire) -> list[QuestionShape]:
    out = []
    for q in questionnaire.questions:
        if q.kind in ("single", "multiple"):
            out.append(QuestionShape(q.id, q.kind, tuple((o.id, o.label) for o in q.options)))
        elif q.kind == "scale":
            out.append(QuestionShape(q.id, q.kind, tuple((None, str(v)) for v in SCALE)))
    return out


def rows_of_territory() -> list[Row]:
    """Every neighbourhood (the public list, so a row's presence says nothing), then "not given"."""
    ids: list[Row] = list(
        db.session.execute(select(Neighbourhood.id).order_by(Neighbourhood.id)).scalars()
    )
    return [*ids, None]


def respondents_of(questionnaire: Questionnaire) -> list[Respondent]:
    """The responses as counted (two queries, whatever their number)."""
    by_id: dict[int, Respondent] = {
        rid: Respondent(row, channel)
        for rid, row, channel in db.session.execute(
            select(Response.id, Response.neighbourhood_id, Response.channel).where(
                Response.questionnaire_id == questionnaire.id
            )
        )
    }
    rows = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire.id)
    )
    for rid, qid, option_id, value in rows:
        respondent = by_id[rid]
        if option_id is not None:
            respondent.chosen.setdefault(qid, set()).add(option_id)
        elif value is not None:
            respondent.values[qid] = value
    return list(by_id.values())


def publication_of(questionnaire: Questionnaire) -> Publication:
    min_cell = int(current_app.config["OBSERVATORY_MIN_CELL"])
    return publish(
        shapes_of(questionnaire), respondents_of(questionnaire), rows_of_territory(), min_cell
    )


def free_answers(questionnaire: Questionnaire) -> dict[int, list[Any]]:
    """Texts and numbers by question (for its gardeners and staff only; never public)."""
    out: dict[int, list[Any]] = {}
    rows = db.session.execute(
        select(Answer.question_id, Answer.text, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire.id, Answer.option_id.is_(None))
        .order_by(Answer.id)
    )
    kinds = {q.id: q.kind for q in questionnaire.questions}
    for qid, text, value in rows:
        if kinds.get(qid) in ("short_text", "long_text") and text is not None:
            out.setdefault(qid, []).append(text)
        elif kinds.get(qid) == "number" and value is not None:
            out.setdefault(qid, []).append(value)
    return out
