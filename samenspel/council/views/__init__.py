"""Pages of the council's route, one module per part: the advices (advices.py), and what
follows a decision — commitments, the meetings calendar and the register (followup.py)."""
