"""Rasa tracker and lock stores configured by URL, for the scale profile (deploy/)."""
