"""Terreau: the platform a local authority runs for its network of engaged citizens."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.config import INSTANCE, config_for, production_settings

# Domain packages, in order. Each may hold `models`, `views` (HTML blueprint `bp`), `api`
# (flask-smorest blueprint `blp`) and `sockets` (Socket.IO handlers); the factory wires
# whichever exist.
DOMAINS = (
    "core",
    "territory",
    "members",
    "auth",
    "communities",
    "ambassadors",
    "threads",
    "moderation",
    "initiatives",
    "events",
    "solidarity",
    "questionnaires",
    "observatory",
    "notifications",
    "webapp",
)


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    """Build a Terreau application for `config_name` (development, testing, production)."""
    from importlib import import_module

    from community.core.handlers import TerreauFlask

    config = config_for(config_name)
    config.check()
    # Every view and API endpoint runs in one transaction (core/handlers.py).
    app = TerreauFlask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config)
    if config.ENV_NAME == "production":
        # SECRET_KEY, PUBLIC_URL and the trusted hosts, checked by config.check().
        app.config.update(production_settings())
    app.config.update(overrides)

    # Socket.IO handlers are declared before `socketio.init_app`: declared after it, a handler
    # lands on that one server only, and another app built in the process would lack it.
    for domain in DOMAINS:
        if _has_module(domain, "sockets"):
            import_module(f"community.{domain}.sockets")
    _init_extensions(app)
    from community.core import edge, errors, frontend, jinja, security

    edge.init_edge(app)
    errors.register_error_handlers(app)
    security.init_security(app)
    jinja.init_jinja(app)
    frontend.init_frontend(app)

    from community.auth.guards import init_api_security
    from community.core.rest import api
    from community.extensions import csrf

    for domain in DOMAINS:
        if _has_module(domain, "views"):
            app.register_blueprint(import_module(f"community.{domain}.views").bp)
        if _has_module(domain, "api"):
            blp = import_module(f"community.{domain}.api").blp
            csrf.exempt(blp)  # see init_api_security: session writes still need the token
            api.register_blueprint(blp)
    init_api_security(app)
    # Signal receivers connect when their module is imported (`<domain>/receivers.py`, a
    # domain's `privacy.py` answering the members' export and erasure signals), and content
    # registers as reportable in `<domain>/reportable.py` (docs/architecture.md).
    for domain in DOMAINS:
        for name in ("receivers", "privacy", "reportable"):
            if _has_module(domain, name):
                import_module(f"community.{domain}.{name}")

    from community import cli

    cli.init_cli(app)
    from community.core.pagecache import init_visitor_cache

    init_visitor_cache(app)  # inside Socket.IO's middleware and the proxies' fix
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXIES` proxies, read the client's address, scheme and host from the
    X-Forwarded-* headers they set (Werkzeug's ProxyFix), for HTTP and Socket.IO alike; with
    0 (the default) the headers are ignored: anyone could write them."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost, so that the Socket.IO middleware sees the fixed environ too.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def init_socketio(app: Flask) -> None:
    """Bind the Socket.IO server to `app` (async mode, message queue and origins from config)."""
    from community.core.origins import origin_allowed
    from community.extensions import socketio

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        with app.app_context():
            return origin_allowed(origin, environ)

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        # Read at each handshake: the page's own origin, PUBLIC_URL's and ALLOWED_ORIGINS.
        cors_allowed_origins=allowed,
        manage_session=False,
    )


def _has_module(domain: str, name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"community.{domain}.{name}") is not None


def import_models() -> None:
    """Import every domain's models and search sources so that the metadata is complete."""
    from importlib import import_module

    for domain in DOMAINS:
        # `search.py`: what the domain makes searchable (and core's own index table).
        for name in ("models", "search"):
            if _has_module(domain, name):
                import_module(f"community.{domain}.{name}")


def _init_extensions(app: Flask) -> None:
    from community.auth import loaders
    from community.core.database import init_database
    from community.core.i18n import init_i18n
    from community.core.rest import api
    from community.extensions import csrf, db, limiter, login_manager, migrate

    import_models()
    init_database(app)
    migrate.init_app(app, db, directory=str(INSTANCE.parent / "migrations"), compare_type=True)
    csrf.init_app(app)
    init_i18n(app)
    loaders.init_login(app, login_manager)
    limiter.init_app(app)
    api.init_app(app)
    init_socketio(app)
