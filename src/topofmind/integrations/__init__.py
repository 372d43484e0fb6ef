"""Outside formats in and out: contact imports, application imports, backups.

Parsers here read files and yield plain records; they never touch the database and
never decide policy. The service modules in ``topofmind.crm`` write what they yield.
"""
