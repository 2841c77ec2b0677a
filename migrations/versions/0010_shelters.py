"""Shelters with their status, and residents' damage reports with their photo

Revision ID: 0010_shelters
Revises: 0009_jma
Create Date: 2026-12-02 15:47:06.862313
"""

from alembic import op
import sqlalchemy as sa
import bot.db


revision = '0010_shelters'
down_revision = '0009_jma'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('damage_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_no', sa.String(length=20), nullable=True),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('category', sa.Enum('fallen_tree', 'flooded_road', 'landslide', 'other', name='damagecategory', native_enum=False, length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('photo_state', sa.Enum('none', 'pending', 'stored', 'too_large', 'unavailable', name='photostate', native_enum=False, length=16), nullable=False),
    sa.Column('photo_message_id', sa.String(length=32), nullable=True),
    sa.Column('photo_attempts', sa.Integer(), nullable=False),
    sa.Column('photo_type', sa.String(length=64), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('new', 'in_progress', 'done', name='reportstatus', native_enum=False, length=16), nullable=False),
    sa.Column('status_at', bot.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_damage_reports')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_damage_reports_receipt_no'))
    )
    with op.batch_alter_table('damage_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_damage_reports_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_damage_reports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_damage_reports_line_user_id'), ['line_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_damage_reports_photo_state'), ['photo_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_damage_reports_status'), ['status'], unique=False)

    op.create_table('shelters',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('area', sa.String(length=16), nullable=False),
    sa.Column('emergency_site', sa.Boolean(), nullable=False),
    sa.Column('evacuation_shelter', sa.Boolean(), nullable=False),
    sa.Column('disaster_types', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('open', 'full', 'closed', name='shelterstatus', native_enum=False, length=16), nullable=False),
    sa.Column('status_at', bot.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status_by', sa.String(length=100), nullable=True),
    sa.Column('sample', sa.Boolean(), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shelters'))
    )
    with op.batch_alter_table('shelters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shelters_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('shelters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shelters_status'))

    op.drop_table('shelters')
    with op.batch_alter_table('damage_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_damage_reports_status'))
        batch_op.drop_index(batch_op.f('ix_damage_reports_photo_state'))
        batch_op.drop_index(batch_op.f('ix_damage_reports_line_user_id'))
        batch_op.drop_index(batch_op.f('ix_damage_reports_created_at'))
        batch_op.drop_index(batch_op.f('ix_damage_reports_category'))

    op.drop_table('damage_reports')
