"""Settings of the benchmarks' server: the project's own, plus a bench-only URLconf (a bare view to
compare with).

One load driver on one loopback address would be refused after the first minute's allowance, so:
the tracking page's per-address counter stays in the request path with its limit raised; the API's
per-address throttle is switched off (DRF keeps every request time of the window in the cache, so a
raised limit would measure a list of thousands of timestamps instead of the endpoint)."""

from balai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
DEBUG = False
BALAI_PERMITS_TRACKING_RATE_PER_MINUTE = 10**9
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
}
