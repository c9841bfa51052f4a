"""Intake: inspect, check and normalise one input file (no Qt)."""
