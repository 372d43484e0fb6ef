"""One template family per purpose: what each kind of follow-up says.

A template takes the ``Facts`` of one suggestion and returns a ``Message``: a subject and
the paragraphs between the greeting and the closing. Each paragraph has a rank: 0 is the
reason for writing and must stay; higher ranks are niceties the composer drops first
(highest first) when the draft is over its word limit.

Every sentence here is written for topofmind. Rules they keep (docs/drafts.md):
say why we write in the first sentence; never ask for a job; never a bare "checking in";
carry the item of value when there is one (R10); stay short and warm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from topofmind.drafting.model import ValueKind, ValueSnap
from topofmind.drafting.words import end_sentence, join_list
from topofmind.engine.types import Channel, Purpose


@dataclass(frozen=True)
class Para:
    text: str
    rank: int = 0  # 0: the reason for writing, never dropped; higher: dropped first


@dataclass(frozen=True)
class Message:
    subject: str
    paras: tuple[Para, ...]
    closing: str


@dataclass(frozen=True)
class Facts:
    """Everything a template may say, already cleaned and shortened by the composer."""

    purpose: Purpose
    rule: str
    first: str | None  # whom we greet; None: a person without a usable name, or the team
    employer_only: bool  # no person at all: we write to the organization
    org: str | None
    title: str | None  # the opening (or, for a recruiter, the requisition)
    points: tuple[str, ...]
    value: ValueSnap | None
    user: str
    channel: Channel
    nudge: int  # 1 or 2
    about: str  # the unanswered message a nudge refers to: "application", "submission", ...
    since: date | None  # the day of the touch we refer to, when known
    decision: date | None  # the decision date the employer gave, when known
    occasion: str  # "", "rejection", "offer", "accepted", "interview", "submission"
    joining: bool  # R9 thank-you to someone at the organization the user is joining
    variant: int  # a stable number from the suggestion's key, to vary the wording

    @property
    def spoken(self) -> bool:
        return self.channel in (Channel.PHONE, Channel.VOICEMAIL)

    @property
    def short(self) -> bool:
        """A LinkedIn note: every character counts."""
        return self.channel is Channel.LINKEDIN

    def pick(self, *options: str) -> str:
        return options[self.variant % len(options)]


# -- phrases ---------------------------------------------------------------------------------

_NOUNS = ("role", "position", "opening", "job", "post", "vacancy", "requisition", "search", "opportunity")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_name(day: date) -> str:
    """'3 March': no year, no weekday, no locale, no clock."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def on(day: date | None) -> str:
    """' on 3 March', or '' when the day is unknown."""
    return f" on {day_name(day)}" if day else ""


def _named(title: str, noun: str) -> str:
    last = title.split()[-1].lower().strip(".,") if title.split() else ""
    return f"the {title}" if last in _NOUNS else f"the {title} {noun}"


def role(f: Facts, noun: str = "role") -> str:
    """'the Data Engineer role at Acme', 'the Data Engineer role', 'the opening at Acme'."""
    if f.title:
        base = _named(f.title, noun)
        return f"{base} at {f.org}" if f.org else base
    if f.org:
        return f"the {'search' if noun == 'search' else 'opening'} at {f.org}"
    return f"the {noun}"


def has_role(f: Facts) -> bool:
    return bool(f.title or f.org)


def about_role(f: Facts, noun: str = "role", *, word: str = "about") -> str:
    """' about the Data Engineer role at Acme', or '' when we know neither."""
    return f" {word} {role(f, noun)}" if has_role(f) else ""


def topic(f: Facts) -> str:
    """A short name of the subject for subject lines."""
    return f.title or f.org or ""


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def recap(points: tuple[str, ...]) -> str:
    return end_sentence(join_list(points))


