"""URL converters: an id in a URL must fit the database's integer columns."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1  # PostgreSQL's integer (the primary keys)


class IdConverter(IntegerConverter):
    """`<int:…>` limited to what a primary key can hold: a larger number is a 404
    like any unknown id, instead of an overflow in the database."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]
