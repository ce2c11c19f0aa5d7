"""tuopin (脱贫): command-and-accountability system for targeted poverty alleviation."""

__version__ = "0.1.0"
