"""The one parser for ids a client sends (GraphQL `id:`/`hub:` arguments, REST
`?id=`, `?child_of=`, `/api/v2/pages/<id>/`): ASCII digits only, and no larger
than a database integer column holds, so a lookup never overflows."""

import re

# The largest signed 64-bit integer: SQLite's INTEGER and PostgreSQL's bigint.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


class InvalidId(ValueError):
    def __init__(self, message, out_of_range=False):
        super().__init__(message)
        self.out_of_range = out_of_range


def parse_id(value):
    """`value` (a str or int) as a positive int id, or InvalidId.

    `str.isdigit()` is not enough: it is true for "²" and "٣", which int()
    refuses or reads as another number, and for ids too large for the database.
    """
    if isinstance(value, bool):
        raise InvalidId("an id must be a whole number")
    text = str(value)
    if not _DIGITS.fullmatch(text):
        raise InvalidId(
            "an id must be a whole number", out_of_range=text.isascii() and text.isdigit()
        )
    if not 1 <= int(text) <= MAX_ID:
        raise InvalidId(f"an id must be from 1 to {MAX_ID}", out_of_range=True)
    return int(text)


def stored_id(value):
    """An id stored in content (a rich-text link's `id`) as a str, or None when
    it is none (missing, not a number, past the database's range): such a link
    leads nowhere rather than failing the answer."""
    try:
        return str(parse_id(value if value is not None else ""))
    except InvalidId:
        return None
