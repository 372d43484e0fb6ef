"""Google Contacts CSV exports (contacts.google.com > Export > Google CSV)."""

from topofmind.integrations.google.contacts import parse_google_csv

__all__ = ["parse_google_csv"]
