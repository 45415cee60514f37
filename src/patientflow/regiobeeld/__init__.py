"""The regiobeeld: a region's picture now and at the horizon, composed of the jobs' results."""
