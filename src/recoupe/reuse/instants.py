"""Publication times compared as a reader would: instants when both carry a time zone,
else calendar days (a date-only value is a whole day), and a tie is not a win.

"2025-09-16" (a text file's dateline) is not earlier than "2025-09-16T09:42:00+02:00"
(the wire's time stamp): they are the same day, so neither came first by its date. Used
for the direction of origin groups and for the first sighting of a claim.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def when(published: str | None) -> tuple[date, datetime | None] | None:
    """(calendar day as written, instant in UTC when the value carries a time zone)."""
    if not published:
        return None
    try:
        parsed = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    timed = "T" in published or " " in published.strip()
    instant = parsed.astimezone(UTC) if timed and parsed.tzinfo is not None else None
    return parsed.date(), instant


def before(a: str | None, b: str | None) -> bool:
    """Whether ``a`` is strictly earlier than ``b``: as instants when both have a time
    zone, else by calendar day (each in its own time zone). Unreadable: never."""
    wa, wb = when(a), when(b)
    if wa is None or wb is None:
        return False
    if wa[1] is not None and wb[1] is not None:
        return wa[1] < wb[1]
    return wa[0] < wb[0]
