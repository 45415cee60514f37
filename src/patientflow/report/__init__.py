"""Figures and reports built from a run's tables."""
