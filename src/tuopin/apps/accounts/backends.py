"""Login throttling (django-axes) that also lets request-less authentication through.

Django's test client and internal callers authenticate without a request; axes' own backend refuses those
with an error. Throttling is about the login form, which always passes the request (decision 0900).
"""

from axes.backends import AxesStandaloneBackend


class ThrottlingBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None  # nothing to throttle by: let the next backend decide
        return super().authenticate(request, username=username, password=password, **kwargs)
