"""community_id on withdrawals, program coordinators and event attendance

Every community row carries community_id (the sharding plan depends on it). The three
child tables get the column, backfilled from their parent row, then made NOT NULL.

Revision ID: 1131af33e0ae
Revises: 5a7e3c1d9b20
Create Date: 2026-11-29 19:49:44.298349

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1131af33e0ae'
down_revision = '5a7e3c1d9b20'
branch_labels = None
depends_on = None

# child table -> (parent table, the child's column naming its parent)
CHILDREN = {
    'help_withdrawals': ('help_requests', 'request_id'),
    'mentoring_attendance': ('mentoring_events', 'event_id'),
    'mentoring_coordinators': ('mentoring_programs', 'program_id'),
}


def upgrade():
    for table, (parent, link) in CHILDREN.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('community_id', sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET community_id = "
            f"(SELECT {parent}.community_id FROM {parent} WHERE {parent}.id = {table}.{link})"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('community_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_community_id'), ['community_id'], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_community_id_communities'),
                'communities', ['community_id'], ['id'], ondelete='CASCADE',
            )


def downgrade():
    for table in reversed(CHILDREN):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_community_id_communities'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_community_id'))
            batch_op.drop_column('community_id')
