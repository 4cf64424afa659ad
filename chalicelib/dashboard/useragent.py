"""A short, readable name for a User-Agent string ("Firefox on Windows"), so a
person can recognise their own devices in Active Sessions.

Deliberately rough: the full string is shown beside it for anyone who needs it.
"""

from __future__ import annotations

# Order matters: Edge and Opera also say "Chrome"; Chrome also says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chromium/", "Chromium"), ("HeadlessChrome/", "Chrome (headless)"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_TOOLS = ("curl", "python-requests", "python-httpx", "Wget", "PostmanRuntime", "okhttp", "Go-http-client")


def describe(user_agent: str | None) -> str:
    if not user_agent:
        return "Unknown device"
    for tool in _TOOLS:
        if user_agent.startswith(tool):
            return tool
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent.split("/", 1)[0][:40] or "Unknown device"
