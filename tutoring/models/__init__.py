"""Typed SQLAlchemy models, one module per area."""

from tutoring.models.accounts import (
    ApiToken,
    AuditEvent,
    LoginCard,
    Partner,
    RecoveryCode,
    Role,
    Structure,
    User,
    UserRole,
    UserSession,
)
from tutoring.models.exams import Attestation, CivicExam, LanguageExam
from tutoring.models.practice import (
    Assignment,
    Attempt,
    ItemVersion,
    PracticeSet,
    SetMode,
    Submission,
    SubmissionStatus,
)
from tutoring.models.profiles import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    PublicCategory,
    Sex,
    TutorProfile,
    TutorStatus,
)
from tutoring.models.progress import ExternalLevel, ItemStat, LevelSource, ReviewCard
from tutoring.models.tutoring import Pairing, PairingStatus, Review

__all__ = [
    "AgeBand",
    "ApiToken",
    "Assignment",
    "Attestation",
    "ExternalLevel",
    "ItemStat",
    "LevelSource",
    "ReviewCard",
    "Attempt",
    "CivicExam",
    "ItemVersion",
    "LanguageExam",
    "Pairing",
    "PairingStatus",
    "PracticeSet",
    "Review",
    "SetMode",
    "Submission",
    "SubmissionStatus",
    "AuditEvent",
    "FrenchGoal",
    "LearnerProfile",
    "LoginCard",
    "Partner",
    "PublicCategory",
    "RecoveryCode",
    "Role",
    "Sex",
    "Structure",
    "TutorProfile",
    "TutorStatus",
    "User",
    "UserRole",
    "UserSession",
]
