"""Signals other parts of the system listen to."""

from django.dispatch import Signal

# Sent after an import has committed new or changed results (kwargs: years, a set of school years).
results_changed = Signal()
