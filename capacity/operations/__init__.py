"""Running Capacity: /healthz, the background worker's heartbeat, request ids and structured logs.

docs/operations.md says how to use them; each module's docstring says how it works.
"""
