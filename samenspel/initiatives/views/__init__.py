"""Track 1 pages, one module per feature: registry (atlas, register, review, edit), value,
growth path, and data (import/export, neighbourhoods)."""
