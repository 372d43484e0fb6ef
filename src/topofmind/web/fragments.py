"""Today's agenda items as HTML, written in Python.

Today shows up to a daily cap of items (40 for a recruiter), each with five forms and a
draft. Through the template language that was ~13 ``{% url %}`` lookups and ~100 template
nodes per item: 80-130 ms of a page whose agenda takes ~10 ms (docs/performance.md). Here
each item is one f-string: the URLs come from one ``reverse`` per route (with a slot for the
id), and every value a user can type goes through ``escape``. The markup is the one the
templates had; tests/integration/test_web_today.py and the browser tests read it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from functools import cache, lru_cache
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from topofmind.crm.planning import AgendaItem
from topofmind.crm.queries import Reach
from topofmind.engine.labels import channel_label, purpose_label
from topofmind.engine.types import Channel
from topofmind.engine.value import LibraryItem
from topofmind.web.templatetags.topofmind import rows_for, when_in

# Django's ``escape`` is ``html.escape(str(value))`` behind a wrapper that checks every
# argument for a lazy string (~40 % of its cost, and Today escapes ~450 values a page).
_html_escape = html.escape


def escape(value: object) -> str:
    """``value`` as HTML text: & < > " ' escaped (the same text Django's ``escape`` gives)."""
    return _html_escape(str(value))

_ID = 987654321  # stands in for the follow-up id in a reversed URL


@cache
def _route(name: str) -> tuple[str, str]:
    """The URL of ``name`` around its id: (before, after). URLs never change in a process."""
    url = reverse(name, args=[_ID])
    before, _, after = url.partition(str(_ID))
    return before, after


def _url(name: str, pk: int) -> str:
    before, after = _route(name)
    return f"{before}{pk}{after}"


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


