"""Keyset page indexes: open requests oldest first, a resident's newest first, mentees, events

Revision ID: 9d41b7c2e8a0
Revises: 0d2cfa812f3a
Create Date: 2026-11-29 23:00:00
"""

from alembic import op

revision = "9d41b7c2e8a0"
down_revision = "0d2cfa812f3a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_help_requests_community_status_created",
        "help_requests",
        ["community_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_help_requests_requester_community_created",
        "help_requests",
        ["requester_id", "community_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_help_requests_volunteer_helped",
        "help_requests",
        ["volunteer_id", "status", "requester_id", "completed_at"],
        unique=False,
    )
    op.create_index(
        "ix_mentoring_mentees_program_name",
        "mentoring_mentees",
        ["program_id", "first_name", "id"],
        unique=False,
    )
    op.create_index(
        "ix_mentoring_events_program_held",
        "mentoring_events",
        ["program_id", "held_on", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_mentoring_events_program_held", table_name="mentoring_events")
    op.drop_index("ix_mentoring_mentees_program_name", table_name="mentoring_mentees")
    op.drop_index("ix_help_requests_volunteer_helped", table_name="help_requests")
    op.drop_index("ix_help_requests_requester_community_created", table_name="help_requests")
    op.drop_index("ix_help_requests_community_status_created", table_name="help_requests")
