#!/usr/bin/env python3
"""Checks deploy/: every Kubernetes overlay renders with kustomize and validates against the
Kubernetes schemas, and every container matches the executables it runs: the executable exists
in the build, accepts the subcommand, and its listen/admin ports agree with the container ports,
probes and Services. Also checks the compose file names the same executables and ports.

Usage: check_deploy.py BIN_DIR   (the `swift build --show-bin-path` folder)
Prints one line per check and a closing 'N passed, N failed' line; exits non-zero on a failure.
"""
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ["dev", "prod"]
KUBERNETES_VERSION = "1.32.0"

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}")


def render(overlay):
    out = subprocess.run(
        ["kubectl", "kustomize", str(ROOT / "deploy/k8s/overlays" / overlay)],
        capture_output=True, text=True, check=False)
    check(out.returncode == 0, f"{overlay}: kustomize renders" + ("" if out.returncode == 0 else f": {out.stderr.strip()}"))
    return [d for d in yaml.safe_load_all(out.stdout) if d] if out.returncode == 0 else []


def validate(overlay, docs):
    for doc in docs:
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
            check(True, f"{overlay}: {name} is valid for Kubernetes {KUBERNETES_VERSION}")
        except Exception as error:  # the library raises several error types
            check(False, f"{overlay}: {name} is valid: {error}")


def port_of(env, name):
    for item in env:
        if item.get("name") == name and "value" in item:
            return int(item["value"].rsplit(":", 1)[1])
    return None


def env_names_read_by_code():
    """Every quoted UPPER_SNAKE string in the Swift sources of the services and their runtime."""
    import re
    names = set()
    for folder in ("Services", "Shared/MKServiceRuntime", "Shared/MKRPC", "Shared/MKPostgres"):
        for path in (ROOT / folder).rglob("*.swift"):
            names.update(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', path.read_text(errors="replace")))
    return names


def help_text(bin_dir, executable, *args):
    exe = Path(bin_dir) / executable
    if not exe.exists():
        return None
    out = subprocess.run([str(exe), *args, "--help"], capture_output=True, text=True, timeout=30, check=False)
    return out.stdout + out.stderr


def check_containers(overlay, docs, bin_dir):
    known_env = env_names_read_by_code()
    services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        spec = doc["spec"]["template"]["spec"]
        for container in spec["containers"]:
            where = f"{overlay}: {doc['kind']}/{doc['metadata']['name']}"
            command = container.get("command", [])
            check(len(command) == 2 and command[0].startswith("/app/"), f"{where} runs /app/<executable> <subcommand>")
            if len(command) != 2:
                continue
            executable, subcommand = command[0].removeprefix("/app/"), command[1]
            text = help_text(bin_dir, executable, subcommand)
            check(text is not None, f"{where}: executable {executable} is built")
            if text is not None:
                check("USAGE" in text.upper() and "Error" not in text, f"{where}: `{executable} {subcommand}` is a real subcommand")
            check(container.get("securityContext", {}).get("readOnlyRootFilesystem") is True, f"{where}: read-only root filesystem")
            check(container.get("securityContext", {}).get("capabilities", {}).get("drop") == ["ALL"], f"{where}: drops all capabilities")
            check(spec.get("securityContext", {}).get("runAsNonRoot") is True, f"{where}: runs as non-root")
            if doc["kind"] != "Deployment":
                continue
            env = container.get("env", [])
            for item in env:
                check(item["name"] in known_env, f"{where}: the code reads the variable {item['name']}")
            ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
            listen, admin = port_of(env, "LISTEN_ADDR"), port_of(env, "ADMIN_ADDR")
            serving = "http" if "http" in ports else "rpc"
            check(listen is not None and ports.get(serving) == listen, f"{where}: {serving} port {ports.get(serving)} = LISTEN_ADDR port {listen}")
            check(admin is not None and ports.get("admin") == admin, f"{where}: admin port {ports.get('admin')} = ADMIN_ADDR port {admin}")
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/healthz")):
                get = container.get(probe, {}).get("httpGet", {})
                check(get.get("path") == path and get.get("port") in ("admin", admin), f"{where}: {probe} is GET {path} on the admin port")
            service = services.get(doc["metadata"]["name"])
            check(service is not None and any(p.get("targetPort") in (serving, listen) for p in service["spec"]["ports"]),
                  f"{where}: its Service targets the {serving} port")


def check_compose(bin_dir):
    compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    for name, service in compose["services"].items():
        command = service.get("command", [])
        if not command or not str(command[0]).startswith("/app/"):
            continue
        executable = command[0].removeprefix("/app/")
        text = help_text(bin_dir, executable, command[1])
        check(text is not None and "USAGE" in text.upper(), f"compose: {name} runs a real `{executable} {command[1]}`")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    bin_dir = sys.argv[1]
    for overlay in OVERLAYS:
        docs = render(overlay)
        validate(overlay, docs)
        check_containers(overlay, docs, bin_dir)
    check_compose(bin_dir)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
