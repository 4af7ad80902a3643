"""Clinic domain logic in plain Python: no Rasa or Sanic imports, so tests need no server."""
