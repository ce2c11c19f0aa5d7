import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
# A request waits at most 5 s for another writer (an import) before it answers 503 "busy, try again": a sync
# worker kept 20 s (the commands' wait) would leave the other pages without a worker (decision 1141).
os.environ.setdefault("TUOPIN_SQLITE_TIMEOUT", "5")
application = get_wsgi_application()
