"""The store: models, migrations and the services that are its only writers."""
