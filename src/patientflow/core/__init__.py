"""What every job shares, without SimPy or Mesa: the study area, travel, the service network
and opening hours, capacity rules, distributions, named random streams, statistics and the
event log."""
