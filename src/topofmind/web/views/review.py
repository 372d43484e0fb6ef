"""The weekly review: numbers and server-drawn SVG charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from topofmind.crm.queries.review import weekly_review
from topofmind.engine.labels import stage_label
from topofmind.web import charts
from topofmind.web.common import now, page, workspace_of


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    workspace = workspace_of(request)
    r = weekly_review(workspace=workspace, now=now())
    business = [d for d in r.days if d.business_day]
    daily_target = r.new_employers_planned / len(business) if business and r.new_employers_planned else None
    touches_chart = charts.bar_chart(
        [charts.Bar(label=f"{d.day:%a} {d.day.day}", value=d.touches, dim=not d.business_day) for d in r.days],
        title="Touches done this week, day by day",
        chart_id="chart-days",
    )
    trend_chart = charts.paired_bars(
        [(f"{w.week_start.day} {w.week_start:%b}", w.asks, w.answered) for w in r.trend],
        names=("Asks sent", "Answered"),
        title=f"Asks sent and answered, last {len(r.trend)} weeks",
        chart_id="chart-replies",
    )
    funnel_chart = charts.funnel(
        [(stage_label(step.stage), step.reached) for step in r.funnel],
        title="Openings that reached each stage",
        chart_id="chart-funnel",
    )
    weekly_touches = charts.bar_chart(
        [charts.Bar(label=f"{w.week_start.day} {w.week_start:%b}", value=w.touches) for w in r.trend],
        title=f"Touches done, last {len(r.trend)} weeks",
        chart_id="chart-weeks",
    )
    plan_meter = charts.meter(
        r.new_employers_contacted,
        r.new_employers_planned,
        title="New employers reached against the plan",
        chart_id="chart-plan",
        label=f"{r.new_employers_contacted} of {r.new_employers_planned} planned",
    )
    return page(
        request,
        "web/review.html",
        {
            "r": r,
            "reply_percent": None if r.reply_rate is None else round(100 * r.reply_rate),
            "touches_chart": touches_chart,
            "trend_chart": trend_chart,
            "funnel_chart": funnel_chart,
            "weekly_touches": weekly_touches,
            "plan_meter": plan_meter,
            "daily_target": daily_target,
        },
        section="review",
    )