_SPOKEN = {Channel.PHONE, Channel.VOICEMAIL, Channel.VIDEO}


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` URL that opens the draft in the user's mail app (RFC 6068: every character
    but the unreserved ones percent-encoded, UTF-8, line breaks as CR LF)."""
    lines = "\r\n".join(body.splitlines())
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}&body={quote(lines, safe='')}"


def tel(number: str) -> str:
    """A ``tel:`` URL for a number as the user typed it: digits and a leading plus."""
    digits = re.sub(r"[^0-9]", "", number)
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"


def reach_html(item: AgendaItem, reach: Reach | None) -> str:
    """The recipient's address, number and profile under an item: the item's channel first."""
    if reach is None:
        return ""
    s = item.suggestion
    parts = []
    if reach.email:
        parts.append(("email", f'<a href="mailto:{escape(quote(reach.email, safe="@"))}">{escape(reach.email)}</a>'))
    if reach.phone and tel(reach.phone) != "tel:":
        parts.append(("phone", f'<a href="{escape(tel(reach.phone))}">{escape(reach.phone)}</a>'))
    if reach.linkedin:
        parts.append(
            (
                "linkedin",
                f'<a href="{escape(reach.linkedin)}" rel="noopener noreferrer" target="_blank">LinkedIn profile</a>',
            )
        )
    first = "phone" if s.channel in _SPOKEN else "linkedin" if s.channel == Channel.LINKEDIN else "email"
    parts.sort(key=lambda p: p[0] != first)
    return f'<p class="reach"><span class="muted">Reach:</span> {" · ".join(html for _, html in parts)}</p>'


def open_draft_html(item: AgendaItem, reach: Reach | None) -> str:
    """A link that opens the draft where it goes: the mail app (``mailto:`` with the subject and
    body), the dialler for a call, the profile for a LinkedIn message. The script puts the
    draft as edited into the mail link when it is followed."""
    if reach is None:
        return ""
    channel = item.suggestion.channel
    if channel in _SPOKEN and reach.phone and tel(reach.phone) != "tel:":
        return f'<a class="button" href="{escape(tel(reach.phone))}" title="Call {escape(reach.phone)}">Call</a>'
    if channel == Channel.LINKEDIN and reach.linkedin:
        return (
            f'<a class="button" href="{escape(reach.linkedin)}" rel="noopener noreferrer" target="_blank" '
            f'title="Open their LinkedIn profile">Open LinkedIn</a>'
        )
    if reach.email:
        href = mailto(reach.email, item.draft.subject, item.draft.body)
        return (
            f'<a class="button" href="{escape(href)}" data-mailto="{escape(reach.email)}" '
            f'title="Opens a new message to {escape(reach.email)} in your mail app">Open in mail app</a>'
        )
    return ""


def agenda_list_html(
    items: list[AgendaItem],
    *,
    csrf_token: str,
    now: datetime,
    emailable: frozenset[int] = frozenset(),
    reach: Mapping[int, Reach] | None = None,
) -> str:
    """The whole list, as Today shows it (``csrf_token``: the page's placeholder for the token,
    the same on every view: each item's HTML is remembered, see ``_remembered``)."""
    zone, year = _clock()
    reach = reach or {}
    inner = "".join(
        _remembered(
            item,
            csrf_token,
            _overdue(item, now),
            item.suggestion.person_id in emailable,
            reach.get(item.suggestion.person_id) if item.suggestion.person_id is not None else None,
            zone,
            year,
        )
        for item in items
    )
    return f"<ol class=\"agenda\" aria-label=\"Today's follow-ups\">\n  {inner}\n</ol>\n"


def _clock() -> tuple[tzinfo, int]:
    """What times are shown in: the viewer's zone (Django's active one) and this year there."""
    zone = timezone.get_current_timezone()
    return zone, timezone.now().astimezone(zone).year


def _overdue(item: AgendaItem, now: datetime) -> bool:
    return item.suggestion.due is not None and item.suggestion.due < now


def agenda_item_html(
    item: AgendaItem,
    *,
    csrf_token: str,
    now: datetime,
    emailable: frozenset[int] = frozenset(),
    reach: Mapping[int, Reach] | None = None,
) -> str:
    """One item: what to do, why, when, how to reach them, the one-click actions and the draft."""
    s = item.suggestion
    theirs = (reach or {}).get(s.person_id) if s.person_id is not None else None
    zone, year = _clock()
    return _item_html(item, csrf_token, _overdue(item, now), s.person_id in emailable, theirs, zone, year)


def _item_html(
    item: AgendaItem,
    csrf_token: str,
    overdue: bool,
    can_send: bool,
    theirs: Reach | None,
    zone: tzinfo,
    year: int,
) -> str:
    """One item's HTML from everything it shows: the item (its suggestion, state, draft, what it
    carries, the checker's findings), the token, whether it is overdue, whether Send can reach
    them, how to reach them, and the zone and year its times are written in."""
    s = item.suggestion
    pk = item.followup_id
    purpose = str(s.purpose)
    snoozed = '<span class="badge warn">back from snooze</span>' if item.state == "snoozed" else ""
    if s.person_id:
        who = f'<a href="{_url("web:person", s.person_id)}">{escape(s.person_name)}</a>'
    else:
        who = escape(s.organization_name)
    employer = ""
    if s.organization_name and s.person_id:
        if s.organization_id:
            org = f'<a href="{_url("web:organization", s.organization_id)}">{escape(s.organization_name)}</a>'
        else:
            org = escape(s.organization_name)
        employer = f'<small class="muted">· {org}</small>'
    opening = ""
    if s.opportunity_id:
        opening = (
            f'<p class="muted">Opening: <a href="{_url("web:opportunity", s.opportunity_id)}">'
            f"{escape(s.opportunity_title)}</a></p>"
        )
    if overdue:
        due = f'<p class="due overdue">Overdue since {escape(when_in(s.due, zone, year))}</p>'
    elif "due" not in s.why:
        due = f'<p class="due">Due {escape(when_in(s.due, zone, year))}</p>'
    else:
        due = ""
    window = f'<p class="due">{escape(s.call_window)}</p>' if s.call_window and s.call_window not in s.why else ""
    token = _csrf(csrf_token)
    done, snooze, skip = (_url(f"web:followup_{a}", pk) for a in ("done", "snooze", "skip"))
    target = f'hx-target="#item-{pk}" hx-swap="outerHTML"'
    return f"""
<li class="item" id="item-{pk}" data-purpose="{escape(purpose)}">
  <div class="what">
    <div class="meta">
      <span class="badge purpose-{escape(purpose)}">{escape(purpose_label(s.purpose))}</span>
      <span class="badge">{escape(channel_label(s.channel))}</span>
      <span class="badge rule" title="The rule that suggested this">{escape(s.rule)}</span>
      {snoozed}
    </div>
    <h2>
      {who}
      {employer}
    </h2>
    {opening}
    {reach_html(item, theirs)}
    <p class="why"><span class="visually-hidden">Why: </span>{escape(s.why)}</p>
    {due}
    {window}
    <div class="quick" role="group" aria-label="Act on this follow-up">
      <form method="post" action="{done}" hx-post="{done}" {target}>{token}
        <button type="submit" title="I did it: logs the touch">Done</button>
      </form>
      <form method="post" action="{snooze}" hx-post="{snooze}" {target}>{token}
        <input type="hidden" name="days" value="1">
        <button type="submit" title="Hide it until tomorrow">Snooze</button>
      </form>
      <form method="post" action="{skip}" hx-post="{skip}" {target}>{token}
        <button type="submit" title="Not doing this one: it will not come back">Skip</button>
      </form>
    </div>
  </div>
  <div class="side">
  {draft_html(item, csrf_token=csrf_token, can_send=can_send, reach=theirs)}
  {value_html(item, csrf_token=csrf_token)}
  </div>
</li>
"""


# Today renders its whole list whenever its page cache misses - after any change to the agenda
# (a click on Done changes one item of forty), and whenever the clock passes an item's instant -
# and each item's HTML is a pure function of the arguments of ``_item_html``: the list keeps
# the last few thousand by those arguments, so an unchanged item is not written again. Nothing
# can go stale: anything that changes what an item shows changes its key. (The page passes the
# same placeholder for the token every time; one-item answers, with a real token, do not come here.)
_remembered = lru_cache(maxsize=2048)(_item_html)


_KIND_WORDS = {"article": "Article", "news": "News", "achievement": "Achievement", "material": "Material"}


def _item_words(item: LibraryItem) -> str:
    return f"{_KIND_WORDS.get(item.kind.value, item.kind.value)} · {item.title}"


def value_html(item: AgendaItem, *, csrf_token: str) -> str:
    """R10: what the draft carries, with a picker for another item or none; or why it carries nothing."""
    carried = item.carried
    if carried is None:
        return ""
    pk = item.followup_id
    chosen = carried.item
    if chosen is not None:
        kind = escape(_KIND_WORDS.get(chosen.kind.value, chosen.kind.value))
        title = escape(chosen.title)
        link = (
            f'<a href="{escape(chosen.url)}" rel="noopener noreferrer" target="_blank">{title}</a>'
            if chosen.url
            else title
        )
        yours = " (your choice)" if carried.choice == "item" else ""
        shown = f'<p class="carries">Carries{yours}: <span class="badge">{kind}</span> {link}</p>'
    elif carried.choice == "none":
        shown = '<p class="carries muted">Carries nothing this time (your choice).</p>'
    else:
        shown = f'<p class="carries note" role="note">{escape(carried.note_sentence())}.</p>'
    options = ['<option value="">Let topofmind pick</option>']
    if chosen is not None and carried.choice == "item":
        options.append(f'<option value="item:{chosen.id}" selected>{escape(_item_words(chosen))}</option>')
    for other in carried.alternatives:
        options.append(f'<option value="item:{other.id}">{escape(_item_words(other))}</option>')
    selected = " selected" if carried.choice == "none" else ""
    options.append(f'<option value="none"{selected}>Nothing this time</option>')
    url = _url("web:followup_value", pk)
    return f"""<div class="value" id="value-{pk}">
  {shown}
  <form class="value-pick" method="post" action="{url}" hx-post="{url}" hx-target="#item-{pk}" hx-swap="outerHTML">
    {_csrf(csrf_token)}
    <label for="value-choice-{pk}">Carry instead</label>
    <select id="value-choice-{pk}" name="choice">{"".join(options)}</select>
    <button type="submit">Use</button>
  </form>
</div>"""


def checks_html(item: AgendaItem) -> str:
    """The draft checker's findings (R10), each with the sentence it points at; announced as they change."""
    pk = item.followup_id
    url = _url("web:followup_check", pk)
    if not item.findings:
        inner = ""
    else:
        rows = "".join(
            f'<li class="check-{escape(f.kind)}"><span>{escape(f.message[:1].upper() + f.message[1:])}</span>'
            f" <q>{escape(f.sentence)}</q></li>"
            for f in item.findings
        )
        inner = f'<p class="checks-title">Before you send:</p><ul>{rows}</ul>'
    return f'<div class="draft-checks" id="checks-{pk}" data-check-url="{url}" aria-live="polite">{inner}</div>'


def draft_html(
    item: AgendaItem,
    *,
    csrf_token: str,
    saved: bool = False,
    error: str = "",
    can_send: bool = False,
    reach: Reach | None = None,
) -> str:
    """The draft form beside an item (also what htmx swaps in after "Save draft"); ``can_send``
    adds Send: the user has a mail account and the person an e-mail address; ``reach`` adds
    the link that opens the draft in the mail app or the dialler."""
    s = item.suggestion
    pk = item.followup_id
    save, sent = _url("web:followup_draft", pk), _url("web:followup_sent", pk)
    whom = escape(s.person_name or s.organization_name)
    yours = ' <small class="muted">(your wording)</small>' if item.draft_edited else ""
    note = "Draft saved." if saved else ""
    problem = f'<span class="error" role="alert">{escape(error)}</span>' if error else ""
    body = escape(item.draft.body)
    send_button = ""
    if can_send:
        send = _url("web:followup_send", pk)
        send_button = f"""
    <button type="submit" formaction="{send}" hx-post="{send}" hx-target="#item-{pk}" hx-swap="outerHTML"
            title="Send it by e-mail from your own mailbox, once">Send</button>"""
    return f"""<form class="draft" id="draft-{pk}" method="post" action="{save}"
      hx-post="{save}" hx-target="this" hx-swap="outerHTML" aria-label="Draft for {whom}">
  {_csrf(csrf_token)}
  <div class="field">
    <label for="subject-{pk}">Subject</label>
    <input type="text" id="subject-{pk}" name="subject" value="{escape(item.draft.subject)}" maxlength="300">
  </div>
  <div class="field">
    <label for="body-{pk}">Draft{yours}</label>
    <textarea id="body-{pk}" name="body" rows="{rows_for(item.draft.body)}" aria-describedby="checks-{pk}"
              hx-post="{_url("web:followup_check", pk)}" hx-trigger="input changed delay:600ms"
              hx-target="#checks-{pk}" hx-swap="outerHTML">{body}</textarea>
  </div>
  {checks_html(item)}
  <div class="buttons">
    <button type="submit" class="primary" formaction="{sent}"
            hx-post="{sent}" hx-target="#item-{pk}" hx-swap="outerHTML"
            title="It went out as written: logs the touch">Mark sent</button>{send_button}
    {open_draft_html(item, reach)}
    <button type="button" data-copy-draft>Copy</button>
    <button type="submit">Save draft</button>
    <span class="copied saved" role="status">{note}</span>
    {problem}
  </div>
</form>"""
