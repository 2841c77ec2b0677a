"""Join the feature branches (console, notices, classes, FAQ) into one head

Revision ID: 0004_merge_features
Revises: 0003_console, 0003_notices, 0003_classes, 0003_faq
Create Date: 2026-11-26
"""

revision = "0004_merge_features"
down_revision = ("0003_console", "0003_notices", "0003_classes", "0003_faq")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
