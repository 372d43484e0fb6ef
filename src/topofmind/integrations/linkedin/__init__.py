"""LinkedIn's ``Connections.csv`` (Settings > Data privacy > Get a copy of your data)."""

from topofmind.integrations.linkedin.connections import parse_connections

__all__ = ["parse_connections"]
