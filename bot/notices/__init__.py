"""Notices to residents: written once, sent by the scheduler to LINE, the website feed and e-mail.

The rooms: `drafting` (what staff type, checked; create and edit), `lifecycle` (approve,
cancel, withdraw, resume; where a delivery stands), `targeting` (kinds, areas and interests:
who it reaches, in which order, and whether LINE's quota allows it), `reading` (lists, what
residents and feeds see), `delivery` (to LINE, exactly once), `mail`, `feeds` (Atom and JSON),
`api` (`/api/notices`) and `cli`. The names below are the domain's API for the other features:
`from bot import notices`, then `notices.create_notice(...)`.
"""

from bot.notices.drafting import (
    BODY_MAX, PAST_TOLERANCE, TITLE_MAX, CleanDraft, NoticeDraft, create_notice, local_zone, update_notice,
)
from bot.notices.errors import NoticeError, NoticeInvalid, NoticeNotFound
from bot.notices.lifecycle import (
    EDITABLE, PUBLIC_STATUS, STATUS_LABELS, NoticeProgress, approve_notice, cancel_notice, progress,
    recipients_needed, resume_notice, withdraw_notice,
)
from bot.notices.reading import NoticeContent, content_of, get_notice, latest_for_area, list_notices, published_notices
from bot.notices.targeting import (
    KINDS, URGENCY, URGENT_KINDS, QuotaCheck, area_code, estimate_recipients, interest_code, most_urgent_first,
    quota_check, resolve_recipients,
)

__all__ = ["BODY_MAX", "PAST_TOLERANCE", "TITLE_MAX", "CleanDraft", "NoticeDraft", "create_notice", "local_zone"]
__all__ += ["update_notice", "NoticeError", "NoticeInvalid", "NoticeNotFound"]
__all__ += ["EDITABLE", "PUBLIC_STATUS", "STATUS_LABELS", "NoticeProgress", "approve_notice", "cancel_notice"]
__all__ += ["progress", "recipients_needed", "resume_notice", "withdraw_notice"]
__all__ += ["NoticeContent", "content_of", "get_notice", "latest_for_area", "list_notices", "published_notices"]
__all__ += ["KINDS", "URGENCY", "URGENT_KINDS", "QuotaCheck", "area_code", "estimate_recipients", "interest_code"]
__all__ += ["most_urgent_first", "quota_check", "resolve_recipients"]
