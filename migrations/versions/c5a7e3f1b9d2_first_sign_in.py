"""users.last_signed_in_at: "Welcome" on the very first sign-in, "Welcome back" after

Revision ID: c5a7e3f1b9d2
Revises: 9d41b7c2e8a0
Create Date: 2026-11-29 22:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5a7e3f1b9d2'
down_revision = '9d41b7c2e8a0'
branch_labels = None
depends_on = None


def upgrade():
    # Adding a nullable column needs no table rebuild (no batch mode on `users`).
    op.add_column('users', sa.Column('last_signed_in_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('users', 'last_signed_in_at')
