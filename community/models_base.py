"""Column helpers shared by every feature's models."""
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


# Ids are INTEGER columns: larger numbers are never found (and would overflow the driver).
MAX_ID = 2**31 - 1


def utcnow():
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite too (it drops tzinfo)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value
