"""Complaint panels that other office pages include without their views knowing about complaints:

{% load permits_complaints %}
{% complaints_link %}                     the inbox's link to the complaints, with the open count
{% file_complaints application %}         the complaints about one file, on the office file page
"""

from django import template

from balai.permits import selectors_complaints, services_complaints

register = template.Library()


@register.inclusion_tag("permits/office/_complaints_link.html", takes_context=True)
def complaints_link(context):
    tenant = context["request"].tenant
    return {"tenant": tenant, "open_count": selectors_complaints.open_complaint_count(tenant=tenant)}


@register.inclusion_tag("permits/office/_file_complaints.html", takes_context=True)
def file_complaints(context, application):
    request = context["request"]
    tenant = request.tenant
    return {
        "tenant": tenant,
        "complaints": selectors_complaints.complaints_of_application(tenant=tenant, application=application),
        "may_answer": services_complaints.may_answer(tenant=tenant, user=request.user),
    }
