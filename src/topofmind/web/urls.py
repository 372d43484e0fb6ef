"""The web app's addresses. Every view needs a signed-in user (LoginRequiredMiddleware)
except sign-in itself; static files are answered by whitenoise before any view."""

from __future__ import annotations

from django.urls import path

from topofmind.web.views import (
    access,
    auth,
    board,
    exports,
    imports,
    library,
    mail,
    opportunities,
    organizations,
    people,
    review,
    search,
    settings,
    today,
    touches,
    workspaces,
)

app_name = "web"

urlpatterns = [
    path("", today.today, name="today"),
    path("signin/", auth.SignInView.as_view(), name="login"),
    path("signout/", auth.SignOutView.as_view(), name="logout"),
    path("account/", auth.account, name="account"),
    path("account/signout-everywhere/", auth.sign_out_everywhere, name="sign_out_everywhere"),
    # Today's items: one click each (htmx), and the draft beside them
    path("followups/<int:followup_id>/done/", today.done, name="followup_done"),
    path("followups/<int:followup_id>/snooze/", today.snooze, name="followup_snooze"),
    path("followups/<int:followup_id>/skip/", today.skip, name="followup_skip"),
    path("followups/<int:followup_id>/draft/", today.save_draft, name="followup_draft"),
    path("followups/<int:followup_id>/sent/", today.mark_sent, name="followup_sent"),
    path("followups/<int:followup_id>/send/", today.send, name="followup_send"),
    path("followups/<int:followup_id>/value/", today.choose_value, name="followup_value"),
    path("followups/<int:followup_id>/check/", today.check_draft, name="followup_check"),
    path("followups/<int:followup_id>/undo/", today.undo, name="followup_undo"),
    # touches
    path("log/", touches.log, name="log"),
    path("log/quick/", touches.quick_log, name="quick_log"),
    path("log/openings/", touches.opening_options, name="opening_options"),
    path("touches/", touches.touch_list, name="touches"),
    path("touches/<int:touch_id>/edit/", touches.touch_edit, name="touch_edit"),
    path("touches/<int:touch_id>/delete/", touches.touch_delete, name="touch_delete"),
    path("people/options/", touches.person_options, name="person_options"),
    # people
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/stop/", people.person_stop, name="person_stop"),
    path("people/<int:person_id>/resume/", people.person_resume, name="person_resume"),
    path("people/<int:person_id>/delete/", people.person_delete, name="person_delete"),
    path("people/<int:person_id>/merge/", people.person_merge, name="person_merge"),
    # organizations
    path("organizations/", organizations.organizations, name="organizations"),
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path("organizations/<int:organization_id>/", organizations.organization, name="organization"),
    path("organizations/<int:organization_id>/edit/", organizations.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:organization_id>/delete/", organizations.organization_delete, name="organization_delete"
    ),
    # openings
    path("openings/", opportunities.opportunities, name="opportunities"),
    path("openings/new/", opportunities.opportunity_new, name="opportunity_new"),
    path("openings/<int:opportunity_id>/", opportunities.opportunity, name="opportunity"),
    path("openings/<int:opportunity_id>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("openings/<int:opportunity_id>/delete/", opportunities.opportunity_delete, name="opportunity_delete"),
    path("openings/<int:opportunity_id>/stage/", opportunities.stage_move, name="stage_move"),
    path("openings/<int:opportunity_id>/people/", opportunities.participant_add, name="participant_add"),
    path(
        "openings/<int:opportunity_id>/people/<int:person_id>/remove/",
        opportunities.participant_remove,
        name="participant_remove",
    ),
    path("library/", library.library, name="library"),
    path("library/articles/", library.article_add, name="article_add"),
    path("library/achievements/", library.achievement_add, name="achievement_add"),
    path("library/materials/", library.material_add, name="material_add"),
    path("library/<int:item_id>/remove/", library.item_remove, name="item_remove"),
    path("organizations/<int:organization_id>/feeds/", library.feed_add, name="feed_add"),
    path("feeds/<int:feed_id>/remove/", library.feed_remove, name="feed_remove"),
    path("feeds/fetch/", library.feeds_fetch, name="feeds_fetch"),
    path("board/", board.board, name="board"),
    path("review/", review.review, name="review"),
    path("search/", search.search, name="search"),
    path("settings/", settings.settings_page, name="settings"),
    # accounts and workspaces
    path("welcome/", workspaces.welcome, name="welcome"),
    path("team/", workspaces.team, name="team"),
    path("team/members/<int:member_id>/remove/", workspaces.member_remove, name="member_remove"),
    path("workspaces/<int:workspace_id>/switch/", workspaces.switch, name="workspace_switch"),
    path("workspaces/<int:workspace_id>/remove/", workspaces.workspace_remove, name="workspace_remove"),
    path("demo/", workspaces.demo, name="demo"),
    path("join/<str:token>/", workspaces.join, name="join"),
    path("settings/access/", access.access, name="access"),
    path("export/", exports.export_page, name="export"),
    path("export/download/", exports.download, name="export_download"),
    path("export/backup/", exports.backup, name="export_backup"),
    path("import/", imports.import_page, name="import"),
    path("settings/mail/", mail.mail_settings, name="mail_settings"),
    path("settings/mail/test/", mail.mail_test, name="mail_test"),
    path("settings/mail/sync/", mail.mail_sync, name="mail_sync"),
    path("settings/mail/review/", mail.mail_review, name="mail_review"),
    path("settings/mail/review/<int:review_id>/accept/", mail.mail_review_accept, name="mail_review_accept"),
    path("settings/mail/review/<int:review_id>/dismiss/", mail.mail_review_dismiss, name="mail_review_dismiss"),
    path("settings/mail/sends/<int:send_id>/resolve/", mail.send_resolve, name="send_resolve"),
]
