#!/usr/bin/env python3
"""Check SeccompProfile documents (YAML files) against SPO's CRD as the API server would.

The facts come from the CRD copy in the repository (data/third_party/reference/
spo-seccompprofile-crd.yaml): the group, version and kind, the scope, and the v1
openAPIV3Schema (types, enums, required fields, minimum, maxItems/minItems, int32/int64
ranges, patterns, set-typed lists without duplicates). A field the schema does not name is an
error here (the API server would prune it: silently lost). metadata is checked as Kubernetes
checks object metadata: name an RFC 1123 subdomain, no namespace for a cluster-scoped kind,
label and annotation keys and label values in their syntax.

With --oci PROFILE.json, the one profile's spec must also say what that OCI profile says:
the same default action, architectures, flags and entries in order, each argument test the
same or one of the rewrites the CRD forces (a 64-bit mask of all ones as an equality; a
value at or above 2^63 on a 32-bit argument cut to its low 32 bits).

usage: check-spo.py CRD.yaml PROFILE.yaml...   exit 0 when every profile is valid
       check-spo.py --oci PROFILE.json CRD.yaml PROFILE.yaml
"""
import json
import re
import sys

import yaml

INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
DNS_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_SUBDOMAIN = re.compile(r"^%s(\.%s)*$" % (DNS_LABEL, DNS_LABEL))
QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def check(schema, value, path, errors):
    t = schema.get("type")
    if t == "object":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object")
            return
        props = schema.get("properties")
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required '{key}'")
        for key, v in value.items():
            if props is None:
                continue  # free-form (metadata), checked on its own below
            if key not in props:
                errors.append(f"{path}.{key}: not in the schema")
                continue
            check(props[key], v, f"{path}.{key}", errors)
    elif t == "array":
        if not isinstance(value, list):
            errors.append(f"{path}: expected an array")
            return
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: {len(value)} items, at most {schema['maxItems']}")
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{path}: {len(value)} items, at least {schema['minItems']}")
        if schema.get("x-kubernetes-list-type") == "set":
            seen = [yaml.safe_dump(v) for v in value]
            if len(set(seen)) != len(seen):
                errors.append(f"{path}: a set with duplicate items")
        for i, v in enumerate(value):
            check(schema["items"], v, f"{path}[{i}]", errors)
    elif t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: expected an integer, got {value!r}")
            return
        lo, hi = INT_RANGE.get(schema.get("format"), (None, None))
        if lo is not None and not lo <= value <= hi:
            errors.append(f"{path}: {value} outside {schema['format']}")
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} below the minimum {schema['minimum']}")
    elif t == "string":
        if not isinstance(value, str):
            errors.append(f"{path}: expected a string, got {value!r}")
            return
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of the CRD's values")


def check_key(key, what, path, errors):
    prefix, _, name = key.rpartition("/")
    if (prefix and (len(prefix) > 253 or not DNS_SUBDOMAIN.match(prefix))) or len(name) > 63 \
            or not QUALIFIED_NAME.match(name):
        errors.append(f"{path}: {what} key {key!r} is not a qualified name")


def check_metadata(crd, meta, errors):
    if not isinstance(meta, dict):
        errors.append("metadata: expected an object")
        return
    name = meta.get("name")
    if not isinstance(name, str) or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        errors.append(f"metadata.name: {name!r} is not an RFC 1123 subdomain")
    if crd["spec"]["scope"] == "Cluster" and "namespace" in meta:
        errors.append("metadata.namespace: the kind is cluster-scoped")
    for key, value in (meta.get("labels") or {}).items():
        check_key(key, "label", "metadata.labels", errors)
        if not isinstance(value, str) or len(value) > 63 or not LABEL_VALUE.match(value):
            errors.append(f"metadata.labels: value {value!r} is not a label value")
    for key, value in (meta.get("annotations") or {}).items():
        check_key(key, "annotation", "metadata.annotations", errors)
        if not isinstance(value, str):
            errors.append(f"metadata.annotations: value {value!r} is not a string")


def same_arg(o, s):
    """Does SPO test @s say what OCI test @o says (exactly, or by a documented rewrite)?"""
    if o == s:
        return True
    ov, ov2 = o.get("value", 0), o.get("valueTwo", 0)
    if o["op"] == "SCMP_CMP_MASKED_EQ" and ov == 2**64 - 1 and ov2 < 2**63:
        return s == {"index": o["index"], "op": "SCMP_CMP_EQ", "value": ov2, "valueTwo": 0}
    if o["op"] in ("SCMP_CMP_MASKED_EQ", "SCMP_CMP_EQ") and max(ov, ov2) >= 2**63:
        w = 2**32 - 1
        want = (ov & w, ov2 & w) if o["op"] == "SCMP_CMP_MASKED_EQ" else (w, ov & w)
        return s == {"index": o["index"], "op": "SCMP_CMP_MASKED_EQ", "value": want[0],
                     "valueTwo": want[1]}
    return False


def compare_oci(oci, spec):
    errors = []
    for key in ("defaultAction", "architectures", "flags"):
        if oci.get(key) != spec.get(key):
            errors.append(f"spec.{key}: {spec.get(key)!r}, the OCI profile has {oci.get(key)!r}")
    ocalls, scalls = oci.get("syscalls", []), spec.get("syscalls", [])
    if len(ocalls) != len(scalls):
        errors.append(f"spec.syscalls: {len(scalls)} entries, the OCI profile has {len(ocalls)}")
    for i, (o, s) in enumerate(zip(ocalls, scalls)):
        for key in ("names", "action", "errnoRet"):
            if o.get(key) != s.get(key):
                errors.append(f"spec.syscalls[{i}].{key}: {s.get(key)!r}, OCI has {o.get(key)!r}")
        oargs, sargs = o.get("args", []), s.get("args", [])
        if len(oargs) != len(sargs) or not all(same_arg(a, b) for a, b in zip(oargs, sargs)):
            errors.append(f"spec.syscalls[{i}].args: {sargs!r}, OCI has {oargs!r}")
    return errors


def main():
    oci = None
    if sys.argv[1] == "--oci":
        with open(sys.argv[2], encoding="utf-8") as f:
            oci = json.load(f)
        del sys.argv[1:3]
    with open(sys.argv[1], encoding="utf-8") as f:
        crd = yaml.safe_load(f)
    spec = crd["spec"]
    version = next(v for v in spec["versions"] if v["name"] == "v1")
    schema = version["schema"]["openAPIV3Schema"]
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            docs = list(yaml.safe_load_all(f))
        errors = []
        if len(docs) != 1:
            errors.append(f"{len(docs)} documents, expected one")
        doc = docs[0] if docs else {}
        if doc.get("apiVersion") != f"{spec['group']}/{version['name']}":
            errors.append(f"apiVersion: {doc.get('apiVersion')!r}")
        if doc.get("kind") != spec["names"]["kind"]:
            errors.append(f"kind: {doc.get('kind')!r}")
        check(schema, doc, "", errors)
        check_metadata(crd, doc.get("metadata"), errors)
        if oci is not None:
            errors += compare_oci(oci, doc.get("spec") or {})
        for e in errors:
            print(f"{path}: {e}")
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
