"""Reports, moderation acts and their public transparency."""
