"""Demo rencontres: past ones with check-ins and a compte rendu, upcoming ones (one full with a
waiting list, a weekly permanence of the ambassador), one cancelled."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from community.core.content import render_markdown
from community.core.models import utcnow
from community.events import places, registrations, services
from community.events.models import Event, Registration
from community.events.times import from_paris, paris
from community.extensions import db

REPORT = """Merci aux douze personnes venues retourner le compost !

- Le bac n° 2 est mûr : on tamise samedi prochain.
- Il manque du broyat : la mairie en livre un big-bag la semaine prochaine.
- Prochaine fois : on apprend à reconnaître les petites bêtes du compost.
"""


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Paris, `days` from today."""
    day = paris(utcnow()).date() + timedelta(days=days)
    return from_paris(datetime.combine(day, time(hour, minute)))


def _data(title: str, starts: datetime, hours: float, place: str, **extra: Any) -> Any:
    return services.EventData(
        title=title,
        description=extra.pop("description", ""),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        place=place,
        given=frozenset({"title", "description", "starts_at", "ends_at", "place", *extra}),
        **extra,
    )


def _past(
    actor: Any, community: Any, title: str, days_ago: int, came: list[Any], **fields: Any
) -> Event:
    starts = _at(-days_ago, 10)
    event = Event(
        community=community,
        community_id=community.id,
        created_by_id=actor.id,
        title=title,
        description=fields.pop("description", ""),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=fields.pop("place", ""),
        neighbourhood_id=community.neighbourhood_id,
        status="done",
        created_at=starts - timedelta(days=14),
        updated_at=starts,
        **fields,
    )
    event.description_html = render_markdown(event.description)
    db.session.add(event)
    db.session.flush()
    services._thread_for(actor, event)
    for member in came:
        db.session.add(
            Registration(
                event_id=event.id,
                member_id=member.id,
                status="going",
                queued_at=event.created_at,
                created_at=event.created_at,
                confirmed_at=event.created_at,
                checked_in_at=starts + timedelta(minutes=5),
                checked_in_by_id=actor.id,
            )
        )
    db.session.flush()
    places._recount(event)
    return event


def seed(ctx: Any) -> None:
    communities = ctx.extra["communities"]
    compost, velo = communities["compost-tilleuls"], communities["velo-quotidien"]
    agent, jardinier = ctx.members["agent"], ctx.members["jardinier"]
    habitant, yanis = ctx.members["habitant"], ctx.members["porte-voix"]
    crowd = [ctx.members[f"crowd{i}"] for i in range(3, 20)]
    initiative = next(
        (i for i in ctx.extra.get("initiatives", {}).values() if i.community_id == compost.id),
        None,
    )

    # Past rencontres of the compost community: 12 people came to the last three.
    _past(agent, compost, "Retournement du compost", 40, crowd[:4], place="Square des Tilleuls")
    _past(jardinier, compost, "Troc de graines", 25, crowd[4:8], place="Maison de quartier")
    done = _past(
        agent,
        compost,
        "Tamisage et récolte du compost",
        10,
        [habitant, *crowd[8:11]],
        place="Square des Tilleuls",
        initiative_id=initiative.id if initiative else None,
    )
    done.report = REPORT
    done.report_html = render_markdown(REPORT)
    done.report_sent_at = done.ends_at + timedelta(days=1)

    # Upcoming: a workshop with three places, full, with two people waiting.
    (full,) = services.create_event(
        agent,
        compost,
        _data(
            "Atelier : fabriquer son lombricomposteur",
            _at(3, 18, 30),
            2,
            "Maison de quartier des Tilleuls",
            description="On fabrique ensemble un lombricomposteur d'appartement. "
            "**Apportez un seau** si vous en avez un.",
            capacity=3,
            accepts_guests=True,
            initiative_id=initiative.id if initiative else None,
        ),
    )
    for member in (habitant, *crowd[11:15]):
        registrations.register(member, full)

    # The ambassador's weekly permanence at the market, three weeks running.
    services.create_event(
        yanis,
        compost,
        _data(
            "Permanence compost au marché",
            _at(5, 9),
            3,
            "Place du marché, stand de la mairie",
            description="Venez poser vos questions sur le compost, ou juste dire bonjour.",
            accepts_guests=True,
        ),
        repeat=3,
    )

    # A cancelled ride.
    (ride,) = services.create_event(
        agent,
        velo,
        _data("Balade à vélo des berges", _at(8, 14), 3, "Parvis de la gare", capacity=20),
    )
    registrations.register(crowd[15], ride)
    services.cancel_event(agent, ride, "La piste des berges est fermée pour travaux. On reporte !")
    db.session.flush()
