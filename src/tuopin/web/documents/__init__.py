"""Printable documents: the year's area report (xlsx, PDF), a village's public-notice list and a household's
file (PDF). Builders only arrange what selectors and the engine give them; views scope and audit."""
