"""topofmind: stay top-of-mind with hiring managers, politely."""

__version__ = "0.1.0"