def value_para(f: Facts, *, rank: int, news_lead: str = "") -> tuple[Para, ...]:
    """The item of value (R10) as one sentence in our own words, varied by its kind, with its
    link on a line of its own so it stays clickable."""
    v = f.value
    if v is None:
        return ()
    t = v.title
    url = f"\n{v.url}" if v.url and not f.spoken else ""
    if v.kind is ValueKind.NEWS:
        team = f"the team at {f.org}" if f.org else "your team"
        text = f.pick(
            f"I read “{t}” and wondered what it means for {team}.",
            f"“{t}” caught my eye, and I'd be curious how it looks from inside {team}.",
        )
    elif v.kind is ValueKind.ARTICLE:
        if f.spoken:
            text = f"I recently read “{t}”, which made me think of you; I'd be glad to send it over."
        else:
            text = f.pick(
                f"“{t}” made me think of you and the problems your team works on.",
                f"I came across “{t}” and thought of our conversation, so here it is.",
            )
    elif v.kind is ValueKind.ACHIEVEMENT:
        lead = news_lead or f.pick("Some news from my side:", "Something I finished recently:")
        text = f"{lead} {end_sentence(t)}"
    elif f.spoken:
        text = f"As you kindly offered, I'd be glad to send you {t}."
    elif v.url:
        text = f"As you kindly offered, here is {t}."
    else:
        text = f"As you kindly offered, I've attached {t}."
    return (Para(text + url, rank),)


def closing(f: Facts, written: str) -> str:
    return "Thank you, and have a good day." if f.spoken else written


def writing(f: Facts) -> str:
    return "calling" if f.spoken else "writing"


# -- the templates, in R6's order ------------------------------------------------------------


def thank_you(f: Facts) -> Message:
    if f.occasion == "accepted":
        return _thank_you_for_help(f)
    subject = f"Thank you – {topic(f)}" if topic(f) else "Thank you for your time"
    if has_role(f):
        opening = f.pick(
            f"Thank you for the time you spent with me talking about {role(f)}.",
            f"Thank you for talking with me about {role(f)}; I appreciated how openly you described the work.",
        )
    else:
        opening = "Thank you for the time you spent talking with me."
    paras = [Para(opening)]
    if len(f.points) == 1:
        paras.append(Para(f"One thing from our conversation stays with me: {recap(f.points)}"))
    elif f.points:
        paras.append(Para(f"A few things from our conversation stay with me: {recap(f.points)}"))
    paras.append(
        Para(
            f.pick(
                "It left me even more enthusiastic about the work, and I'm happy to send anything "
                "else that would help.",
                "I came away more excited about what the team is building, and I'd be glad to answer "
                "any further questions.",
            ),
            1 if not f.points else 3,
        )
    )
    paras.extend(value_para(f, rank=2))
    return Message(subject, tuple(paras), closing(f, "Thank you again,"))


def _thank_you_for_help(f: Facts) -> Message:
    if f.joining and f.org:
        news = f"I'm delighted to be joining {f.org}, and I'm grateful for your part in making it happen."
    elif has_role(f):
        news = f"I wanted you to hear it from me: I've accepted {role(f)}."
    else:
        news = "I wanted you to hear it from me: I've accepted a new role."
    paras = [Para(news)]
    if not f.joining:
        paras.append(Para("Your help along the way made a real difference, and I'm grateful for it."))
    paras.append(Para("I'd love to stay in touch, and to return the favour whenever I can.", 1))
    return Message("Thank you, and some news", tuple(paras), closing(f, "With thanks,"))


def reply(f: Facts) -> Message:
    subject = f"Re: {topic(f)}" if topic(f) else "Re: your message"
    if f.occasion == "rejection":
        team = f"the team at {f.org}" if f.org else "you and the team"
        paras: tuple[Para, ...] = (
            Para(
                f"Thank you for letting me know your decision{about_role(f, word='on')}, "
                "and for your time throughout the process."
            ),
            Para(f"I enjoyed getting to know {team}, and I'd be glad to keep in touch."),
            Para("If you ever have a minute, I'd value a word on what would have made my application stronger.", 1),
        )
        return Message(subject, paras, closing(f, "Warm regards,"))
    if f.occasion == "offer":
        what = f" for {role(f)}" if has_role(f) else ""
        paras = (
            Para(f"Thank you for the offer{what}; I'm delighted, and grateful for your confidence."),
            Para("I'm going through the details carefully and will come back to you soon with my answer."),
        )
        return Message(subject, paras, closing(f, "With thanks,"))
    paras = (
        Para(f"Thank you for your message{about_role(f)}; I'm glad to hear from you."),
        Para(
            "I'm happy to answer any questions, share more detail, or find a time to talk, whichever suits you best.",
            1,
        ),
        *value_para(f, rank=2),
    )
    return Message(subject, paras, closing(f, "Best regards,"))


