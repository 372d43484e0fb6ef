"""Mail from applicant-tracking systems: which system, which company, which job, what news.

The system is known by the domain it sends from (From, Sender, Reply-To, Return-Path, the
Message-ID's host) or by a header it adds. Companies usually put their own name in the display
name ("Acme Recruiting", "Acme via Greenhouse") or in the subject ("Your application to Acme");
the category comes from the words of the subject and text, rejections checked first because a
rejection also thanks you for applying.
"""

from __future__ import annotations

import re

from .model import AtsCategory, AtsMail, ParsedMessage

# Sending domains (a subdomain matches too) -> the system's name.
ATS_DOMAINS: dict[str, str] = {
    "greenhouse.io": "Greenhouse",
    "greenhouse-mail.io": "Greenhouse",
    "lever.co": "Lever",
    "myworkday.com": "Workday",
    "workday.com": "Workday",
    "smartrecruiters.com": "SmartRecruiters",
    "smartrecruiters-mail.com": "SmartRecruiters",
    "ashbyhq.com": "Ashby",
    "icims.com": "iCIMS",
    "taleo.net": "Taleo",
    "jobvite.com": "Jobvite",
    "recruitee.com": "Recruitee",
    "personio.de": "Personio",
    "personio.com": "Personio",
    "teamtailor.com": "Teamtailor",
    "teamtailor-mail.com": "Teamtailor",
    "workablemail.com": "Workable",
    "workable.com": "Workable",
    "bamboohr.com": "BambooHR",
    "applytojob.com": "JazzHR",
    "breezy.hr": "Breezy HR",
    "successfactors.com": "SAP SuccessFactors",
    "successfactors.eu": "SAP SuccessFactors",
    "softgarden.io": "softgarden",
    "join.com": "JOIN",
    "pinpointhq.com": "Pinpoint",
    "rippling.com": "Rippling",
}
# Header names some systems add when they send from the company's own domain.
_ATS_HEADERS = {"x-greenhouse": "Greenhouse", "x-lever": "Lever", "x-smartrecruiters": "SmartRecruiters"}

_GENERIC_NAMES = re.compile(
    r"^(no[-_. ]?reply|do[-_. ]?not[-_. ]?reply|notifications?|mailer|system|jobs?|careers?"
    r"|((the\s+)?(talent\s+acquisition|recruiting|recruitment|hiring|talent|people|careers?|hr|personal)(\s+team)?)|"
    + "|".join(re.escape(name.lower()) for name in set(ATS_DOMAINS.values()))
    + r")$",
    re.IGNORECASE,
)
_NAME_DECOR = re.compile(
    r"(\s+(via|through|über|par|por)\s+\S+.*$)|(\s*[-|@(].*$)"
    r"|(\s+(talent acquisition|talent team|recruiting team|recruitment team|hiring team|people team|careers team"
    r"|recruiting|recruitment|careers|jobs|talent|hr|hiring|team|personalabteilung|karriere|recrutement|empleo|rrhh)\b.*$)"
    r"|(^(the\s+)?(recruiting|talent|hiring|careers|jobs)\s+(team\s+)?(at|@|bei)\s+)",
    re.IGNORECASE,
)
_COMPANY_IN_TEXT = re.compile(
    r"(?i:applying|application|applied|interest)\s+(?i:to|at|with|for\s+a\s+role\s+at|in)\s+"
    r"(?P<company>[A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9][\w&.'-]*){0,3})"
    r"|(?i:bewerbung|interesse)\s+(?i:bei|an|für)\s+(?:der\s+|die\s+|dem\s+)?(?P<company_de>[A-Z0-9][\w&.'-]*(?:\s+[A-Z0-9][\w&.'-]*){0,3})",
)
_JOB_IN_TEXT = re.compile(
    r"(?:(?:application|applying|applied)\s+for\s+(?:the\s+)?(?:position\s+of\s+|role\s+of\s+)?"
    r"|(?:for|as)\s+(?:the|our)\s+(?=[^\n]{0,80}\b(?:position|role|opening)\b)"
    r"|bewerbung\s+(?:als|für\s+die\s+stelle(?:\s+als)?|auf\s+die\s+stelle(?:\s+als)?)\s+"
    r"|(?:position|role|job|stelle|poste|puesto)\s*:\s*)"
    r"[\"'“„]?(?P<title>[^\n\"'”“,.!?;:]{3,80}?)[\"'”“]?"
    r"(?=\s+(?:position|role|opening|at|bei|with|in\s+our|has|is|was)\b|[\n,.!?;:]|$)",
    re.IGNORECASE,
)

