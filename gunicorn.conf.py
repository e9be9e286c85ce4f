"""gunicorn's settings, read from the environment: ``gunicorn shop.wsgi`` (see the Procfile).

Every setting here can also be given on the command line, which wins.
"""

import os

# PORT is what platforms (and honcho) hand a web process; 0.0.0.0 to be reachable in a container.
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# Worker processes: about two per core. Each serves one request at a time (sync workers).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request that takes longer is killed and its worker replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# Seconds a worker has to finish its requests after SIGTERM before it is killed.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
# Addresses whose X-Forwarded-* headers gunicorn trusts: the load balancer's, or "*" when
# only the load balancer can reach this process.
# The proxies whose X-Forwarded-Proto gunicorn believes: a request is HTTPS only when one of
# them says so (Django's SECURE_PROXY_SSL_HEADER stays unset, see shop/settings.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs each request (shop/request_log.py), with its id: no separate access log.
accesslog = None
errorlog = "-"
# gunicorn 25+ opens a control socket per user ($HOME/.gunicorn/gunicorn.ctl): two servers on
# one machine would share it. Nothing here uses it (older gunicorns ignore this setting).
control_socket_disable = True
# gunicorn's own lines (start, stop, a worker timing out) as JSON too, when the app's are:
# LOG_FORMAT, json unless set or in debug mode, as in the settings.
_debug = os.environ.get("DEBUG", "").lower() in ("1", "true", "yes", "on")
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": []},  # the app configures its own (settings.py)
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False}
        },
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
    }
