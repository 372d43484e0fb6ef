from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "topofmind.web"
    label = "web"
    verbose_name = "topofmind web app"
