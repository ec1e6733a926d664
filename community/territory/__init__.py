"""Territory: the themes and neighbourhoods that profiles, communities and the observatory use."""
