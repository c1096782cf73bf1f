"""Pages of the group's practice, one module per part: sessions, ground rules."""
