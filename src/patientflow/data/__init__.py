"""Dataset tables: schema, loading and checks (the embedded default lives in nl/)."""

from patientflow.data.loader import Dataset, default_data_dir, load_dataset

__all__ = ["Dataset", "default_data_dir", "load_dataset"]
