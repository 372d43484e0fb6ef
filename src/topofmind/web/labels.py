"""Words for the store's values, as a person reads them."""

from __future__ import annotations

from topofmind.web.forms import CHANNEL_LABELS, KIND_LABELS, ROLE_LABELS

PURPOSE_LABELS = {
    "thank_you": "Thank-you",
    "reply": "Reply owed",
    "intake_follow_up": "Intake follow-up",
    "feedback_request": "Ask for feedback",
    "status_inquiry": "Status inquiry",
    "nudge": "Nudge",
    "referral_ask": "Ask for advice or a referral",
    "check_in": "Check-in",
    "value_share": "Share something useful",
    "recruiter_update": "Update your recruiter",
    "candidate_update": "Update a candidate",
    "keep_warm": "Keep in touch",
    "linkedin_connect": "Connect on LinkedIn",
    "prospect_outreach": "Reach out to a new employer",
}


def purpose_label(value: str) -> str:
    return PURPOSE_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


def kind_label(value: str) -> str:
    return KIND_LABELS.get(str(value), str(value).replace("_", " ").capitalize())


def channel_label(value: str) -> str:
    return CHANNEL_LABELS.get(str(value), str(value).replace("_", " ")) if value else ""


def role_label(value: str) -> str:
    return ROLE_LABELS.get(str(value), str(value).replace("_", " "))


def stage_label(value: str) -> str:
    return str(value).replace("_", " ").capitalize()
