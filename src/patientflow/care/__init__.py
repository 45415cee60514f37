"""Complex care under network rules: provider rules, the study, the pathway and the job."""
