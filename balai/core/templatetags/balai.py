from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple

register = template.Library()


@register.simple_tag
def widget(field):
    """Render a form field's widget with Bootstrap classes and the ARIA links to its hint and error."""
    w = field.field.widget
    if isinstance(w, CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, Select | SelectMultiple) and not isinstance(w, CheckboxSelectMultiple | RadioSelect):
        css = "form-select"
    elif isinstance(w, CheckboxSelectMultiple | RadioSelect):
        css = ""
    else:
        css = "form-control"
    attrs = {}
    if css:
        attrs["class"] = f"{w.attrs.get('class', '')} {css}{' is-invalid' if field.errors else ''}".strip()
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def rupiah(value):
    """Integer rupiah as `Rp 1.250.000`."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


@register.simple_tag
def option_input(option, field):
    """One radio button or checkbox of a choice group, with Bootstrap's class and the group's ARIA links."""
    attrs = dict(option.data["attrs"])
    attrs["class"] = "form-check-input" + (" is-invalid" if field.errors else "")
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}-error"
    option.data["attrs"] = attrs
    return option.tag()
