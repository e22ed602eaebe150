"""The only tags and filters a tenant's document template may use (see sandbox.py).

Left out on purpose: `load` and `include`/`extends`/`block` (no other libraries, no files from disk),
`autoescape`, `safe` and `safeseq` (values from applications stay escaped), `url`, `csrf_token`,
`debug`, `pprint` and `lorem`.
"""

from django.template import Library, defaultfilters, defaulttags

from balai.core.templatetags.balai import rupiah

ALLOWED_TAGS = (
    "comment", "cycle", "filter", "firstof", "for", "if", "ifchanged", "now", "regroup", "spaceless",
    "templatetag", "verbatim", "widthratio", "with",
)
ALLOWED_FILTERS = (
    "add", "capfirst", "center", "cut", "date", "default", "default_if_none", "dictsort", "dictsortreversed",
    "divisibleby", "escape", "first", "floatformat", "force_escape", "get_digit", "join", "last", "length",
    "linebreaks", "linebreaksbr", "ljust", "lower", "make_list", "pluralize", "rjust", "slice", "slugify",
    "stringformat", "striptags", "time", "title", "truncatechars", "truncatewords", "upper", "wordcount",
    "wordwrap", "yesno",
)

register = Library()
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
register.filter("rupiah", rupiah)
