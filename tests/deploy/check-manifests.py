#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fields of deploy/kubernetes/ that decide whether the node recorder works and what it
may do, checked without a cluster (python3-yaml):

- every document has apiVersion, kind, metadata.name; namespaced kinds sit in the Namespace
  the directory creates; the DaemonSet's selector matches its pod template's labels and its
  ServiceAccount exists;
- the pod: hostPID, not privileged, no privilege escalation, capabilities dropped to ALL and
  exactly CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE added back (no SYS_ADMIN, no SYS_RESOURCE);
- the mounts: /sys/fs/cgroup and /sys/kernel/btf read-only from the host, debugfs and tracefs,
  the recordings' hostPath at the --out-dir the command names;
- the command: `seccompose record --all-containers --out-dir DIR`.

usage: check-manifests.py DIR             exit 0 when all hold, 1 with the failures listed
       check-manifests.py --command DIR   print the recorder's command line, one word a line
"""
import os
import sys

import yaml

NAMESPACED = {"ServiceAccount", "DaemonSet", "ConfigMap"}
CAPS = ["BPF", "PERFMON", "SYS_PTRACE"]
HOST_MOUNTS = {  # mountPath: (hostPath, must be read-only)
    "/sys/fs/cgroup": ("/sys/fs/cgroup", True),
    "/sys/kernel/btf": ("/sys/kernel/btf", True),
    "/sys/kernel/debug": ("/sys/kernel/debug", True),
    "/sys/kernel/tracing": ("/sys/kernel/tracing", True),
}

failures = []


def need(cond, what):
    if not cond:
        failures.append(what)
    return cond


def load(d):
    docs = []
    for f in sorted(os.listdir(d)):
        if f.endswith((".yaml", ".yml")):
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                docs += [(f, x) for x in yaml.safe_load_all(fh) if x is not None]
    return docs


def recorder(docs):
    ds = [x for _, x in docs if x.get("kind") == "DaemonSet"]
    if not need(len(ds) == 1, "exactly one DaemonSet"):
        sys.exit("\n".join(failures))
    return ds[0]


def check(docs):
    names = {}
    for f, x in docs:
        need(x.get("apiVersion") and x.get("kind"), f"{f}: apiVersion and kind")
        md = x.get("metadata") or {}
        need(md.get("name"), f"{f}: metadata.name")
        names.setdefault(x.get("kind"), set()).add(md.get("name"))
    ns = names.get("Namespace", set())
    need(len(ns) == 1, "one Namespace")
    for f, x in docs:
        if x.get("kind") in NAMESPACED:
            need(x["metadata"].get("namespace") in ns, f"{f}: {x['kind']} in the Namespace created here")

    ds = recorder(docs)
    need(ds.get("apiVersion") == "apps/v1", "DaemonSet apiVersion apps/v1")
    spec = ds["spec"]
    tmpl = spec["template"]
    sel = spec["selector"]["matchLabels"]
    labels = tmpl["metadata"]["labels"]
    need(all(labels.get(k) == v for k, v in sel.items()), "the selector matches the pod's labels")
    pod = tmpl["spec"]
    need(pod.get("serviceAccountName") in names.get("ServiceAccount", set()),
         "the pod's ServiceAccount is created here")
    need(pod.get("automountServiceAccountToken") is False, "no API token mounted")
    need(pod.get("hostPID") is True, "hostPID: true")
    need(not pod.get("hostNetwork"), "no hostNetwork")
    need(pod.get("nodeSelector", {}).get("kubernetes.io/os") == "linux", "Linux nodes only")
    need({"operator": "Exists"} in pod.get("tolerations", []), "every node, tainted ones too")

    cs = pod["containers"]
    need(len(cs) == 1, "one container")
    c = cs[0]
    sc = c.get("securityContext", {})
    need(sc.get("privileged") is False, "privileged: false")
    need(sc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation: false")
    caps = sc.get("capabilities", {})
    need(caps.get("drop") == ["ALL"], "capabilities dropped to ALL")
    need(sorted(caps.get("add", [])) == sorted(CAPS), f"capabilities added back: exactly {CAPS}")
    for bad in ("SYS_ADMIN", "SYS_RESOURCE", "NET_ADMIN", "CAP_SYS_ADMIN"):
        need(bad not in caps.get("add", []), f"no {bad}")

    cmd = c.get("command", []) + c.get("args", [])
    need(cmd[:3] == ["seccompose", "record", "--all-containers"],
         "the command is `seccompose record --all-containers`")
    out_dir = cmd[cmd.index("--out-dir") + 1] if "--out-dir" in cmd[:-1] else None
    need(out_dir == "/var/lib/seccompose/recordings", "--out-dir /var/lib/seccompose/recordings")

    vols = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
    for path, (host, ro) in HOST_MOUNTS.items():
        m = mounts.get(path)
        if need(m, f"{path} is mounted"):
            v = vols.get(m["name"], {})
            need(v.get("hostPath", {}).get("path") == host, f"{path} from the host's {host}")
            need(not ro or m.get("readOnly") is True, f"{path} read-only")
    m = mounts.get(out_dir)
    if need(m, "the --out-dir is a mount"):
        v = vols.get(m["name"], {})
        need(v.get("hostPath", {}).get("path") == out_dir, "the recordings go to the node (hostPath)")
        need(not m.get("readOnly"), "the recordings' mount is writable")
    for name in mounts.values():
        need(name["name"] in vols, f"mount {name['name']} has a volume")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--command":
        c = recorder(load(sys.argv[2]))["spec"]["template"]["spec"]["containers"][0]
        print("\n".join(c.get("command", []) + c.get("args", [])))
        return 0
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    check(load(sys.argv[1]))
    for f in failures:
        print("not ok:", f)
    return 1 if failures else 0


sys.exit(main())
