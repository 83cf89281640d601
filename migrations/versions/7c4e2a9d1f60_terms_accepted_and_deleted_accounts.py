"""terms and privacy notice accepted (version and time); when an account was deleted

Existing people have accepted no version yet: they are asked to accept the current terms the
next time they sign in.

Revision ID: 7c4e2a9d1f60
Revises: 1131af33e0ae
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c4e2a9d1f60'
down_revision = '1131af33e0ae'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild of `users` would drop the table,
# and with foreign keys on that deletes every row pointing at a user (ON DELETE CASCADE).
# SQLite has had ALTER TABLE ... DROP COLUMN since 3.35.


def upgrade():
    op.add_column('users', sa.Column('terms_version', sa.String(length=20), nullable=True))
    op.add_column('users', sa.Column('terms_accepted_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('users', 'deleted_at')
    op.drop_column('users', 'terms_accepted_at')
    op.drop_column('users', 'terms_version')
