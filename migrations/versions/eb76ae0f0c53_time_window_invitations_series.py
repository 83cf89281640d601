"""time window, invitations, standing series

Revision ID: eb76ae0f0c53
Revises: c5a7e3f1b9d2
Create Date: 2026-11-29 22:22:15.380331

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eb76ae0f0c53'
down_revision = 'c5a7e3f1b9d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('request_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('weekly', 'snow', name='help_series_kind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', 'ended', name='help_series_status', native_enum=False, length=32), nullable=False),
    sa.Column('category', sa.Enum('snow', 'bins', 'errands', 'ride', 'yard', 'repair', 'visit', 'tech', 'pets', 'other', name='help_category', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('street_address', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=12), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('cell', sa.BigInteger(), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('start_minute', sa.Integer(), nullable=True),
    sa.Column('window_minutes', sa.Integer(), nullable=False),
    sa.Column('min_snow_inches', sa.Float(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('regular_id', sa.Integer(), nullable=True),
    sa.Column('regular_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_to_id', sa.Integer(), nullable=True),
    sa.Column('resident_agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('volunteer_agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('backup_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['backup_id'], ['users.id'], name=op.f('fk_request_series_backup_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_request_series_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_to_id'], ['users.id'], name=op.f('fk_request_series_offered_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['regular_id'], ['users.id'], name=op.f('fk_request_series_regular_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_request_series_requester_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_series'))
    )
    with op.batch_alter_table('request_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_series_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_series_requester_id'), ['requester_id'], unique=False)

    op.create_table('request_series_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_date', sa.Date(), nullable=False),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('moved_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_request_series_changes_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['request_series.id'], name=op.f('fk_request_series_changes_series_id_request_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_series_changes')),
    sa.UniqueConstraint('series_id', 'occurrence_date', name='uq_series_changes_series_date')
    )
    with op.batch_alter_table('request_series_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_series_changes_community_id'), ['community_id'], unique=False)

    op.create_table('help_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.String(length=400), nullable=False),
    sa.Column('status', sa.Enum('invited', 'accepted', 'declined', 'expired', 'lost', name='help_invitation_status', native_enum=False, length=32), nullable=False),
    sa.Column('decline_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_help_invitations_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_help_invitations_request_id_help_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_help_invitations_volunteer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_invitations')),
    sa.UniqueConstraint('request_id', 'volunteer_id', name='uq_help_invitations_request_volunteer')
    )
    with op.batch_alter_table('help_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_invitations_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_invitations_request_id'), ['request_id'], unique=False)
        batch_op.create_index('ix_help_invitations_volunteer_created', ['volunteer_id', 'created_at'], unique=False)

    # Plain ALTERs (no batch rebuild of help_requests on SQLite, which other tables reference).
    op.add_column('help_requests', sa.Column('needed_from', sa.DateTime(timezone=True), nullable=True))
    # series_id has no database foreign key (SQLite cannot add one without a rebuild).
    op.add_column('help_requests', sa.Column('series_id', sa.Integer(), nullable=True))
    op.add_column('help_requests', sa.Column('occurrence_date', sa.Date(), nullable=True))
    op.add_column('help_requests', sa.Column('invitation_round', sa.Integer(), server_default='0', nullable=False))
    op.add_column('help_requests', sa.Column('next_round_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('help_requests', sa.Column('nobody_yet_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_help_requests_series_id'), 'help_requests', ['series_id'], unique=False)
    op.create_index('ix_help_requests_status_next_round', 'help_requests', ['status', 'next_round_at'], unique=False)
    op.create_index('uq_help_requests_series_date', 'help_requests', ['series_id', 'occurrence_date'], unique=True)

    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_invitations', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('invited_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('invited_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_invited_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.drop_column('last_invited_at')
        batch_op.drop_column('invited_count')
        batch_op.drop_column('invited_on')
        batch_op.drop_column('daily_invitations')

    op.drop_index('uq_help_requests_series_date', table_name='help_requests')
    op.drop_index('ix_help_requests_status_next_round', table_name='help_requests')
    op.drop_index(op.f('ix_help_requests_series_id'), table_name='help_requests')
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of help_requests would cascade deletes.
    for column in ('nobody_yet_at', 'next_round_at', 'invitation_round', 'occurrence_date',
                   'series_id', 'needed_from'):
        op.drop_column('help_requests', column)

    with op.batch_alter_table('help_invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_help_invitations_volunteer_created')
        batch_op.drop_index(batch_op.f('ix_help_invitations_request_id'))
        batch_op.drop_index(batch_op.f('ix_help_invitations_community_id'))

    op.drop_table('help_invitations')
    with op.batch_alter_table('request_series_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_series_changes_community_id'))

    op.drop_table('request_series_changes')
    with op.batch_alter_table('request_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_series_requester_id'))
        batch_op.drop_index(batch_op.f('ix_request_series_community_id'))

    op.drop_table('request_series')
