"""The static accessibility job: travel minutes to every service and its tables."""
