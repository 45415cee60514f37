"""Acute care in motion: arrival profiles and demand, the world, SimPy facilities, Mesa
patient agents, the model, its indicators and the job."""
