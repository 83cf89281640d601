"""outbox claims and retries, texts, notification preferences, quiet hours, sent-once keys

Revision ID: 5e7a0c3d9b21
Revises: b3d1c0a2e4f5
Create Date: 2026-11-29 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '5e7a0c3d9b21'
down_revision = 'b3d1c0a2e4f5'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'users', sa.Column('sms_consent', sa.Boolean(), nullable=False, server_default=sa.false())
    )
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('kind', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            'fk_outbox_messages_user_id_users', 'users', ['user_id'], ['id'], ondelete='SET NULL'
        )
        batch.create_index('ix_outbox_messages_user_id', ['user_id'])
        batch.create_index('ix_outbox_messages_due', ['sent_at', 'next_attempt_at'])
    op.execute('UPDATE outbox_messages SET next_attempt_at = created_at')
    with op.batch_alter_table('outbox_messages') as batch:
        batch.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_table(
        'notification_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('quiet_start', sa.Integer(), nullable=False),
        sa.Column('quiet_end', sa.Integer(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('no_email', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'notification_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=80), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.Column('sms', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind'),
    )
    op.create_index(
        'ix_notification_preferences_user_id', 'notification_preferences', ['user_id']
    )
    op.create_table(
        'sent_once',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('thing', sa.String(length=60), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'kind', 'thing', 'on_date'),
    )
    op.create_index('ix_sent_once_user_id', 'sent_once', ['user_id'])


def downgrade():
    op.drop_index('ix_sent_once_user_id', table_name='sent_once')
    op.drop_table('sent_once')
    op.drop_index('ix_notification_preferences_user_id', table_name='notification_preferences')
    op.drop_table('notification_preferences')
    op.drop_table('notification_settings')
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_index('ix_outbox_messages_due')
        batch.drop_index('ix_outbox_messages_user_id')
        batch.drop_constraint('fk_outbox_messages_user_id_users', type_='foreignkey')
        batch.drop_column('claimed_until')
        batch.drop_column('claim_token')
        batch.drop_column('next_attempt_at')
        batch.drop_column('kind')
        batch.drop_column('user_id')
    op.drop_column('users', 'sms_consent')
