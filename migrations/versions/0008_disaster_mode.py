"""disaster mode

Revision ID: 0008_disaster_mode
Revises: 0007_console_office
"""

from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0008_disaster_mode'
down_revision = '0007_console_office'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('disaster_mode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('since', bot.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaster_mode'))
    )


def downgrade() -> None:
    op.drop_table('disaster_mode')
