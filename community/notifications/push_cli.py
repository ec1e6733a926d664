"""`flask vapid-keys`: the VAPID key pair of web push."""

from __future__ import annotations

import click
from flask import current_app

from community.notifications import push_keys


@click.command("vapid-keys")
@click.option(
    "--new", is_flag=True, help="Print a new private key for production (stores nothing)."
)
def vapid_keys_command(new: bool) -> None:
    """Make the development key pair under instance/ when missing and print the public key;
    with --new, print a fresh private key to put in VAPID_PRIVATE_KEY. Outside development
    nothing is written: the key comes from the environment."""
    if new:
        click.echo(f"VAPID_PRIVATE_KEY={push_keys.generate_private_key()}")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("VAPID_PRIVATE_KEY is set: nothing to make.")
    elif app.config.get("ENV_NAME") != "development":
        raise click.ClickException(
            "VAPID_PRIVATE_KEY is not set: put one made by `flask vapid-keys --new` in the "
            "environment (only development keeps a key under instance/)."
        )
    else:
        push_keys.ensure_dev_key(app)
        app.config["VAPID_PRIVATE_KEY"] = push_keys.dev_key_path(app).read_text().strip()
        click.echo(f"development key: {push_keys.dev_key_path(app)}")
    click.echo(f"public key: {push_keys.public_key(app)}")
