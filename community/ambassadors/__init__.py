"""Ambassadors ("porte-voix"): mandates, invitation links and the outreach journal."""
