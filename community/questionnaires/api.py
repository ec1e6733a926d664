"""`/api/v1/questionnaires`: read, write, open, close, answer, results, CSV, follow-up."""

from __future__ import annotations

from typing import Any

from flask import current_app, make_response
from flask_babel import gettext as _
from flask_smorest import Blueprint

from community.auth.loaders import by_token
from community.communities.services import community_by_slug
from community.core.errors import NotFound
from community.core.permissions import current_member, require
from community.core.rest import authenticated_member
from community.extensions import csrf, db, limiter
from community.questionnaires import (
    answering,
    browser,
    exports,
    permissions,
    queries,
    results,
    services,
)
from community.questionnaires.schemas import (
    FollowUpInSchema,
    QuestionnaireInSchema,
    QuestionnairePatchSchema,
    QuestionnaireSchema,
    ResponseInSchema,
    ResponseSchema,
    ResultsQuerySchema,
    details_from,
)

blp = Blueprint(
    "questionnaires-api",
    __name__,
    url_prefix="/api/v1",
    description="Questionnaires: asked on the web, on paper or in person",
)


def response_limit() -> str:
    return str(current_app.config["QUESTIONNAIRE_RATE_LIMIT"])


@blp.get("/questionnaires")
@blp.response(200, QuestionnaireSchema(many=True))
def list_questionnaires() -> Any:
    """Questionnaires the caller may read, newest first."""
    return list(db.session.execute(queries.visible_stmt(current_member()).limit(100)).scalars())


@blp.get("/questionnaires/<int:questionnaire_id>")
@blp.response(200, QuestionnaireSchema)
def get_questionnaire(questionnaire_id: int) -> Any:
    """One questionnaire with its questions."""
    return services.readable_or_404(current_member(), questionnaire_id)


@blp.post("/communities/<slug>/questionnaires")
@blp.arguments(QuestionnaireInSchema)
@blp.response(201, QuestionnaireSchema)
def create_questionnaire(data: dict[str, Any], slug: str) -> Any:
    """A gardener of the community (or staff) writes a questionnaire, as a draft."""
    member = authenticated_member()
    community = community_by_slug(slug)
    questionnaire = services.create_questionnaire(
        member, community, details_from(data), data["questions"]
    )
    return questionnaire


@blp.patch("/questionnaires/<int:questionnaire_id>")
@blp.arguments(QuestionnairePatchSchema)
@blp.response(200, QuestionnaireSchema)
def update_questionnaire(data: dict[str, Any], questionnaire_id: int) -> Any:
    """Change its text, dates, audience or questions (earlier answers stay valid)."""
    member = authenticated_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    services.update_questionnaire(member, questionnaire, details_from(data), data.get("questions"))
    return questionnaire


@blp.post("/questionnaires/<int:questionnaire_id>/open")
@blp.response(200, QuestionnaireSchema)
def open_questionnaire(questionnaire_id: int) -> Any:
    member = authenticated_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    services.open_questionnaire(member, questionnaire)
    return questionnaire


@blp.post("/questionnaires/<int:questionnaire_id>/close")
@blp.response(200, QuestionnaireSchema)
def close_questionnaire(questionnaire_id: int) -> Any:
    member = authenticated_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    services.close_questionnaire(member, questionnaire)
    return questionnaire


@blp.post("/questionnaires/<int:questionnaire_id>/responses")
@limiter.limit(response_limit)
@blp.arguments(ResponseInSchema)
@blp.response(201, ResponseSchema)
def create_response(data: dict[str, Any], questionnaire_id: int) -> Any:
    """Answer (no account needed when the audience is `anyone`: one response per browser)."""
    member = current_member()
    if member is not None and not by_token():
        csrf.protect()  # a public write, but a session's answer needs its token like any write
    questionnaire = services.readable_or_404(member, questionnaire_id)
    token = browser.browser_token(create=data["channel"] == "web")
    response = answering.submit_response(
        member,
        questionnaire,
        answering.given_from_json(data["answers"]),
        channel=data["channel"],
        neighbourhood_id=data["neighbourhood_id"],
        consent=data["consent"],
        browser_token=token if data["channel"] == "web" else None,
    )
    return response


@blp.after_request
def _remember_browser(response: Any) -> Any:
    return browser.remember(response)


@blp.get("/questionnaires/<int:questionnaire_id>/results")
@blp.arguments(ResultsQuerySchema, location="query")
def get_results(args: dict[str, Any], questionnaire_id: int) -> Any:
    """Counts by option and channel, averages for scales; small counts are null."""
    member = current_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_see_results(member, questionnaire), member)
    publication = results.publication_of(questionnaire)
    row = args["neighbourhood"]
    if row is not None and row not in publication.rows:
        raise NotFound(_("This neighbourhood does not exist."))
    return publication.view(row, filtered=row is not None)


@blp.get("/questionnaires/<int:questionnaire_id>/responses.csv")
def responses_csv(questionnaire_id: int) -> Any:
    """Every response, one line each, free text included: its gardeners and staff."""
    member = authenticated_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    require(permissions.can_read_free_text(member, questionnaire), member)
    response = make_response(exports.responses_csv(questionnaire))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="questionnaire-{questionnaire.id}.csv"'
    )
    return response


@blp.post("/questionnaires/<int:questionnaire_id>/follow-up")
@blp.arguments(FollowUpInSchema)
@blp.response(200, QuestionnaireSchema)
def follow_up(data: dict[str, Any], questionnaire_id: int) -> Any:
    """Publish what was done with the answers; members who answered are told."""
    member = authenticated_member()
    questionnaire = services.readable_or_404(member, questionnaire_id)
    services.publish_follow_up(member, questionnaire, data["body"])
    return questionnaire
