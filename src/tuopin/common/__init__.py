"""Framework-free helpers shared by every layer (no Django imports here)."""
