"""FAQ in the database: entries, content version, residents' questions, feedback

Revision ID: 0003_faq
Revises: 0002_scheduler_lease
Create Date: 2026-11-26 13:00:04.583521
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0003_faq'
down_revision = '0002_scheduler_lease'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('faq_asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asked_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('question', sa.String(length=400), nullable=False),
    sa.Column('normalised', sa.String(length=400), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('entry_id', sa.String(length=16), nullable=True),
    sa.Column('suggested_ids', sa.JSON(), nullable=False),
    sa.Column('no_match', sa.Boolean(), nullable=False),
    sa.Column('reported', sa.Boolean(), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('reviewed_at', bot.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by', sa.String(length=100), nullable=True),
    sa.Column('review_action', sa.String(length=16), nullable=True),
    sa.Column('review_entry_id', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_asks'))
    )
    with op.batch_alter_table('faq_asks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_asks_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_faq_asks_needs_review'), ['needs_review'], unique=False)
        batch_op.create_index(batch_op.f('ix_faq_asks_normalised'), ['normalised'], unique=False)

    version = op.create_table('faq_content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_content_version'))
    )
    # The one row every web worker reads before searching (bot/faq_live.py).
    op.bulk_insert(version, [{'id': 1, 'version': 0, 'changed_at': datetime.now(UTC)}])
    op.create_table('faq_entries',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('alt_questions', sa.JSON(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_by', sa.String(length=100), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entries'))
    )
    op.create_table('faq_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ask_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=16), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ask_id'], ['faq_asks.id'], name=op.f('fk_faq_feedback_ask_id_faq_asks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_feedback')),
    sa.UniqueConstraint('ask_id', 'entry_id', name=op.f('uq_faq_feedback_ask_id'))
    )
    with op.batch_alter_table('faq_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_feedback_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('faq_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_feedback_entry_id'))

    op.drop_table('faq_feedback')
    op.drop_table('faq_entries')
    op.drop_table('faq_content_version')
    with op.batch_alter_table('faq_asks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_asks_normalised'))
        batch_op.drop_index(batch_op.f('ix_faq_asks_needs_review'))
        batch_op.drop_index(batch_op.f('ix_faq_asks_asked_at'))

    op.drop_table('faq_asks')
