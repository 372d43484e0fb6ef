"""The backup document's streaming JSON reader and writer (the Django side is crm/services/backup.py)."""
