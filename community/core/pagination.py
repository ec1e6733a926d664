"""Pagination of SQLAlchemy selects, for HTML pages and the JSON API."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request, url_for
from flask_smorest import Page
from sqlalchemy import Select, func, select

from community.extensions import db

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Pagination(Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def count_of(stmt: Select[Any]) -> int:
    """The number of rows `stmt` would return."""
    inner = stmt.order_by(None).options().subquery()
    return db.session.execute(select(func.count()).select_from(inner)).scalar_one()


def paginate(
    stmt: Select[Any], page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Pagination[Any]:
    """One page of `stmt`'s scalars; out-of-range numbers are clamped."""
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    total = count_of(stmt)
    last = max(1, math.ceil(total / page_size))
    page = min(max(1, page), last)
    items = list(
        db.session.execute(stmt.limit(page_size).offset((page - 1) * page_size)).scalars().unique()
    )
    return Pagination(items, page, page_size, total)


def page_from_request() -> int:
    """The `page` query argument of an HTML page, 1 when missing or wrong."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def page_url(endpoint: str, number: int, **values: Any) -> str:
    """The link to page `number` of the list this request shows: its filters are kept from the
    query string (a filter given twice stays twice); the route's own `values` and the page
    number are the view's. A query argument `url_for` would read as its own — its `endpoint`,
    an option (any name starting with "_": an anchor, a method, a scheme) — or that names one
    of the route's values is not carried over: a visitor's `?endpoint=x` was a 500, `?slug=`
    a link to another community's list."""
    kept: dict[str, Any] = {
        key: given
        for key, given in request.args.lists()
        if key != "endpoint" and key != "page" and key[:1] != "_" and key not in values
    }
    return url_for(endpoint, **kept, **values, page=number)


class SelectPage(Page):
    """flask-smorest page over a SQLAlchemy select (used with `@blp.paginate(SelectPage)`)."""

    @property
    def item_count(self) -> int:
        return count_of(self.collection)

    @property
    def items(self) -> list[Any]:
        stmt = self.collection.limit(self.page_params.page_size).offset(self.page_params.first_item)
        return list(db.session.execute(stmt).scalars().unique())
