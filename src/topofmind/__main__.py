"""``python -m topofmind`` is the ``topofmind`` command."""

from topofmind.cli import main

main()
