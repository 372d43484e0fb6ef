"""Settings → Mail: set up the account, test it, see how sending and the mailbox sync go, in words;
the review list of mail the sync left for the user ("add as a person?", ATS suggestions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from topofmind import tasks
from topofmind.crm import queries, services
from topofmind.crm.errors import Invalid, TopofmindError
from topofmind.web.common import describe, get_or_404, now, page, safe_next, workspace_of
from topofmind.web.common import user_id as user_id_of
from topofmind.web.forms import MailAccountForm

# The service names a field the way the CLI spells it; the form has its own names.
_FORM_FIELD = {
    "--imap-host": "imap_host",
    "--imap-port": "imap_port",
    "--imap-security": "imap_security",
    "--smtp-host": "smtp_host",
    "--smtp-port": "smtp_port",
    "--smtp-security": "smtp_security",
    "--username": "username",
    "--address": "addresses",
    "the password": "password",
    "password": "password",
    "digest hour": "digest_hour",
}


def _initial(status: queries.MailStatus) -> dict[str, Any]:
    account = status.account
    if account is None:
        return {}
    return {
        "imap_host": account.imap_host,
        "imap_port": account.imap_port,
        "imap_security": account.imap_security,
        "smtp_host": account.smtp_host,
        "smtp_port": account.smtp_port,
        "smtp_security": account.smtp_security,
        "username": account.username,
        "addresses": ", ".join(account.addresses),
        "from_name": account.from_name,
        "digest_hour": account.digest_hour,
    }


@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    user_id = user_id_of(request)
    status = tasks.mail_status(user_id=user_id, workspace=workspace)
    form = MailAccountForm(initial=_initial(status))
    if request.method == "POST":
        form = MailAccountForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                moment = now()
                services.setup_mail_account(
                    user_id=user_id,
                    imap_host=data["imap_host"],
                    imap_port=data["imap_port"],
                    imap_security=data["imap_security"],
                    smtp_host=data["smtp_host"],
                    smtp_port=data["smtp_port"],
                    smtp_security=data["smtp_security"],
                    username=data["username"],
                    password=data["password"] or None,
                    addresses=data["addresses"].split(","),
                    from_name=data["from_name"],
                    now=moment,
                )
                services.set_digest(user_id=user_id, hour=data["digest_hour"], now=moment)
            except Invalid as exc:
                message = describe(exc).removeprefix(f"{exc.field}: ")
                form.add_error(_FORM_FIELD.get(exc.field), message[:1].upper() + message[1:])
            except TopofmindError as exc:
                form.add_error(None, describe(exc))
            else:
                messages.success(request, "Mail account saved. Test it to see that both servers answer.")
                return HttpResponseRedirect(reverse("web:mail_settings"))
    context = {
        "form": form,
        "status": status,
        "sync": queries.sync_status(user_id),
        "reviews_open": queries.open_review_count(workspace),
    }
    return page(request, "web/mail.html", context, section="settings")


@require_POST
def mail_test(request: HttpRequest) -> HttpResponse:
    workspace_of(request)
    try:
        check = services.check_mail_account(user_id=user_id_of(request), now=now())
    except TopofmindError as exc:
        messages.error(request, describe(exc))
    else:
        for line in check.lines:
            (messages.success if check.ok else messages.error)(request, line)
    return HttpResponseRedirect(reverse("web:mail_settings"))


@require_POST
def mail_sync(request: HttpRequest) -> HttpResponse:
    """ "Sync now": the account's sync goes on the queue; the page says when it has run."""
    workspace_of(request)
    try:
        tasks.request_sync(user_id=user_id_of(request))
    except TopofmindError as exc:
        messages.error(request, describe(exc))
    except tasks.QueueError as exc:
        messages.error(request, f"The sync could not be queued: {exc}")
    else:
        messages.success(
            request, "Reading your mailbox now: replies, out-of-office notes and bounces appear as it goes."
        )
    return HttpResponseRedirect(safe_next(request, reverse("web:mail_settings")))


def mail_review(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    context = {"items": queries.mail_reviews(workspace), "sync": queries.sync_status(user_id_of(request))}
    return page(request, "web/mail_review.html", context, section="settings")


@require_POST
def mail_review_accept(request: HttpRequest, review_id: int) -> HttpResponse:
    name = request.POST.get("name", "")[:200]
    return _settle_review(
        request, services.accept_review, review_id, "Done: the change is made and the agenda follows it.", name=name
    )


@require_POST
def mail_review_dismiss(request: HttpRequest, review_id: int) -> HttpResponse:
    return _settle_review(request, services.dismiss_review, review_id, "Dismissed: that mail is left alone.")


def _settle_review(
    request: HttpRequest, settle: Callable[..., object], review_id: int, done: str, **extra: Any
) -> HttpResponse:
    """Confirm or dismiss one item of the review list, then back to the list with what happened:
    ``done`` if the service settled it, its error in words if not, a 404 for an item not there."""
    workspace = workspace_of(request)
    try:
        get_or_404("review item", settle, workspace=workspace, review_id=review_id, now=now(), **extra)
    except TopofmindError as exc:
        messages.error(request, describe(exc))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("web:mail_review"))


@require_POST
def send_resolve(request: HttpRequest, send_id: int) -> HttpResponse:
    """A send whose outcome was unknown: the user looked in Sent and says how it went."""
    workspace = workspace_of(request)
    outcome = request.POST.get("outcome", "")
    if outcome not in ("sent", "not_sent"):
        messages.error(request, "Not changed: say whether the message was sent or not.")
        return HttpResponseRedirect(reverse("web:mail_settings"))
    try:
        row = get_or_404(
            "send",
            services.resolve_unknown_send,
            workspace=workspace,
            user_id=user_id_of(request),
            send_id=send_id,
            sent=outcome == "sent",
            now=now(),
        )
    except TopofmindError as exc:
        messages.error(request, describe(exc))
        return HttpResponseRedirect(reverse("web:mail_settings"))
    if row.state == "sent":
        messages.success(request, f"Marked sent: “{row.subject}” to {row.to_address} is logged as a touch.")
    else:
        messages.success(request, f"Marked not sent: “{row.subject}” to {row.to_address} is back on Today.")
    return HttpResponseRedirect(reverse("web:mail_settings"))
