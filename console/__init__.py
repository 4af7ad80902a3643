"""The clinic's staff console: review handed-off conversations (Sanic, server-rendered pages + JSON API)."""
