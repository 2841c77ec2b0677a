"""Every model, imported here so that Alembic and `Base.metadata` see all tables."""

from bot.db import Base
from bot.models.audit import AuditEntry
from bot.models.classes import (
    BookingSource, BookingStatus, ClassBooking, ClassNotification, ClassSettings, ClassStatus, NotificationKind,
    NotificationStatus, SmartphoneClass,
)
from bot.models.conversation import ConversationState
from bot.models.faq import FaqAsk, FaqContentVersion, FaqEntryRecord, FaqFeedback
from bot.models.friends import Friend, FriendStatus
from bot.models.notices import (
    BatchStatus, Delivery, DeliveryBatch, DeliveryMode, DeliveryStatus, MailSend, MailSendStatus, MailSubscriber,
    Notice, NoticeKind, NoticeStatus,
)
from bot.models.scheduler import SchedulerLease
from bot.models.shelters import DamageCategory, DamageReport, PhotoState, ReportStatus, Shelter, ShelterStatus
from bot.models.staff import ApiToken, LoginFailure, StaffRole, StaffUser
from bot.models.webhook import ProcessedEvent

__all__ = ["Base", "ConversationState", "Friend", "FriendStatus", "ProcessedEvent", "SchedulerLease"]
__all__ += ["ApiToken", "AuditEntry", "LoginFailure", "StaffRole", "StaffUser"]
__all__ += ["BatchStatus", "Delivery", "DeliveryBatch", "DeliveryMode", "DeliveryStatus", "MailSend", "MailSendStatus"]
__all__ += ["MailSubscriber", "Notice", "NoticeKind", "NoticeStatus"]
__all__ += ["BookingSource", "BookingStatus", "ClassBooking", "ClassNotification", "ClassSettings", "ClassStatus"]
__all__ += ["NotificationKind", "NotificationStatus", "SmartphoneClass"]
__all__ += ["FaqAsk", "FaqContentVersion", "FaqEntryRecord", "FaqFeedback"]
__all__ += ["DamageCategory", "DamageReport", "PhotoState", "ReportStatus", "Shelter", "ShelterStatus"]
