"""Signals other parts of the system listen to."""

from django.dispatch import Signal

# Sent after an import has committed new or changed results (kwargs: years, a set of school years).
results_changed = Signal()

# Sent inside the transaction of a ministry officer's confirmed identification decisions
# (capacity/evidence/services_decisions.py); planning opens or ends focused-intervention plans.
# kwargs: school_year, policy (label), opened (list of {"school_number", "reasons"}), ended (list of
# school numbers), actor_label.
identification_decided = Signal()
