"""Every model, imported here so that Alembic and `Base.metadata` see all tables."""

from bot.db import Base
from bot.models.audit import AuditEntry
from bot.models.classes import (
    BookingSource, BookingStatus, ClassBooking, ClassNotification, ClassSettings, ClassStatus, NotificationKind,
    NotificationStatus, SmartphoneClass,
)
from bot.models.conversation import ConversationState
from bot.models.disaster import DisasterModeState
from bot.models.faq import FaqAsk, FaqContentVersion, FaqEntryRecord, FaqFeedback
from bot.models.friends import Friend, FriendStatus
from bot.models.jma import AlertAction, JmaAlertState, JmaFeed, JmaKindSetting, JmaPoll, JmaTelegram
from bot.models.notices import (
    BatchStatus, Delivery, DeliveryBatch, DeliveryMode, DeliveryStatus, MailSend, MailSendStatus, MailSubscriber,
    Notice, NoticeKind, NoticeStatus,
)
from bot.models.procedures import (
    CityContact, ClassVenue, LifeEvent, OnlineProcedure, Procedure, SavedChecklist,
)
from bot.models.office import FriendEvent, FriendEventKind, RecurrenceFrequency, RecurringNotice
from bot.models.scheduler import SchedulerLease
from bot.models.shelters import DamageCategory, DamageReport, PhotoState, ReportStatus, Shelter, ShelterStatus
from bot.models.staff import ApiToken, LoginFailure, StaffRole, StaffUser
from bot.models.webhook import AnswerStatus, EventStatus, WebhookEvent

__all__ = ["Base", "ConversationState", "Friend", "FriendStatus", "SchedulerLease"]
__all__ += ["AnswerStatus", "EventStatus", "WebhookEvent"]
__all__ += ["ApiToken", "AuditEntry", "LoginFailure", "StaffRole", "StaffUser"]
__all__ += ["BatchStatus", "Delivery", "DeliveryBatch", "DeliveryMode", "DeliveryStatus", "MailSend", "MailSendStatus"]
__all__ += ["MailSubscriber", "Notice", "NoticeKind", "NoticeStatus"]
__all__ += ["BookingSource", "BookingStatus", "ClassBooking", "ClassNotification", "ClassSettings", "ClassStatus"]
__all__ += ["NotificationKind", "NotificationStatus", "SmartphoneClass"]
__all__ += ["DisasterModeState"]
__all__ += ["FaqAsk", "FaqContentVersion", "FaqEntryRecord", "FaqFeedback"]
__all__ += ["CityContact", "ClassVenue", "LifeEvent", "OnlineProcedure", "Procedure", "SavedChecklist"]
__all__ += ["FriendEvent", "FriendEventKind", "RecurrenceFrequency", "RecurringNotice"]
__all__ += ["AlertAction", "JmaAlertState", "JmaFeed", "JmaKindSetting", "JmaPoll", "JmaTelegram"]
__all__ += ["DamageCategory", "DamageReport", "PhotoState", "ReportStatus", "Shelter", "ShelterStatus"]
