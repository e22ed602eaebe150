"""Lists paginate: `?page=2&page_size=50` (20 by default, at most 100), answered as
`{"count", "next", "previous", "results"}`.
"""

from __future__ import annotations

from django.core.paginator import Page
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class BalaiPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def page_params(self, request) -> tuple[str, int]:
        """The requested page number and size, for selectors that paginate themselves."""
        self.request = request
        return request.query_params.get(self.page_query_param, "1"), self.get_page_size(request)

    def response_for_page(self, page: Page, results) -> Response:
        """The list answer for a Django `Page` a selector returned."""
        url = self.request.build_absolute_uri()

        def link(number):
            if number == 1:
                return remove_query_param(url, self.page_query_param)
            return replace_query_param(url, self.page_query_param, number)

        return Response(
            {
                "count": page.paginator.count,
                "next": link(page.next_page_number()) if page.has_next() else None,
                "previous": link(page.previous_page_number()) if page.has_previous() else None,
                "results": results,
            }
        )
