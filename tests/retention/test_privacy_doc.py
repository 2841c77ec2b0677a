"""docs/PRIVACY.md describes every table and column the models have, and no table they lack."""

from __future__ import annotations

import re
from pathlib import Path

from bot import retention
from bot.models import Base

PRIVACY = Path(__file__).resolve().parents[2] / "docs" / "PRIVACY.md"
ROW = re.compile(r"^\| `([a-z_]+)` \|.*\| ([^|]*) \|$")


def described() -> dict[str, set[str]]:
    tables = {}
    for line in PRIVACY.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            tables[match.group(1)] = set(re.findall(r"`([a-z_0-9]+)`", match.group(2)))
    return tables


def test_every_table_and_column_is_in_privacy_md():
    doc = described()
    models = {table.name: {column.name for column in table.columns} for table in Base.metadata.sorted_tables}
    assert sorted(set(models) - set(doc)) == [], "tables missing from docs/PRIVACY.md"
    assert sorted(set(doc) - set(models)) == [], "docs/PRIVACY.md describes tables that do not exist"
    missing = {name: sorted(columns - doc[name]) for name, columns in models.items() if columns - doc[name]}
    assert missing == {}, "columns missing from docs/PRIVACY.md"


def test_every_retention_rule_is_named_in_privacy_md():
    text = PRIVACY.read_text(encoding="utf-8")
    assert [rule.name for rule in retention.all_rules() if f"`{rule.name}`" not in text] == []