def intake_follow_up(f: Facts) -> Message:
    subject = f"{f.title}: candidate profile and two questions" if f.title else "Candidate profile and two questions"
    search = role(f, "search") if has_role(f) else "your search"
    paras = [Para(f"Thank you for the intake call about {search}.")]
    if f.points:
        paras.append(Para(f"Here is the candidate profile as I understood it: {recap(f.points)}"))
    else:
        paras.append(
            Para("I've written up the candidate profile from our call and want to be sure I have it right.", 1)
        )
    paras.append(
        Para(
            "Before I start sourcing: which requirements are must-haves, and which could flex for the "
            "right person? And who should meet the finalists, and when?"
        )
    )
    paras.extend(value_para(f, rank=1))
    paras.append(Para("I'll send the first profiles as soon as you confirm.", 2))
    return Message(subject, tuple(paras), closing(f, "Best regards,"))


def feedback_request(f: Facts) -> Message:
    if f.occasion == "interview":
        subject = f"{f.title}: how did the interview go?" if f.title else "How did the interview go?"
        paras: list[Para] = [
            Para(f"Thank you for interviewing my candidate{' for ' + role(f) if has_role(f) else ''}{on(f.since)}."),
            Para(
                "How did it go? A few words on strengths and concerns let me brief the candidate and "
                "plan the next step quickly."
            ),
        ]
    else:
        subject = f"{f.title}: your view on the candidates" if f.title else "Your view on the candidates"
        search = role(f, "search") if has_role(f) else "your search"
        paras = [
            Para(
                f"I sent you candidates for {search}{on(f.since) or ' recently'}, and your view on them would help me a great deal."
            ),
            Para(
                "Even a line on each, who should move forward and what is missing, lets me sharpen the "
                "search and keep the strongest people engaged."
            ),
        ]
    paras.extend(value_para(f, rank=1))
    return Message(subject, tuple(paras), closing(f, "Many thanks,"))


def status_inquiry(f: Facts) -> Message:
    subject = f"{f.title}: any news on next steps?" if f.title else "Any news on next steps?"
    if f.decision:
        opening = (
            f"You mentioned a decision{about_role(f, word='on')} around {day_name(f.decision)}, "
            f"so I'm {writing(f)} to ask how things stand."
        )
    else:
        interview = f"our interview for {role(f)}" if has_role(f) else "our interview"
        opening = (
            f"Since {interview}{on(f.since)}, I've kept thinking about the work, so I'm {writing(f)} "
            "to ask how things are moving."
        )
    paras = (
        Para(opening),
        Para("I remain very interested, and any word on timing or next steps would help me plan."),
        *value_para(f, rank=1),
        Para("If anything more from me would help, just let me know.", 2),
    )
    return Message(subject, paras, closing(f, "Best regards,"))


def _unanswered(f: Facts) -> tuple[str, str]:
    """The message still waiting for an answer, as (what I sent, what it was about):
    ('my application for the Data Engineer role at Acme', same) or ('a note about X', 'X')."""
    where = role(f) if has_role(f) else ""
    search = role(f, "search") if has_role(f) else ""
    about = f.about
    if about == "application":
        sent = f"my application for {where}" if where else "my application"
        return sent, sent
    if about == "submission":
        sent = f"the candidates for {search}" if search else "the candidates I put forward"
        return sent, sent
    if about == "status inquiry":
        matter = f"next steps for {where}" if where else "next steps"
        return f"my question about {matter}", matter
    if about == "referral ask":
        sent = f"my question about {f.org}" if f.org else "my question about your team"
        return sent, sent
    if about == "feedback request":
        matter = f"the candidates for {search}" if search else "the candidates I put forward"
        return f"a request for your feedback on {matter}", f"your feedback on {matter}"
    if about == "intake follow-up":
        sent = f"the candidate profile for {search}" if search else "the candidate profile"
        return sent, sent
    return (f"a note about {where}", where) if where else ("a note", "my earlier note")


