"""The vocabulary in words a person reads: stages, kinds, channels, roles, purposes.

One home for these words, so the web pages, the forms, the board's columns and (later) the
CLI and the API say the same thing. Standard library only: plain text keyed by the values
of the enums in ``engine.types``. Each ``*_label`` function accepts the enum or its string
value (the store keeps strings) and falls back to the value itself, made readable, for a
value without a word of its own.
"""

from __future__ import annotations

from topofmind.engine.types import Channel, Kind, Purpose, Role

KIND_LABELS: dict[str, str] = {
    Kind.INTERVIEW.value: "Interview (we spoke)",
    Kind.APPLICATION.value: "Application sent",
    Kind.REPLY.value: "They replied",
    Kind.CALL.value: "Phone call (we spoke)",
    Kind.MESSAGE.value: "Message sent",
    Kind.THANK_YOU.value: "Thank-you sent",
    Kind.NUDGE.value: "Follow-up nudge sent",
    Kind.STATUS_INQUIRY.value: "Status inquiry sent",
    Kind.VALUE_SHARE.value: "Shared something useful",
    Kind.CHECK_IN.value: "Check-in sent",
    Kind.REFERRAL_ASK.value: "Asked for advice or a referral",
    Kind.LINKEDIN_INVITE.value: "LinkedIn invitation sent",
    Kind.ACHIEVEMENT_UPDATE.value: "Achievement update sent",
    Kind.REJECTION.value: "They said no",
    Kind.OFFER.value: "They made an offer",
    Kind.INTAKE_CALL.value: "Intake call (recruiter)",
    Kind.SUBMISSION.value: "Candidate submitted (recruiter)",
    Kind.FEEDBACK_REQUEST.value: "Asked for feedback",
    Kind.INTAKE_FOLLOW_UP.value: "Intake follow-up sent",
    Kind.RECRUITER_UPDATE.value: "Update to a recruiter",
    Kind.CANDIDATE_UPDATE.value: "Update to a candidate",
    Kind.KEEP_WARM.value: "Keep-warm note sent",
    Kind.AUTO_REPLY.value: "Auto-reply received",
    Kind.OUT_OF_OFFICE.value: "Out-of-office received",
    Kind.BOUNCE.value: "E-mail bounced",
    Kind.CONNECTION.value: "Connected on LinkedIn",
}

CHANNEL_LABELS: dict[str, str] = {
    Channel.EMAIL.value: "E-mail",
    Channel.PHONE.value: "Phone",
    Channel.VOICEMAIL.value: "Voicemail",
    Channel.LINKEDIN.value: "LinkedIn",
    Channel.TEXT.value: "Text message",
    Channel.VIDEO.value: "Video call",
    Channel.IN_PERSON.value: "In person",
}

ROLE_LABELS: dict[str, str] = {
    Role.HIRING_MANAGER.value: "Hiring manager",
    Role.INTERVIEWER.value: "Interviewer",
    Role.RECRUITER.value: "Recruiter",
    Role.REFERRER.value: "Mutual connection / referrer",
    Role.PEER.value: "Peer",
    Role.CANDIDATE.value: "Candidate",
}

PURPOSE_LABELS: dict[str, str] = {
    Purpose.THANK_YOU.value: "Thank-you",
    Purpose.REPLY.value: "Reply owed",
    Purpose.INTAKE_FOLLOW_UP.value: "Intake follow-up",
    Purpose.FEEDBACK_REQUEST.value: "Ask for feedback",
    Purpose.STATUS_INQUIRY.value: "Status inquiry",
    Purpose.NUDGE.value: "Nudge",
    Purpose.REFERRAL_ASK.value: "Ask for advice or a referral",
    Purpose.CHECK_IN.value: "Check-in",
    Purpose.VALUE_SHARE.value: "Share something useful",
    Purpose.ACHIEVEMENT_UPDATE.value: "Share an achievement",
    Purpose.RECRUITER_UPDATE.value: "Update your recruiter",
    Purpose.CANDIDATE_UPDATE.value: "Update a candidate",
    Purpose.KEEP_WARM.value: "Keep in touch",
    Purpose.LINKEDIN_CONNECT.value: "Connect on LinkedIn",
    Purpose.PROSPECT_OUTREACH.value: "Reach out to a new employer",
}


def purpose_label(value: str) -> str:
    return PURPOSE_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


def kind_label(value: str) -> str:
    return KIND_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


def channel_label(value: str) -> str:
    """Blank when no channel was recorded (a template shows nothing rather than "None")."""
    return CHANNEL_LABELS.get(str(value), str(value).replace("_", " ")) if value else ""


def role_label(value: str) -> str:
    return ROLE_LABELS.get(str(value), str(value).replace("_", " "))


def stage_label(value: str) -> str:
    """ "on_hold" -> "On hold": the stage names read well as they are, only the underscore goes."""
    return str(value).replace("_", " ").capitalize()
