"""in-app notices, message threads and calendar feeds

Notices: one row per event a person hears about, indexed for the header's unread count and the
inbox's keyset pages. Messages: plain-text posts in a request's or a pair's thread, hidden (not
deleted) by a coordinator. Calendar feeds: one secret link per person, kept as a hash.

Revision ID: a1f3c9e2d7b4
Revises: 5e7a0c3d9b21
Create Date: 2026-11-29 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f3c9e2d7b4'
down_revision = '5e7a0c3d9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('detail', sa.String(length=400), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(
        'ix_notifications_user_read_id', 'notifications', ['user_id', 'read_at', 'id'], unique=False
    )

    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_kind', sa.Enum('request', 'pair', name='thread_kind', native_enum=False, length=32), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('hidden_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_messages_thread', 'messages', ['thread_kind', 'thread_id', 'id'], unique=False)
    op.create_index('ix_messages_community_id', 'messages', ['community_id'], unique=False)
    op.create_index('ix_messages_author_id', 'messages', ['author_id'], unique=False)

    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
        sa.UniqueConstraint('user_id'),
    )


def downgrade():
    op.drop_table('calendar_feeds')
    op.drop_index('ix_messages_author_id', table_name='messages')
    op.drop_index('ix_messages_community_id', table_name='messages')
    op.drop_index('ix_messages_thread', table_name='messages')
    op.drop_table('messages')
    op.drop_index('ix_notifications_user_read_id', table_name='notifications')
    op.drop_table('notifications')