def nudge(f: Facts) -> Message:
    sent, matter = _unanswered(f)
    if f.nudge == 2:
        subject = f"{f.title}: one more short note" if f.title else "One more short note"
        paras: list[Para] = [
            Para(f"I'm {writing(f)} once more about {matter}, in case my earlier messages were buried."),
            *value_para(f, rank=0),
            Para("If the timing isn't right, no problem at all; I'd simply be glad to stay in touch.", 1),
        ]
        return Message(subject, tuple(paras), closing(f, "Kind regards,"))
    subject = f"Did my note about {f.title} reach you?" if f.title else "Did my note reach you?"
    if f.spoken:
        first = f"I'm calling about {matter}, to make sure what I sent{on(f.since)} reached you."
    elif f.about == "application":
        first = (
            f"I sent {sent}{on(f.since)} and want to make sure it reached you, since applications "
            "can get lost on the way."
        )
    else:
        first = (
            f"I sent you {sent}{on(f.since)} and want to make sure it reached you; messages like that are easy to miss."
        )
    paras = [
        Para(first),
        *value_para(f, rank=0),
        Para("If someone else is the better person to ask, a pointer would be very welcome.", 2),
    ]
    return Message(subject, tuple(paras), closing(f, "Best regards,"))


def referral_ask(f: Facts) -> Message:
    subject = f"Your advice on {f.org}" if f.org else "Your advice"
    if f.title:
        first = (
            f"I'm looking closely at {role(f)}, and as you know the team there first-hand, your view "
            "would mean a lot to me."
        )
    elif f.org:
        first = (
            f"{f.org} is high on my list of places where I'd like to contribute, and as you know the "
            "team first-hand, your view would mean a lot to me."
        )
    else:
        first = "I'm thinking about my next step, and your view would mean a lot to me."
    paras = (
        Para(first),
        Para(
            "Could we talk for fifteen minutes in the next week or two? I'd like to hear what the team "
            "values most and, only if it feels right to you afterwards, whether a referral would make sense."
        ),
        *value_para(f, rank=1),
    )
    return Message(subject, paras, closing(f, "Thank you,"))


def check_in(f: Facts) -> Message:
    subject = f"A fresh note about {topic(f)}" if topic(f) else "A fresh note"
    matter = _unanswered(f)[1] if f.about else (role(f) if has_role(f) else "")
    last = f" about {matter}" if matter else ""
    if f.value is not None:
        first = (
            f"Some weeks have passed since I last wrote{last}, and I'd like to pick up the thread with something new."
        )
    else:
        first = f"Some weeks have passed since I last wrote{last}, and the work your team does has stayed with me."
    paras = (
        Para(first),
        *value_para(f, rank=0),
        Para("How have things moved on your side since then? I'd be glad to hear what the team is focused on now."),
    )
    return Message(subject, paras, closing(f, "Best regards,"))


def value_share(f: Facts) -> Message:
    if f.value is not None:
        subject = f"Thought you might like this: {f.value.title}"
        paras: tuple[Para, ...] = (
            *value_para(f, rank=0),
            Para(f"It made me think of {role(f)}." if f.title else "It seemed close to what your team works on.", 1),
            Para("No need to reply; I simply thought it was worth passing on.", 2),
        )
    else:
        subject = f"A thought for the team at {f.org}" if f.org else "A thought for you"
        what = capital(role(f)) if has_role(f) else "Our last conversation"
        paras = (
            Para(f"{what} has stayed on my mind, so I'm {writing(f)} with a question."),
            Para("What is the problem your team most wants solved this quarter? I'd be glad to share ideas."),
        )
    return Message(subject, paras, closing(f, "All the best,"))


def recruiter_update(f: Facts) -> Message:
    subject = f"A progress update from {f.user}" if f.user else "A short progress update"
    paras = (
        Para("Here is a short progress update, so you have the latest picture of my search."),
        *value_para(f, rank=0, news_lead="The main news since we last spoke:"),
        Para(f"My focus is still on roles like {f.title}." if f.title else "", 2),
        Para(
            "I'd be glad to hear what you're seeing in the market, and to suggest people from my "
            "network for any of your searches.",
            1,
        ),
    )
    return Message(subject, tuple(p for p in paras if p.text), closing(f, "Best regards,"))


def achievement_update(f: Facts) -> Message:
    """R12: a new achievement, told to the people behind an open opening."""
    if f.value is not None:
        subject = f"News from my side: {f.value.title}"
    else:
        subject = f"Some news from my side about {topic(f)}" if topic(f) else "Some news from my side"
    why = f"given {role(f)}" if has_role(f) else "given our conversations"
    paras = (
        *value_para(f, rank=0, news_lead="A short piece of news I wanted you to have:"),
        Para(f"I thought you'd like to know, {why}; it is close to the work we talked about.", 1),
        Para("No need to reply.", 2),
    )
    if f.value is None:
        paras = (Para(f"I'm {writing(f)} with a short update on my side, {why}."),)
    return Message(subject, paras, closing(f, "Best regards,"))


