"""Fixtures that run the real Invoicer binary under Xvfb through tauri-driver.

Every test gets its own data folder, its own tauri-driver (and so its own app
process), a console-error hook and a screenshot in ``artifacts/<test>.png``.

How the data folder reaches the app: tauri-driver starts WebKitWebDriver,
which starts the application; each inherits its parent's environment, and the
``tauri:options`` capability has no field for environment variables. So
tauri-driver is started per test with ``INVOICER_DATA_DIR`` set, and the
fixture checks that the app created its database there.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ARTIFACTS = HERE / "artifacts"
DRIVER_PORT = 4444
NATIVE_PORT = 4445

# Collects what the page reports as errors; installed after every page load.
ERROR_HOOK = """
if (!window.__e2e) {
  window.__e2e = { errors: [] };
  const keep = (kind, parts) => window.__e2e.errors.push(kind + ": " + parts.map((p) => {
    try { return typeof p === "string" ? p : JSON.stringify(p); } catch (e) { return String(p); }
  }).join(" "));
  const original = console.error.bind(console);
  console.error = (...parts) => { keep("console.error", parts); original(...parts); };
  window.addEventListener("error", (e) => keep("error", [e.message, e.filename + ":" + e.lineno]));
  window.addEventListener("unhandledrejection", (e) => keep("unhandledrejection", [e.reason]));
  document.addEventListener("securitypolicyviolation", (e) =>
    keep("csp", [e.violatedDirective, e.blockedURI]));
}
"""


def app_binary() -> Path:
    path = Path(os.environ.get("INVOICER_APP", REPO / "target" / "debug" / "invoicer-desktop"))
    return path.resolve()


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="session", autouse=True)
def display():
    """Uses $DISPLAY if set; otherwise starts Xvfb on the first free display from :99."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    number = next(n for n in range(99, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    xvfb = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.environ["DISPLAY"] = f":{number}"
    _wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), 10, f"Xvfb :{number}")
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(10)
    del os.environ["DISPLAY"]


@pytest.fixture(scope="session")
def binary() -> Path:
    path = app_binary()
    if not path.is_file():
        pytest.exit(f"no app binary at {path}: build it first (cargo build -p invoicer-desktop --features e2e)", 2)
    if not shutil.which("tauri-driver"):
        pytest.exit("tauri-driver is not on PATH (cargo install tauri-driver --locked)", 2)
    return path


class _StatusProbe:
    """Polls tauri-driver's /status over one kept-open connection.

    tauri-driver forwards each request to WebKitWebDriver through a pooled
    connection; a client sending `Connection: close` (as urllib does) leaves a
    closed connection in that pool, and the next request (creating the session)
    fails at random with "connection reset by peer".
    """

    def __init__(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", DRIVER_PORT, timeout=2)

    def __call__(self) -> bool:
        try:
            self.conn.request("GET", "/status")
            response = self.conn.getresponse()
            return bool(json.loads(response.read()).get("value", {}).get("ready", False))
        except (OSError, http.client.HTTPException, ValueError):
            self.conn.close()  # reconnects on the next request
            return False


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def driver(request, binary: Path, data_dir: Path, display):
    ARTIFACTS.mkdir(exist_ok=True)
    name = request.node.name
    log = open(ARTIFACTS / f"{name}.log", "wb")
    _wait_for(lambda: _port_free(DRIVER_PORT) and _port_free(NATIVE_PORT), 10, "free driver ports")
    # A desktop session has a real locale; containers often have only C.UTF-8, which
    # WebKit reports as navigator.language "C". E2E_LANG overrides, @app_env per test.
    env = dict(os.environ, INVOICER_DATA_DIR=str(data_dir), RUST_LOG="info")
    env["LANG"] = os.environ.get("E2E_LANG", "en_US.UTF-8")
    env.pop("LC_ALL", None)
    marker = request.node.get_closest_marker("app_env")
    env.update(marker.kwargs if marker else {})
    started = time.monotonic()
    proc = subprocess.Popen(
        ["tauri-driver", "--port", str(DRIVER_PORT), "--native-port", str(NATIVE_PORT)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: WebKitWebDriver and the app go with it
    )
    drv = None
    try:
        probe = _StatusProbe()
        _wait_for(probe, 20, "tauri-driver /status ready")
        probe.conn.close()
        options = ArgOptions()
        options.set_capability("tauri:options", {"application": str(binary)})
        drv = webdriver.Remote(command_executor=f"http://127.0.0.1:{DRIVER_PORT}", options=options)
        drv.set_script_timeout(30)
        # The environment reached the app: it opened its database in our folder.
        _wait_for(lambda: (data_dir / "invoicer.db").exists(), 10, "the app's database in INVOICER_DATA_DIR")
        request.node.startup_seconds = time.monotonic() - started
        install_error_hook(drv)
        yield drv
    finally:
        errors: list[str] = []
        if drv is not None:
            try:
                drv.save_screenshot(str(ARTIFACTS / f"{name}.png"))
            except Exception as e:  # the screenshot must not hide the test's own failure
                print(f"screenshot failed: {e}")
            try:
                errors = page_errors(drv)
            except Exception as e:
                errors = [f"could not read the page's errors: {e}"]
            try:
                drv.quit()
            except Exception:
                pass
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()
    # Checked after cleanup; reported as a teardown error of the test.
    if not getattr(request.node, "failed_already", False):
        assert not errors, f"the page reported errors: {errors}"


@pytest.fixture
def app(driver):
    """The window, what a person does with it, and the backend through the page's test hook:
    ``app.invoke(command, args)``, ``app.invoke_error(command, args)``, ``app.ipc_calls()`` and
    ``app.reset_ipc_calls()`` (see ``ui.py``)."""
    from ui import App

    return App(driver)


def install_error_hook(drv) -> None:
    drv.execute_script(ERROR_HOOK)


def page_errors(drv) -> list[str]:
    """Errors the page reported since the hook was installed, plus browser logs if the driver has them."""
    errors = list(drv.execute_script("return window.__e2e ? window.__e2e.errors : ['error hook missing'];"))
    try:
        errors += [e["message"] for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
    except Exception:
        pass  # WebKitWebDriver does not serve logs; the hook above is the source
    return errors


def pytest_configure(config):
    config.addinivalue_line("markers", "app_env(**variables): environment variables for the app under test")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    yield
    if call.when == "call" and call.excinfo is not None:
        item.failed_already = True  # its own failure says more than the page's errors
