"""The tutorial's wsgi_app.py, unchanged, as a Cloudflare Python Worker.

Cloudflare's own WSGI adapter (``workers.wsgi``) calls the app; this file only hands it over.
The pages beside wsgi_app.py ship with the Worker as data modules (examples/python/wrangler.toml),
which workerd mounts read-only next to the Python modules; wsgi_app.py opens ``'./' + name``,
so the working directory becomes that folder, as edge-wsgi's own server makes an app's folder
its working directory. Deploy: ``npx wrangler deploy -c examples/python/wrangler.toml``.
"""

import os

import wsgi_app
from workers import WorkerEntrypoint, wsgi

os.chdir(os.path.dirname(os.path.abspath(wsgi_app.__file__)))


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await wsgi.fetch(wsgi_app.app, request, self.env)
