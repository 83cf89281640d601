"""no-shows: a neighbour said the help was not done

Revision ID: e9a2c4d6f8b1
Revises: d7f1b2c3a4e5
Create Date: 2026-11-29 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e9a2c4d6f8b1'
down_revision = 'd7f1b2c3a4e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'help_no_shows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_help_no_shows_community_id'), 'help_no_shows', ['community_id'], unique=False)
    op.create_index(op.f('ix_help_no_shows_request_id'), 'help_no_shows', ['request_id'], unique=False)
    op.create_index(op.f('ix_help_no_shows_volunteer_id'), 'help_no_shows', ['volunteer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_help_no_shows_volunteer_id'), table_name='help_no_shows')
    op.drop_index(op.f('ix_help_no_shows_request_id'), table_name='help_no_shows')
    op.drop_index(op.f('ix_help_no_shows_community_id'), table_name='help_no_shows')
    op.drop_table('help_no_shows')
