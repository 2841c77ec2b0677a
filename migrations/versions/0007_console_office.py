"""The office console: friend follow/block history, recurring notices, indexes for the dashboard

Revision ID: 0007_console_office
Revises: 0006_procedures
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0007_console_office'
down_revision = '0006_procedures'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recurring_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link_url', sa.String(length=1000), nullable=True),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('frequency', sa.Enum('weekly', 'monthly_day', 'monthly_nth', name='recurrencefrequency', native_enum=False, length=16), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('month_day', sa.Integer(), nullable=True),
    sa.Column('week_number', sa.Integer(), nullable=True),
    sa.Column('send_time', sa.String(length=5), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', bot.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('stopped_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_notices'))
    )
    op.create_table('friend_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('friend_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('follow', 'unfollow', name='friendeventkind', native_enum=False, length=16), nullable=False),
    sa.Column('at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['friend_id'], ['friends.id'], name=op.f('fk_friend_events_friend_id_friends'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_friend_events'))
    )
    op.create_index('ix_friend_events_at_kind', 'friend_events', ['at', 'kind'], unique=False)
    op.create_index(op.f('ix_friend_events_friend_id'), 'friend_events', ['friend_id'], unique=False)
    # The history starts with what the friends table knows: each friend's last follow and block.
    op.execute("INSERT INTO friend_events (friend_id, kind, at) SELECT id, 'follow', followed_at FROM friends")
    op.execute("INSERT INTO friend_events (friend_id, kind, at) "
               "SELECT id, 'unfollow', blocked_at FROM friends WHERE blocked_at IS NOT NULL")

    op.create_index(op.f('ix_class_notifications_sent_at'), 'class_notifications', ['sent_at'], unique=False)
    op.create_index('ix_delivery_batches_sent_at', 'delivery_batches', ['sent_at'], unique=False)
    op.create_index(op.f('ix_faq_feedback_at'), 'faq_feedback', ['at'], unique=False)
    op.create_index('ix_faq_asks_asked_at_decision', 'faq_asks', ['asked_at', 'decision'], unique=False)
    op.create_index('ix_mail_sends_notice_id_status', 'mail_sends', ['notice_id', 'status'], unique=False)
    # Plain ADD COLUMN and CREATE INDEX: SQLite does them without rebuilding the notices table.
    op.add_column('notices', sa.Column('recurrence_id', sa.Integer(), nullable=True))
    op.add_column('notices', sa.Column('occurrence_on', sa.Date(), nullable=True))
    op.create_index('ix_notices_created_at', 'notices', ['created_at'], unique=False)
    op.create_index('uq_notices_recurrence_occurrence', 'notices', ['recurrence_id', 'occurrence_on'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_notices_recurrence_occurrence', table_name='notices')
    op.drop_index('ix_notices_created_at', table_name='notices')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_column('occurrence_on')
        batch_op.drop_column('recurrence_id')
    op.drop_index('ix_mail_sends_notice_id_status', table_name='mail_sends')
    op.drop_index('ix_faq_asks_asked_at_decision', table_name='faq_asks')
    op.drop_index(op.f('ix_faq_feedback_at'), table_name='faq_feedback')
    op.drop_index('ix_delivery_batches_sent_at', table_name='delivery_batches')
    op.drop_index(op.f('ix_class_notifications_sent_at'), table_name='class_notifications')
    op.drop_index(op.f('ix_friend_events_friend_id'), table_name='friend_events')
    op.drop_index('ix_friend_events_at_kind', table_name='friend_events')
    op.drop_table('friend_events')
    op.drop_table('recurring_notices')
