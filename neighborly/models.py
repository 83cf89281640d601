"""Every domain's models, imported together so the metadata is complete."""

from neighborly.accounts.models import AuthToken, Community, Membership, User
from neighborly.accounts.safety_models import Block, Report
from neighborly.audit import AuditEvent
from neighborly.help_requests.models import HelpRequest, VolunteerProfile, Withdrawal
from neighborly.mentoring import models as _mentoring_models  # noqa: F401
from neighborly.notifications.models import OutboxMessage
from neighborly.resources import models as _resources_models  # noqa: F401

__all__ = [
    "AuditEvent",
    "AuthToken",
    "Block",
    "Community",
    "HelpRequest",
    "Membership",
    "OutboxMessage",
    "Report",
    "User",
    "VolunteerProfile",
    "Withdrawal",
]
