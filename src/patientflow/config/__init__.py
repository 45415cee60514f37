"""The typed configuration, mirroring conf/: the schema (schema.py) with its acute and complex
care parts (acute.py, care.py), distributions and clock times as written, the checks of a
composed configuration (checks.py) and Hydra's side (hydra.py)."""
