"""The web app: thin views over the crm services and read-only queries (docs/web.md)."""
