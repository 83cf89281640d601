"""Every domain's models, imported together so the metadata is complete."""

from neighborly.accounts.models import AuthToken, Community, Membership, User
from neighborly.accounts.safety_models import Block, Report
from neighborly.audit import AuditEvent
from neighborly.calendars.models import CalendarFeed
from neighborly.help_requests.models import HelpRequest, VolunteerProfile, Withdrawal
from neighborly.help_requests.snow_models import SnowEvent, SnowLine, SnowLoad
from neighborly.mentoring import models as _mentoring_models  # noqa: F401
from neighborly.messages.models import Message
from neighborly.notifications import preference_models as _notification_preferences  # noqa: F401
from neighborly.notifications.models import Notification, OutboxMessage
from neighborly.resources import models as _resources_models  # noqa: F401

__all__ = [
    "AuditEvent",
    "AuthToken",
    "CalendarFeed",
    "Block",
    "Community",
    "HelpRequest",
    "Membership",
    "Message",
    "Notification",
    "OutboxMessage",
    "SnowEvent",
    "SnowLine",
    "SnowLoad",
    "Report",
    "User",
    "VolunteerProfile",
    "Withdrawal",
]
