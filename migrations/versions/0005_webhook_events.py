"""webhook_events (queue and answer outbox) replaces processed_events

Revision ID: 0005_webhook_events
Revises: 0004_merge_features
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa
import bot.db


revision = "0005_webhook_events"
down_revision = "0004_merge_features"
branch_labels = None
depends_on = None

EVENT_STATUS = sa.Enum("pending", "handled", "failed", "ignored", name="eventstatus", native_enum=False, length=16)
ANSWER_STATUS = sa.Enum(
    "none", "reply_pending", "push_pending", "sent", "failed", name="answerstatus", native_enum=False, length=16
)


def upgrade() -> None:
    op.create_table(
        "webhook_events",
        sa.Column("webhook_event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("line_user_id", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", bot.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", bot.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", EVENT_STATUS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=96), nullable=True),
        sa.Column("claim_until", bot.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("handled_at", bot.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("answer_status", ANSWER_STATUS, nullable=False),
        sa.Column("answer_attempts", sa.Integer(), nullable=False),
        sa.Column("answer_retry_key", sa.String(length=36), nullable=True),
        sa.Column("answer_next_at", bot.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", bot.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("answer_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("webhook_event_id", name=op.f("pk_webhook_events")),
    )
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_events_claim", ["status", "claim_until"], unique=False)
        batch_op.create_index("ix_webhook_events_answer_due", ["answer_status", "answer_next_at"], unique=False)
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_events_processed_at"))
    op.drop_table("processed_events")


def downgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("webhook_event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("processed_at", bot.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("webhook_event_id", name=op.f("pk_processed_events")),
    )
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_events_processed_at"), ["processed_at"], unique=False)
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_events_answer_due")
        batch_op.drop_index("ix_webhook_events_claim")
    op.drop_table("webhook_events")
