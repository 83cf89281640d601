"""volunteer availability stored as slot codes ("tue-9") instead of "1-9"

One slot encoding for help and mentoring (neighborly/availability.py): a weekday code, a
dash and the hour. Mentors' and mentees' free times already use it; this rewrites the
volunteers' rows. The conversion is written out here, so later code changes cannot alter it.

Revision ID: 5a7e3c1d9b20
Revises: 394d9db29841
Create Date: 2026-11-29 19:45:29.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7e3c1d9b20'
down_revision = '394d9db29841'
branch_labels = None
depends_on = None

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
profiles = sa.table(
    "volunteer_profiles", sa.column("id", sa.Integer), sa.column("availability", sa.String)
)


def to_codes(text):
    """ "1-9,1-10" -> "tue-9,tue-10"; codes already converted are kept."""
    converted = []
    for code in (text or "").split(","):
        day, _dash, hour = code.partition("-")
        if day.isdigit() and hour.isdigit() and int(day) < len(DAYS):
            converted.append(f"{DAYS[int(day)]}-{int(hour)}")
        elif code:
            converted.append(code)
    return ",".join(converted)


def to_numbers(text):
    """ "tue-9,tue-10" -> "1-9,1-10"; codes already converted are kept."""
    converted = []
    for code in (text or "").split(","):
        day, _dash, hour = code.partition("-")
        if day in DAYS and hour.isdigit():
            converted.append(f"{DAYS.index(day)}-{int(hour)}")
        elif code:
            converted.append(code)
    return ",".join(converted)


def _rewrite(convert):
    """Apply a conversion to every volunteer profile's availability."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(profiles.c.id, profiles.c.availability)).all()
    for row_id, text in rows:
        new = convert(text)
        if new != (text or ""):
            connection.execute(
                profiles.update().where(profiles.c.id == row_id).values(availability=new)
            )


def upgrade():
    _rewrite(to_codes)


def downgrade():
    _rewrite(to_numbers)
