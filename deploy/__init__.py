"""Running the assistant beyond one machine: the scale profile (deploy/scale.py)."""
