"""Run a module's AE_* functions through xlwings' own code, as Excel would, on Linux.

Why: on Linux ``xw.func``/``xw.arg`` are no-ops, so calling ``xlae.udfs`` from
Python proves nothing about Excel. This script is started in a fresh process
(the runtime is chosen when xlwings is imported) in one of two modes:

- ``classic``: xlwings believes it runs on Windows with pywin32. pywin32 and the
  Win32 parts of ctypes are stubbed, everything else is xlwings' real code:
  ``xlwings/__init__`` picks ``xlwings.udfs`` decorators and the ``excel`` engine
  of ``xlwings._xlwindows``; ``generate_vba_wrapper`` writes the VBA module and
  ``call_udf`` converts the arguments (``conversion.read``) and the result
  (``conversion.write``) as the COM server does.
- ``officejs``: ``XLWINGS_ON_SERVER=true``, as xlwings Lite and Server set it:
  ``custom_functions_meta`` describes the functions and ``custom_functions_call``
  runs them from the JSON payload Excel sends.

Input (stdin, JSON): {"module": name or path to a .py file, "calls": [[func_name, [args…]], …]}.
Output (stdout, JSON): {"vba": …, "meta": …, "registered": {name: info}, "results": [...]}.
Values cross the pipe tagged: {"date": "YYYY-MM-DD"} and {"datetime": iso} for dates,
{"missing": true} for an omitted optional argument (classic), {"error": text} for a raised exception.
"""

from __future__ import annotations

import asyncio
import ctypes
import datetime as dt
import importlib
import importlib.util
import io
import json
import os
import sys
import types
from unittest import mock

MISSING = -2147352572  # what VBA passes for an omitted Optional argument


