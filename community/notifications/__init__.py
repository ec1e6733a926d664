"""In-app notifications pushed live, and e-mails (immediate or digests) that bring people back."""
