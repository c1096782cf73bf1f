"""Track 2 pages, one module per feature: signals (list, raise, page, moves), adjustments,
catalogue (themes, policy objects, external developments), dashboard."""
