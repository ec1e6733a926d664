"""Mutual help ("entraide": offers, requests, private exchanges) and solidarity signals."""
