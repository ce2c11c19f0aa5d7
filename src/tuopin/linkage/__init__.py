"""Linking department rosters to the registry's persons: by resident ID number where the roster's is
valid, otherwise by likeness of name, sex, birth date and village under a Fellegi–Sunter model (Splink on
DuckDB). Framework-free: the roster import of the policy app calls `link_by_likeness` for a county's roster, and
`tuopin match` runs `match.match` over Parquet at national scale."""
