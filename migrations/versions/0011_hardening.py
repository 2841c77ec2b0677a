"""Hardening: console sessions that can be revoked, and a rate limit for the notices API

Revision ID: 0011_hardening
Revises: 0010_shelters
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import bot.db

revision = "0011_hardening"
down_revision = '0010_shelters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_window_start", bot.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rate_window_count", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("rate_window_count")
        batch_op.drop_column("rate_window_start")
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
