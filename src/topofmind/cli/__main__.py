"""``python -m topofmind.cli`` is the ``topofmind`` command too."""

from topofmind.cli import main

main()
