"""Members: profiles, preferences and platform roles."""