def candidate_update(f: Facts) -> Message:
    subject = f"{topic(f)}: an update for you" if topic(f) else "An update for you"
    first = (
        f"Here is your regular update on {role(f)}."
        if has_role(f)
        else "Here is your regular update on where things stand."
    )
    paras = (
        Para(first),
        Para("I'm in touch with the hiring team and will pass on any news the day I hear it."),
        *value_para(f, rank=1),
        Para(
            "If anything has changed for you, such as other interviews, dates or questions, a quick reply "
            "helps me plan.",
            2,
        ),
    )
    return Message(subject, paras, closing(f, "Best regards,"))


def keep_warm(f: Facts) -> Message:
    how = f"how things are going at {f.org}" if f.org and not f.title else "how things are going with the team"
    if f.value is not None:
        subject = f"Thought of you: {f.value.title}"
        paras: tuple[Para, ...] = (
            *value_para(f, rank=0),
            Para(f"I'd be glad to hear {how}.", 1),
        )
    else:
        subject = f"How are things at {f.org}?" if f.org else "How are things?"
        if f.title:
            first = f"{capital(role(f))} is still very much on my mind, so I'm {writing(f)} to ask {how}."
        else:
            team = f" and the team at {f.org}" if f.org else ""
            first = f"It has been a while since we last spoke, and I'd like to hear what you{team} are working on."
        paras = (
            Para(first),
            Para(
                "If there's anything I can help with, from an introduction to a second pair of eyes on "
                "a problem, I'd be happy to.",
                1,
            ),
        )
    return Message(subject, paras, closing(f, "Warm regards,"))


def linkedin_connect(f: Facts) -> Message:
    """R2: a short invite note (the composer keeps it within LinkedIn's 300 characters)."""
    subject = f"LinkedIn invitation to {f.first}" if f.first else "LinkedIn invitation"
    paras = (
        Para(f"thank you for our conversation{about_role(f)}."),
        Para("I enjoyed it and would be glad to stay connected here."),
    )
    return Message(subject, paras, "")


def prospect_outreach(f: Facts) -> Message:
    subject = f"A question for the team at {f.org}" if f.org else "A question for your team"
    if f.title:
        first = (
            f"I'm {writing(f)} because {role(f)} caught my attention, and I'd like to understand the team behind it."
        )
    elif f.org:
        first = (
            f"I'm {writing(f)} because the work at {f.org} is close to my own, and I'd like to understand it better."
        )
    else:
        first = f"I'm {writing(f)} because your team's work is close to my own, and I'd like to understand it better."
    if f.short:
        ask = "Would you be open to a short chat about what your team is focused on?"
    elif f.employer_only:
        ask = (
            "Could you point me to the person who leads this work? I'd welcome fifteen minutes to hear "
            "what the team is focused on right now."
        )
    else:
        ask = (
            "Would you be open to a fifteen-minute conversation in the coming weeks? I'd love to hear what "
            "your team is focused on and what it finds hardest right now."
        )
    paras = (Para(first), *value_para(f, rank=1), Para(ask))
    return Message(subject, paras, closing(f, "Best regards,"))


TEMPLATES: dict[Purpose, Callable[[Facts], Message]] = {
    Purpose.THANK_YOU: thank_you,
    Purpose.REPLY: reply,
    Purpose.INTAKE_FOLLOW_UP: intake_follow_up,
    Purpose.FEEDBACK_REQUEST: feedback_request,
    Purpose.STATUS_INQUIRY: status_inquiry,
    Purpose.NUDGE: nudge,
    Purpose.REFERRAL_ASK: referral_ask,
    Purpose.CHECK_IN: check_in,
    Purpose.VALUE_SHARE: value_share,
    Purpose.ACHIEVEMENT_UPDATE: achievement_update,
    Purpose.RECRUITER_UPDATE: recruiter_update,
    Purpose.CANDIDATE_UPDATE: candidate_update,
    Purpose.KEEP_WARM: keep_warm,
    Purpose.LINKEDIN_CONNECT: linkedin_connect,
    Purpose.PROSPECT_OUTREACH: prospect_outreach,
}
