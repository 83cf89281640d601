"""what a coordinator checked when verifying a volunteer, and revocation

Revision ID: c5e8a1f2d3b4
Revises: eb76ae0f0c53
Create Date: 2026-11-29 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e8a1f2d3b4'
down_revision = 'eb76ae0f0c53'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('volunteer_profiles', sa.Column('id_seen', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('volunteer_profiles', sa.Column('references_checked', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('volunteer_profiles', sa.Column('background_check_on', sa.Date(), nullable=True))
    op.add_column('volunteer_profiles', sa.Column('verification_revoked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.drop_column('verification_revoked_at')
        batch_op.drop_column('background_check_on')
        batch_op.drop_column('references_checked')
        batch_op.drop_column('id_seen')