def _stub(name: str, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    module.__getattr__ = lambda attr: mock.MagicMock(name=f"{name}.{attr}")  # anything else
    sys.modules[name] = module
    return module


class _TimeType(dt.datetime):
    """pywintypes.TimeType: pywin32's datetime for COM dates."""


class _TimeZoneInfo:
    @staticmethod
    def utc():
        return dt.timezone.utc


def install_pywin32_stubs() -> None:
    """Stand-ins for pywin32 so that xlwings' Windows modules import on Linux."""
    import numpy  # noqa: F401 - imported before sys.platform says win32
    import pandas  # noqa: F401

    _stub("pywintypes", TimeType=_TimeType, com_error=type("com_error", (Exception,), {}),
          IID=lambda text: text, datetime=_TimeType)
    for name in ("win32api", "win32con", "win32event", "win32gui", "win32process"):
        _stub(name)
    _stub("win32timezone", TimeZoneInfo=_TimeZoneInfo)
    _stub("pythoncom", __file__="pythoncom.dll")
    win32com = _stub("win32com")
    client = _stub("win32com.client", CDispatch=type("CDispatch", (), {}),
                   CoClassBaseClass=type("CoClassBaseClass", (), {}),
                   DispatchBaseClass=type("DispatchBaseClass", (), {}),
                   Dispatch=mock.MagicMock(name="Dispatch"), DispatchEx=mock.MagicMock(name="DispatchEx"))
    win32com.client = client
    server = _stub("win32com.server")
    win32com.server = server
    for name in ("dispatcher", "policy", "util"):
        setattr(server, name, _stub(f"win32com.server.{name}"))
    for name in ("windll", "oledll", "PyDLL"):
        setattr(ctypes, name, mock.MagicMock(name=f"ctypes.{name}"))


def import_xlwings(mode: str):
    if mode == "classic":
        install_pywin32_stubs()
        platform, sys.platform = sys.platform, "win32"
        try:
            import xlwings
            import xlwings.udfs  # noqa: F401
        finally:
            sys.platform = platform
        assert xlwings.func.__module__ == "xlwings.udfs", "xlwings did not pick its classic decorators"
        assert xlwings.engines.active.name == "excel"
    else:
        os.environ["XLWINGS_ON_SERVER"] = "true"
        # xlwings.server lives in xlwings' PRO folder, which asks for a key; xlwings Lite brings
        # its own. "noncommercial" is the key xlwings documents for its PolyForm Noncommercial use.
        os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
        import xlwings
        assert xlwings.func.__module__.startswith("xlwings.pro.udfs_officejs")
    return xlwings


def load(module: str):
    if module.endswith(".py"):
        spec = importlib.util.spec_from_file_location("main", module)
        loaded = importlib.util.module_from_spec(spec)
        sys.modules["main"] = loaded
        spec.loader.exec_module(loaded)
        return loaded
    return importlib.import_module(module)


def decode(value):
    if isinstance(value, dict):
        if "date" in value:
            return _TimeType.fromisoformat(value["date"])  # pywin32 hands COM dates as TimeType
        if "datetime" in value:
            return _TimeType.fromisoformat(value["datetime"])
        if value.get("missing"):
            return MISSING
    if isinstance(value, list):
        return tuple(decode(v) for v in value)  # pywin32 hands an array as tuples
    return value


def encode(value):
    if isinstance(value, dt.datetime):
        return {"datetime": value.replace(tzinfo=None).isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def run_classic(xlwings, module_name: str, calls):
    from xlwings import udfs as classic

    module = load(module_name)
    vba = io.StringIO()
    book = mock.MagicMock(name="Workbook")
    book.Name = "classeur.xlsm"
    classic.generate_vba_wrapper(module_name, module, vba, book)
    registered = {}
    for attr in dir(module):
        function = getattr(module, attr)
        info = getattr(function, "__xlfunc__", None)
        if info:
            registered[info["name"]] = {
                "attribute": attr, "help": info["ret"]["doc"], "category": info["category"],
                "return_options": {k: str(v) for k, v in info["ret"]["options"].items()},
                "args": [{"name": a["name"], "doc": a["doc"], "optional": "optional" in a,
                          "options": {k: str(v) for k, v in a["options"].items()}} for a in info["args"]],
            }
    classic.udf_modules.pop(module_name, None)
    results = []
    for func_name, args in calls:
        try:
            value = classic.call_udf(module_name, func_name, tuple(decode(a) for a in args), None, None)
            results.append({"value": encode(value)})
        except Exception as error:  # noqa: BLE001 - the test reads what failed
            results.append({"error": f"{type(error).__name__}: {error}"})
    return {"vba": vba.getvalue(), "registered": registered, "results": results}


def run_officejs(xlwings, module_name: str, calls):
    from xlwings.server import custom_functions_call, custom_functions_meta

    module = load(module_name)
    meta = custom_functions_meta(module)
    results = []
    for func_name, args in calls:
        data = {"func_name": func_name, "args": [decode_officejs(a) for a in args], "version": xlwings.__version__,
                "client": "Office.js", "runtime": "1.4", "culture_info_name": "fr-FR", "date_format": "dd/mm/yyyy",
                "caller_address": "Feuil1!B2"}
        try:
            value = asyncio.run(custom_functions_call(data, module))
            results.append({"value": encode(value)})
        except Exception as error:  # noqa: BLE001 - Excel shows #VALUE! and this message
            results.append({"raised": type(error).__name__, "error": str(error)})
    return {"meta": meta, "results": results}


def decode_officejs(value):
    """Office.js hands every argument as a matrix; dates are serial numbers."""
    if isinstance(value, list):
        return value
    return [[value]]


def main() -> None:
    mode = sys.argv[1]
    request = json.load(sys.stdin)
    xlwings = import_xlwings(mode)
    runner = run_classic if mode == "classic" else run_officejs
    out = runner(xlwings, request["module"], request["calls"])
    out["xlwings"] = xlwings.__version__
    out["xlae_file"] = getattr(sys.modules.get("xlae"), "__file__", None)
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
