"""vCard (.vcf) files: iOS / macOS Contacts, Google Contacts, Outlook."""

from topofmind.integrations.vcard.cards import parse_vcards

__all__ = ["parse_vcards"]