_REJECTION = re.compile(
    r"(unfortunately|regret to inform|not\s+(to\s+)?(move|moving|proceed|proceeding)\s+forward|other\s+candidates"
    r"|decided\s+to\s+(pursue|move\s+forward\s+with|go\s+with)\s+(other|another)|will\s+not\s+be\s+(progressing|moving)"
    r"|position\s+has\s+been\s+filled|no\s+longer\s+(being\s+)?considered|not\s+selected"
    r"|leider|absage|nicht\s+weiter\s+ber[üu]cksichtig|anderen?\s+(kandidat|bewerber)|nicht\s+in\s+die\s+engere\s+wahl"
    r"|malheureusement|lamentablemente)",
    re.IGNORECASE,
)
_INTERVIEW = re.compile(
    r"(would\s+(like|love)\s+to\s+(invite|schedule|set\s+up|arrange|meet)|invit(e|ing)\s+you\s+(to|for)\s+(a|an)\s+"
    r"|interview\s+invitation|invitation\s+to\s+(an?\s+)?interview|schedule\s+(a|an|your)\s+(\w+\s+)?(interview|call|chat|time)"
    r"|(book|select|choose|pick)\s+a\s+time|your\s+availability|phone\s+screen"
    r"|einladung\s+zu(m|r)?\s+(\w+\s+)?\w*gespr[äa]ch|zu\s+einem\s+(\w+\s+)?\w*gespr[äa]ch\s+einladen|terminvorschl"
    r"|convocation\s+[àa]\s+un\s+entretien|invitaci[óo]n\s+a\s+una\s+entrevista)",
    re.IGNORECASE,
)
# "If your profile fits, we would like to invite you ..." promises nothing yet.
_CONDITIONAL = re.compile(r"\b(if|should|once|falls|wenn|sollte[n]?|si)\b", re.IGNORECASE)
_RECEIVED = re.compile(
    r"(thank(s|\s+you)\s+(you\s+)?for\s+(your\s+)?(applying|application|interest)|received\s+your\s+application"
    r"|application\s+(has\s+been\s+|was\s+)?(received|submitted)|we\s+have\s+received"
    r"|eingang\s+ihrer\s+bewerbung|bewerbung\s+(ist\s+)?(bei\s+uns\s+)?eingegangen|bewerbung\s+erhalten"
    r"|(vielen\s+)?dank\s+f[üu]r\s+(ihre|deine)\s+bewerbung|candidature\s+(a\s+bien\s+été\s+)?re[çc]ue|hemos\s+recibido)",
    re.IGNORECASE,
)


def _host(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower()


_DOMAIN_ORDER = {domain: n for n, domain in enumerate(ATS_DOMAINS)}


def _system_for_host(host: str) -> str | None:
    """The system whose domain is the host or a parent of it (the first listed, if several):
    a look-up per label of the host rather than a pass over every domain."""
    found: list[str] = []
    while host:
        if host in ATS_DOMAINS:
            found.append(host)
        host = host.partition(".")[2]
    return ATS_DOMAINS[min(found, key=_DOMAIN_ORDER.__getitem__)] if found else None


def detect_system(msg: ParsedMessage) -> str | None:
    """The applicant-tracking system that sent ``msg``, or None."""
    hosts = [_host(addr.address) for addr in (msg.sender, *msg.reply_to) if addr is not None]
    hosts += [_host(value) for name in ("sender", "return-path") for value in msg.header_values(name)]
    if msg.message_id:
        hosts.append(_host(msg.message_id))
    for host in hosts:
        system = _system_for_host(host)
        if system:
            return system
    for name, system in _ATS_HEADERS.items():
        if any(key.startswith(name) for key, _ in msg.headers):
            return system
    return None


def _clean_company(name: str) -> str | None:
    name = name.strip().strip("\"'")
    name = _NAME_DECOR.sub("", name).strip(" ,.-")
    if not name or _GENERIC_NAMES.match(name) or "@" in name:
        return None
    return name


def _company(msg: ParsedMessage) -> str | None:
    if msg.sender is not None:
        company = _clean_company(msg.sender.name)
        if company:
            return company
    for text in (msg.subject, msg.text[:2000]):
        match = _COMPANY_IN_TEXT.search(text)
        if match:
            company = _clean_company(match["company"] or match["company_de"] or "")
            if company:
                return company
    return None


def _job_title(msg: ParsedMessage) -> str | None:
    for text in (msg.subject, msg.text[:2000]):
        match = _JOB_IN_TEXT.search(text)
        if match:
            title = " ".join(match["title"].split()).strip(" -")
            if title and not title.lower().startswith(("a ", "an ", "your ", "this ", "our ")):
                return title
    return None


def _category(msg: ParsedMessage) -> AtsCategory:
    words = f"{msg.subject}\n{msg.new_text or msg.text}"
    if _REJECTION.search(words):
        return AtsCategory.REJECTION
    for match in _INTERVIEW.finditer(words):
        sentence_start = max(words.rfind(mark, 0, match.start()) for mark in (".", "!", "?", "\n\n"))
        if not _CONDITIONAL.search(words[sentence_start + 1 : match.start()]):
            return AtsCategory.INTERVIEW
    if _RECEIVED.search(words):
        return AtsCategory.RECEIVED
    return AtsCategory.OTHER


def read_ats(msg: ParsedMessage) -> AtsMail | None:
    """What an applicant-tracking system's mail says, or None when no such system sent it."""
    system = detect_system(msg)
    if system is None:
        return None
    return AtsMail(system=system, company=_company(msg), job_title=_job_title(msg), category=_category(msg))
