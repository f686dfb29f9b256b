"""A short name for the browser and system behind a session ("Firefox on Windows", "Safari on
iPhone"), for the sessions page. ua-parser's rules ship with the package (ua-parser-builtins):
nothing is fetched at run time."""
from ua_parser import parse

# ua-parser's family names, as people know them.
BROWSERS = {"Mobile Safari": "Safari", "Chrome Mobile": "Chrome", "Chrome Mobile iOS": "Chrome",
            "HeadlessChrome": "Chrome", "Firefox Mobile": "Firefox", "Firefox iOS": "Firefox",
            "Edge Mobile": "Edge", "Samsung Internet": "Samsung Internet"}
SYSTEMS = {"Mac OS X": "macOS", "Chrome OS": "ChromeOS"}
# On iOS the device says more than the system does.
IOS_DEVICES = ("iPhone", "iPad", "iPod")


def device_label(user_agent):
    """"Firefox on Windows", or "" when the string names nothing we know."""
    if not user_agent:
        return ""
    found = parse(user_agent[:500])
    browser = found.user_agent.family if found.user_agent and found.user_agent.family != "Other" else ""
    system = found.os.family if found.os and found.os.family != "Other" else ""
    device = found.device.family if found.device else ""
    browser = BROWSERS.get(browser, browser)
    if system in ("iOS", "iPadOS") and device in IOS_DEVICES:
        system = device
    system = SYSTEMS.get(system, system)
    if browser and system:
        return f"{browser} on {system}"[:100]
    return (browser or system)[:100]
