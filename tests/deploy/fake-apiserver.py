#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Just enough of a Kubernetes API server for `kubectl apply --dry-run=client`: discovery of
the kinds deploy/kubernetes/ uses (with their scope, as the real API server states it) and
404 for every object, so that kubectl maps each manifest to its resource and reports it
"created (dry run)". Nothing is stored; nothing but GET is answered.

usage: fake-apiserver.py PORTFILE   (listens on a free 127.0.0.1 port, written to PORTFILE)
"""
import http.server
import os
import json
import sys


def resource(name, kind, namespaced):
    return {"name": name, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind,
            "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}


DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        resource("namespaces", "Namespace", False),
        resource("serviceaccounts", "ServiceAccount", True),
        resource("configmaps", "ConfigMap", True)]},
    "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1", "resources": [
        resource("daemonsets", "DaemonSet", True)]},
    "/version": {"major": "1", "minor": "32", "gitVersion": "v1.32.0"},
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("fake-apiserver: %s\n" % (fmt % args))

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in DISCOVERY:
            self.reply(200, DISCOVERY[path])
        else:
            self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                             "reason": "NotFound", "code": 404, "message": path + " not found"})


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
