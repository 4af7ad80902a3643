"""Booking handoff: requests handed from the assistant to the clinic's staff.

Plain Python and SQLAlchemy (no Rasa, no Sanic): the action server saves requests,
the staff console reads and updates them, and `make purge` / `make staff-user` use
the same functions.
"""
