"""patientflow's sweeper for Hydra (`hydra/sweeper=patientflow`, the default in conf/config.yaml):
Hydra's basic sweeper with a quicker check of a batch's compositions."""
