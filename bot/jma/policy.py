"""Staff's choice per kind of alert: send automatically, make a draft for approval, or do
nothing; and, for kinds corresponding to 警戒レベル４ or more, whether to switch the account
to disaster mode. Stored in the database (no row: the default); every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.jma.rules import KIND_LABELS, LEVEL_4_KINDS, AlertKind
from bot.models import AlertAction, JmaKindSetting

DEFAULTS = {
    AlertKind.SPECIAL_WARNING: AlertAction.AUTO,
    AlertKind.DANGER_WARNING: AlertAction.AUTO,
    AlertKind.WARNING: AlertAction.AUTO,
    AlertKind.ADVISORY: AlertAction.NONE,
    AlertKind.LANDSLIDE_ALERT: AlertAction.AUTO,
    AlertKind.RECORD_RAIN: AlertAction.AUTO,
    AlertKind.QUAKE_STRONG: AlertAction.AUTO,
    AlertKind.QUAKE: AlertAction.DRAFT,
}
ACTION_LABELS = {AlertAction.AUTO: "自動で送る", AlertAction.DRAFT: "下書きを作る（承認してから送る）",
                 AlertAction.NONE: "何もしない"}


@dataclass(frozen=True)
class KindPolicy:
    kind: AlertKind
    action: AlertAction
    disaster_mode: bool  # switch the account to disaster mode when this kind is issued

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def may_switch_mode(self) -> bool:
        return self.kind in LEVEL_4_KINDS


def policies(session: Session) -> dict[AlertKind, KindPolicy]:
    """Every kind's setting, in display order."""
    stored = {row.kind: row for row in session.scalars(select(JmaKindSetting))}
    result = {}
    for kind in AlertKind:
        row = stored.get(kind.value)
        result[kind] = (KindPolicy(kind, row.action, row.disaster_mode and kind in LEVEL_4_KINDS) if row
                        else KindPolicy(kind, DEFAULTS[kind], False))
    return result


def set_policy(session: Session, kind: AlertKind, action: AlertAction, disaster_mode: bool, actor: str,
               now: datetime) -> KindPolicy:
    """Store a kind's setting (disaster mode only for level-4-equivalent kinds)."""
    disaster_mode = disaster_mode and kind in LEVEL_4_KINDS
    row = session.get(JmaKindSetting, kind.value)
    if row is None:
        row = JmaKindSetting(kind=kind.value, action=action, disaster_mode=disaster_mode, updated_by=actor[:100],
                             updated_at=now)
        session.add(row)
    elif row.action is action and row.disaster_mode == disaster_mode:
        return KindPolicy(kind, action, disaster_mode)
    row.action, row.disaster_mode, row.updated_by, row.updated_at = action, disaster_mode, actor[:100], now
    audit.record(session, actor, "jma.setting", target=kind.value, choice=action.value,
                 disaster_mode=disaster_mode)
    return KindPolicy(kind, action, disaster_mode)
