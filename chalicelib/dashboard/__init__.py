"""What the dashboard pages show: page contexts built from the domain modules.

Nothing here imports chalice; the routes in `routes/settings_*.py` parse the
request, call one function here and render its answer.
"""
