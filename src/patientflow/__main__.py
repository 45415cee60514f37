"""`python -m patientflow`: the same as the `patientflow` command."""

from patientflow.cli import entry

entry()
