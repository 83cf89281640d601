"""community settings a newcomer and the matching read: description, towns, distance unit,
invitation round size and waits per urgency

Revision ID: b3d1c0a2e4f5
Revises: 7c4e2a91d5b3
Create Date: 2026-11-29 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d1c0a2e4f5'
down_revision = '7c4e2a91d5b3'
branch_labels = None
depends_on = None

COLUMNS = (
    ('description', sa.Text(), ''),
    ('towns', sa.String(length=400), ''),
    ('distance_unit', sa.String(length=2), 'mi'),
    ('invitations_per_round', sa.Integer(), '5'),
    ('invitation_wait_urgent_minutes', sa.Integer(), '30'),
    ('invitation_wait_soon_minutes', sa.Integer(), '180'),
    ('invitation_wait_flexible_minutes', sa.Integer(), '1440'),
)


def upgrade():
    for name, type_, default in COLUMNS:
        op.add_column(
            'communities', sa.Column(name, type_, nullable=False, server_default=default)
        )


def downgrade():
    for name, _type, _default in reversed(COLUMNS):
        op.drop_column('communities', name)
