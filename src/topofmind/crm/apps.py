from __future__ import annotations

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "topofmind.crm"
    label = "crm"
    verbose_name = "topofmind store"
    default_auto_field = "django.db.models.BigAutoField"
